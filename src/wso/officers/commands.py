"""Officers from nomination to authorization (O1-O8), withdrawal (O5), suspension (C4), departure."""

from __future__ import annotations

from typing import Literal

from wso.officers import service as officers
from wso.services.commands import Command
from wso.services.commands.words import Words
from wso.services.fields import ExpectedVersion, Instant, Text
from wso.services.permissions import Permission

BackgroundCheck = Literal[officers.BACKGROUND_CHECK]  # type: ignore[valid-type]


class NominateOfficer(Command):
    service = officers.nominate_officer
    permission = Permission.MANAGE_OFFICERS
    ids = ("agreement_id",)
    words = {"name": Words("the officer's full name")}

    name: Text
    citizen_attested: bool
    experience_attested: bool
    facility_training_attested: bool
    inmate_conduct_attested: bool = False
    records_access_authorized: bool = False
    badge: Text = ""


class OnOfficer(Command):
    """A change to one officer, at the version the user's screen shows."""

    ids = ("officer_id",)


class RecordBackgroundCheck(OnOfficer):
    service = officers.record_background_check
    permission = Permission.MANAGE_OFFICERS

    status: BackgroundCheck
    expected_version: ExpectedVersion = None


class RecordExamAttempt(OnOfficer):
    service = officers.record_exam_attempt
    permission = Permission.CERTIFY_OFFICERS

    taken_at: Instant
    score_percent: float
    expected_version: ExpectedVersion = None


class RecordAuthorizationLetter(OnOfficer):
    service = officers.record_authorization_letter
    permission = Permission.CERTIFY_OFFICERS

    signed_at: Instant
    expected_version: ExpectedVersion = None


class RecordForm70006(OnOfficer):
    service = officers.record_form_70_006
    permission = Permission.CERTIFY_OFFICERS

    signed_at: Instant
    expected_version: ExpectedVersion = None


class IssueCredentials(OnOfficer):
    service = officers.issue_credentials
    permission = Permission.CERTIFY_OFFICERS

    issued_at: Instant
    number: Text = ""
    expected_version: ExpectedVersion = None


class RequestCredentialsReturn(OnOfficer):
    service = officers.request_credentials_return
    permission = Permission.CERTIFY_OFFICERS

    requested_at: Instant
    expected_version: ExpectedVersion = None


class ReturnCredentials(OnOfficer):
    service = officers.return_credentials
    permission = Permission.MANAGE_OFFICERS

    returned_at: Instant
    expected_version: ExpectedVersion = None


class WithdrawAuthorization(OnOfficer):
    service = officers.withdraw_authorization
    permission = Permission.CERTIFY_OFFICERS

    notice_at: Instant
    effective_at: Instant
    reason: Text = ""
    expected_version: ExpectedVersion = None


class SuspendOfficer(OnOfficer):
    service = officers.suspend_officer
    permission = Permission.CERTIFY_OFFICERS

    notice_at: Instant
    effective_at: Instant
    reason: Text = ""
    complaint_id: Text | None = None
    expected_version: ExpectedVersion = None


class LiftOfficerSuspension(Command):
    service = officers.lift_officer_suspension
    permission = Permission.CERTIFY_OFFICERS
    ids = ("officer_id", "suspension_id")

    ended_at: Instant
    expected_version: ExpectedVersion = None


class VoidOfficerEntry(OnOfficer):
    """A withdrawal, suspension or exam attempt recorded in error (a correcting event)."""

    service = officers.void_officer_entry
    permission = Permission.CERTIFY_OFFICERS
    words = {
        "entry": Words("which kind of entry was recorded in error", "choice"),
        "entry_id": Words("the entry recorded in error"),
        "reason": Words("why it was recorded in error"),
    }

    entry: Literal["withdrawal", "exam_attempt"]
    entry_id: Text
    reason: Text
    expected_version: ExpectedVersion = None


class RecordDepartureNotice(OnOfficer):
    service = officers.record_departure_notice
    permission = Permission.MANAGE_OFFICERS

    notice_at: Instant
    departure_at: Instant
    expected_version: ExpectedVersion = None


class RequireTraining(OnOfficer):
    service = officers.require_training
    permission = Permission.MANAGE_OFFICERS
    words = {"name": Words("the name of the training")}

    name: Text
    due_at: Instant
    expected_version: ExpectedVersion = None


class RecordTraining(OnOfficer):
    service = officers.record_training
    permission = Permission.MANAGE_OFFICERS

    name: Text
    completed_at: Instant
    expected_version: ExpectedVersion = None


ALL: tuple[type[Command], ...] = (
    NominateOfficer,
    RecordBackgroundCheck,
    RecordExamAttempt,
    RecordAuthorizationLetter,
    RecordForm70006,
    IssueCredentials,
    RequestCredentialsReturn,
    ReturnCredentials,
    WithdrawAuthorization,
    SuspendOfficer,
    LiftOfficerSuspension,
    VoidOfficerEntry,
    RecordDepartureNotice,
    RequireTraining,
    RecordTraining,
)
