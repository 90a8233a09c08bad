"""Officers from nomination to authorization (O1-O8), withdrawal (O5) and suspension (C4)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.api.v1.routes import command, query
from wso.services import officers as s
from wso.services.views import OfficerRowView, OfficerView

router = APIRouter(tags=["officers"])
OFFICER_PATH = "/officers/{officer_id}"

# Every command on one officer, by path suffix: the API and the pages both mount these.
OFFICER_COMMANDS = (
    ("/background-check", s.record_background_check),
    ("/exam-attempts", s.record_exam_attempt),
    ("/authorization-letter", s.record_authorization_letter),
    ("/form-70-006", s.record_form_70_006),
    ("/credentials", s.issue_credentials),
    ("/credentials/return-request", s.request_credentials_return),
    ("/credentials/return", s.return_credentials),
    ("/withdrawals", s.withdraw_authorization),
    ("/suspensions", s.suspend_officer),
    ("/suspensions/{suspension_id}/lift", s.lift_officer_suspension),
    ("/departure-notice", s.record_departure_notice),
    ("/required-trainings", s.require_training),
    ("/trainings", s.record_training),
)

query(router, "/agencies/{agency_id}/officers", s.officer_roster, view=OfficerRowView, many=True)
command(router, "/agreements/{agreement_id}/officers", s.nominate_officer, view=OfficerView, status_code=201)
query(router, OFFICER_PATH, s.officer_view, view=OfficerView)
for suffix, service in OFFICER_COMMANDS:
    command(router, OFFICER_PATH + suffix, service, view=OfficerView)
