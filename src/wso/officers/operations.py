"""Every command on one officer, by path suffix under /officers/{officer_id}.

The API router (wso.officers.api) and the pages (wso.officers.pages) both mount this one table, so
an officer's page offers exactly the commands the API does, and neither imports the other.
"""

from __future__ import annotations

from wso.officers import commands as c

OFFICER_PATH = "/officers/{officer_id}"

OFFICER_COMMANDS = (
    ("/background-check", c.RecordBackgroundCheck),
    ("/exam-attempts", c.RecordExamAttempt),
    ("/authorization-letter", c.RecordAuthorizationLetter),
    ("/form-70-006", c.RecordForm70006),
    ("/credentials", c.IssueCredentials),
    ("/credentials/return-request", c.RequestCredentialsReturn),
    ("/credentials/return", c.ReturnCredentials),
    ("/withdrawals", c.WithdrawAuthorization),
    ("/suspensions", c.SuspendOfficer),
    ("/suspensions/{suspension_id}/lift", c.LiftOfficerSuspension),
    ("/corrections", c.VoidOfficerEntry),
    ("/departure-notice", c.RecordDepartureNotice),
    ("/required-trainings", c.RequireTraining),
    ("/trainings", c.RecordTraining),
)
