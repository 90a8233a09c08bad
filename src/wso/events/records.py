"""The records' events: agencies, agreements, officers, complaints, departure reasons, exports.

Each class is one ledger type (`type`), the payload its service appends (the fields) and the rule ids
it feeds (`RULES`). A field added to a payload later is optional here, with the value older events
mean (an officer nominated before O1's fourth attestation existed did not attest it), so every event
ever appended still reads.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field

from wso.events.base import CatalogEvent
from wso.rules.facts import Model, Party, Template

Id = Annotated[str, Field(min_length=1)]
Text = str  # lengths are the services' to check: the catalog refuses no text a service accepts
BackgroundCheck = Literal["not_requested", "pending", "cleared", "failed"]


# ---- agency ---------------------------------------------------------------------------------------


class AgencyCreated(CatalogEvent):
    """An LEA recorded; its zone is the calendar day counts run on (A3, A6, O7)."""

    RULES: ClassVar[tuple[str, ...]] = ("A1", "A8")
    type: Literal["agency.created"] = "agency.created"
    name: str
    state: str
    timezone: str


class FacilityAdded(CatalogEvent):
    """A jail of the agency (H1: only a person in the LEA's own facility)."""

    RULES: ClassVar[tuple[str, ...]] = ("H1", "H9")
    type: Literal["facility.added"] = "facility.added"
    facility_id: Id
    name: str
    state: str
    timezone: str


class RecordsExported(CatalogEvent):
    """An export of the agency's records, and to whom (D1): evidence, not a change of any record."""

    RULES: ClassVar[tuple[str, ...]] = ("D1",)
    type: Literal["records.exported"] = "records.exported"
    destination: str
    recipient: str
    ice_coordination_ref: str | None = None
    counts: dict[str, int] = {}


# ---- agreement ------------------------------------------------------------------------------------


class AgreementCreated(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("A1", "A7", "A8")
    type: Literal["agreement.created"] = "agreement.created"
    agency_id: Id
    model: Model
    template: Template
    state: str
    state_law_status: str | None = None
    state_law_rule_ids: list[str] = []
    # Cost facts (K2, K3) a scenario may state; the services record them elsewhere or not yet.
    igsa_bed_rate_usd: Annotated[float, Field(ge=0)] | None = None
    boa: bool = False


class AgreementSigned(CatalogEvent):
    """One party's signature; the agreement takes effect at the later one (A2)."""

    RULES: ClassVar[tuple[str, ...]] = ("A2",)
    type: Literal["agreement.signed"] = "agreement.signed"
    party: Party
    signed_at: AwareDatetime


class NoticeReceived(CatalogEvent):
    """A written termination or suspension notice (A3); a termination revokes every authorization (A4)."""

    RULES: ClassVar[tuple[str, ...]] = ("A3", "A4")
    type: Literal["agreement.notice_received"] = "agreement.notice_received"
    notice_id: Id
    kind: Literal["termination", "suspension"]
    by: Party
    received_at: AwareDatetime
    effective_at: AwareDatetime | None = None
    exigent_effective_at: AwareDatetime | None = None
    exigent_reason: str | None = None


class AgreementSuspensionLifted(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("A3",)
    type: Literal["agreement.suspension_lifted"] = "agreement.suspension_lifted"
    notice_id: Id
    lifted_at: AwareDatetime


class MeetingHeld(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("A6",)
    type: Literal["agreement.meeting_held"] = "agreement.meeting_held"
    meeting_id: Id
    held_at: AwareDatetime
    note: Text = ""


class ProgramDatesRecorded(CatalogEvent):
    """The anchors the first review meeting is counted from (A6); at least one of the two."""

    RULES: ClassVar[tuple[str, ...]] = ("A6",)
    type: Literal["agreement.program_dates_recorded"] = "agreement.program_dates_recorded"
    first_class_certified_at: AwareDatetime | None = None
    operational_at: AwareDatetime | None = None


# ---- officer --------------------------------------------------------------------------------------


class OfficerNominated(CatalogEvent):
    """The LEA's nominee and what it attests (O1)."""

    RULES: ClassVar[tuple[str, ...]] = ("O1", "D1")
    type: Literal["officer.nominated"] = "officer.nominated"
    agreement_id: Id
    agency_id: Id
    name: str
    badge: str = ""
    citizen_attested: bool
    experience_attested: bool
    facility_training_attested: bool
    inmate_conduct_attested: bool = False  # added by migration r0003: older nominations lack it
    records_access_authorized: bool
    under_ice_supervision: bool = True  # O4: a WSO acts under ICE supervision; a scenario may say otherwise


class BackgroundCheckRecorded(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O2",)
    type: Literal["officer.background_check_recorded"] = "officer.background_check_recorded"
    status: BackgroundCheck


class ExamAttemptRecorded(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O3",)
    type: Literal["officer.exam_attempt_recorded"] = "officer.exam_attempt_recorded"
    attempt_id: Id
    taken_at: AwareDatetime
    score_percent: Annotated[float, Field(ge=0, le=100)]
    outcome: str | None = None


class AuthorizationLetterRecorded(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O4",)
    type: Literal["officer.authorization_letter_recorded"] = "officer.authorization_letter_recorded"
    signed_at: AwareDatetime


class Form70006Recorded(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O4",)
    type: Literal["officer.form_70_006_recorded"] = "officer.form_70_006_recorded"
    signed_at: AwareDatetime


class CredentialsIssued(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O4", "O6")
    type: Literal["officer.credentials_issued"] = "officer.credentials_issued"
    credential_id: Id
    issued_at: AwareDatetime
    number: str


class CredentialsReturnRequested(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O6",)
    type: Literal["officer.credentials_return_requested"] = "officer.credentials_return_requested"
    credential_id: Id
    requested_at: AwareDatetime


class CredentialsReturned(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O6",)
    type: Literal["officer.credentials_returned"] = "officer.credentials_returned"
    credential_id: Id
    returned_at: AwareDatetime


class AuthorizationWithdrawn(CatalogEvent):
    """ICE's written withdrawal of one officer's authorization (O5)."""

    RULES: ClassVar[tuple[str, ...]] = ("O4", "O5")
    type: Literal["officer.authorization_withdrawn"] = "officer.authorization_withdrawn"
    withdrawal_id: Id
    notice_at: AwareDatetime
    effective_at: AwareDatetime
    reason: Text = ""
    complaint_id: str | None = None


class OfficerSuspended(CatalogEvent):
    """A suspension of one officer's authorization (O5; C4 while under investigation, MOA-2019)."""

    RULES: ClassVar[tuple[str, ...]] = ("O4", "O5", "C4")
    type: Literal["officer.suspended"] = "officer.suspended"
    withdrawal_id: Id
    notice_at: AwareDatetime
    effective_at: AwareDatetime
    reason: Text = ""
    complaint_id: str | None = None


class OfficerSuspensionLifted(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O4", "O5", "C4")
    type: Literal["officer.suspension_lifted"] = "officer.suspension_lifted"
    withdrawal_id: Id
    ended_at: AwareDatetime


class OfficerEntryVoided(CatalogEvent):
    """A correcting event: an exam attempt (O3) or a withdrawal or suspension (O5, C4) was recorded in
    error. The entry stays in the ledger and on the record, marked; the rules ignore it from then on."""

    RULES: ClassVar[tuple[str, ...]] = ("O3", "O4", "O5", "C4")
    type: Literal["officer.entry_voided"] = "officer.entry_voided"
    entry: Literal["withdrawal", "exam_attempt"]
    entry_id: Id
    reason: Text


class AuthorizationRevoked(CatalogEvent):
    """The agreement's termination revokes the officer's authorization (A4), from the notice's effect."""

    RULES: ClassVar[tuple[str, ...]] = ("A4", "O4")
    type: Literal["officer.authorization_revoked"] = "officer.authorization_revoked"
    withdrawal_id: Id
    notice_id: Id
    effective_at: AwareDatetime
    rule: Literal["A4"] = "A4"
    reason: Text = ""


class DepartureNoticeRecorded(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O6", "O7")
    type: Literal["officer.departure_notice_recorded"] = "officer.departure_notice_recorded"
    notice_at: AwareDatetime
    departure_at: AwareDatetime | None = None
    notice_status: str | None = None


class OfficerDeparted(CatalogEvent):
    """The officer left the program (O6: credentials are returned; O7: notice was due before)."""

    RULES: ClassVar[tuple[str, ...]] = ("O6", "O7")
    type: Literal["officer.departed"] = "officer.departed"
    departed_at: AwareDatetime


class TrainingRequired(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O8",)
    type: Literal["officer.training_required"] = "officer.training_required"
    required_training_id: Id
    name: str
    due_at: AwareDatetime


class TrainingCompleted(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("O3", "O8")
    type: Literal["officer.training_completed"] = "officer.training_completed"
    training_id: Id
    name: str
    completed_at: AwareDatetime


# ---- complaint ------------------------------------------------------------------------------------


class ComplaintReceived(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("C1", "C2", "C5")
    type: Literal["complaint.received"] = "complaint.received"
    agency_id: Id
    agreement_id: Id
    facility_id: str | None = None
    officer_id: str | None = None
    subject_name: str
    about_designated_officer: bool
    source: str
    summary: Text
    received_at: AwareDatetime


class ComplaintIceNotified(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("C1", "C2")
    type: Literal["complaint.ice_notified"] = "complaint.ice_notified"
    notified_at: AwareDatetime
    notified_to: str


class InvestigationResultRecorded(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("C3",)
    type: Literal["complaint.investigation_result_recorded"] = "complaint.investigation_result_recorded"
    result: Text
    reported_at: AwareDatetime


class ComplaintResolved(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("C3",)
    type: Literal["complaint.resolved"] = "complaint.resolved"
    resolution: Text
    resolved_at: AwareDatetime


# ---- departures from a "should" (PROGRAM.md, Modality) ---------------------------------------------


class DepartureReasonRecorded(CatalogEvent):
    """Why a "should" deadline was missed, on the agreement's, officer's or complaint's own stream."""

    RULES: ClassVar[tuple[str, ...]] = ("A6", "O7", "C1", "C3")
    type: Literal["departure.reason_recorded"] = "departure.reason_recorded"
    departure_reason_id: Id
    rule: str
    due_at: AwareDatetime | None = None
    reason: Text
