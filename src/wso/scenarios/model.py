"""The scenario file format (docs/scenarios.md), as strict Pydantic models.

Why strict: a scenario is evidence that a rule does what the law says. A typo that silently
became a default (`interpeter_name`), a naive instant read in some unknown zone, or events
listed out of order would make a passing check meaningless. So unknown keys, unknown event
types, instants without a UTC offset, ends before starts, out-of-order events and references to
officers, warrants, complaints or events that do not exist are all errors, each naming where.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from wso.rules.facts import Function, Model, Party, Template, WarrantForm


def parse_instant(value: Any) -> datetime:
    """An ISO 8601 instant that carries its UTC offset; anything else is refused, never guessed."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 instant such as 2026-11-01T01:30:00-04:00") from None
    if not isinstance(value, datetime):
        raise ValueError(f"expected an ISO 8601 instant with a UTC offset, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{value.isoformat()} has no UTC offset; legal clocks need one, e.g. {value.isoformat()}-05:00"
        )
    return value


Instant = Annotated[datetime, BeforeValidator(parse_instant)]
Percent = Annotated[float, Field(ge=0, le=100)]


def field_order_error(field: str, reason: str) -> PydanticCustomError:
    """An error about two instants of one record, naming the later field so the message points at it."""
    return PydanticCustomError("instant_order", "{reason}", {"field": field, "reason": reason})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- facts


class DetentionAgreementFacts(_Strict):
    """A recorded IGSA (or BOA) of the facility (H5, K2): number, parties and dates."""

    kind: Literal["IGSA", "BOA"]
    number: str
    parties: list[str] = []
    effective_at: Instant
    ends_at: Instant | None = None


class ReleaseStandardFacts(_Strict):
    """The agency's written release-processing standard (H3), with its source."""

    minutes: Annotated[int, Field(ge=0)]
    source: Annotated[str, Field(min_length=1)]


class FacilityFacts(_Strict):
    name: str
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    timezone: str
    detention_agreements: list[DetentionAgreementFacts] = []
    release_standard: ReleaseStandardFacts | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not an IANA time zone such as America/New_York") from None
        return name


class AgreementFacts(_Strict):
    model: Model = "WSO"
    template: Template
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None  # default: the facility's state
    lea_signed_at: Instant | None = None
    ice_signed_at: Instant | None = None
    first_class_certified_at: Instant | None = None
    operational_at: Instant | None = None
    igsa_bed_rate_usd: Annotated[float, Field(ge=0)] | None = None
    boa: bool = False


class Attestations(_Strict):
    """What the LEA attests about a nominee (O1)."""

    us_citizen: bool = False
    experience: bool = False
    facility_training: bool = False
    inmate_conduct: bool = False  # O1's fourth: "have enforced rules ... governing inmate accountability and conduct"


class ExamFacts(_Strict):
    at: Instant
    score: Percent


class OfficerFacts(_Strict):
    name: str
    attested: Attestations = Attestations()
    background_check: Literal["not_requested", "pending", "cleared", "failed"] = "not_requested"
    exams: list[ExamFacts] = []
    letter_signed_at: Instant | None = None
    form_70_006_at: Instant | None = None
    credentials_issued_at: Instant | None = None
    under_ice_supervision: bool = True


class PersonFacts(_Strict):
    """The detained person: what the booking says, and nothing more (PROGRAM.md D3)."""

    booking_at: Instant
    scheduled_release_at: Instant
    in_own_facility: bool = True
    criminal_custody_complete: bool = True
    # The old open-ended flag, still read: it now means the facility has such an agreement with no
    # number or dates recorded, which is never in force, so the 48-hour deadline binds (H5).
    reimbursable_agreement: Literal["IGSA", "BOA"] | None = None

    @model_validator(mode="after")
    def _release_after_booking(self) -> PersonFacts:
        if self.scheduled_release_at < self.booking_at:
            raise field_order_error(
                "scheduled_release_at", "is before booking_at (a release cannot precede the booking)"
            )
        return self


class WarrantFacts(_Strict):
    form: WarrantForm
    names_person: bool = True
    signed: bool = True
    issued_at: Instant | None = None
    accompanied_by: list[WarrantForm] = []


class Facts(_Strict):
    facility: FacilityFacts
    agreement: AgreementFacts | None = None
    officers: dict[str, OfficerFacts] = {}
    person: PersonFacts | None = None
    warrants: dict[str, WarrantFacts] = {}


# ---------------------------------------------------------------- events


class _Event(_Strict):
    at: Instant
    note: str | None = None


class _OfficerEvent(_Event):
    officer: str


class _ComplaintEvent(_Event):
    complaint: str


class WarrantServed(_OfficerEvent):
    type: Literal["warrant_served"]
    warrant: str
    interpreter_used: bool = False
    interpreter_name: str | None = None


class IceNotified(_Event):
    type: Literal["ice_notified"]
    how: str | None = None
    to: str | None = None


class CitizenshipClaimed(_Event):
    type: Literal["citizenship_claimed"]


class CitizenshipReported(_Event):
    type: Literal["citizenship_reported"]
    exigency_reason: str | None = None  # MOA-2019: the unforeseen exigent circumstances of a late report


class ClearedForRelease(_Event):
    type: Literal["cleared_for_release"]


class IgsaBooked(_Event):
    type: Literal["igsa_booked"]
    agreement: str  # the number of the facility's detention agreement


class CitizenshipAnswered(_Event):
    type: Literal["citizenship_answered"]


class Transferred(_Event):
    type: Literal["transferred"]


class Released(_Event):
    type: Literal["released"]


class ComplaintReceived(_ComplaintEvent):
    type: Literal["complaint_received"]
    about_designated: bool
    subject_officer: str | None = None


class ComplaintIceNotified(_ComplaintEvent):
    type: Literal["complaint_ice_notified"]


class ComplaintResultsReported(_ComplaintEvent):
    type: Literal["complaint_results_reported"]


class ComplaintResolved(_ComplaintEvent):
    type: Literal["complaint_resolved"]


class _Notice(_Event):
    by: Party
    exigent_effective_at: Instant | None = None
    exigent_reason: str | None = None

    @model_validator(mode="after")
    def _exigent_date_not_before_receipt(self) -> _Notice:
        if self.exigent_effective_at is not None and self.exigent_effective_at < self.at:
            raise field_order_error(
                "exigent_effective_at", "is before the notice was received (at): an end before its start"
            )
        if self.exigent_effective_at is not None and not (self.exigent_reason or "").strip():
            raise field_order_error(
                "exigent_reason", "an exigent effective date needs the public-safety reason recorded (A3)"
            )
        return self


class TerminationNotice(_Notice):
    type: Literal["termination_notice"]


class SuspensionNotice(_Notice):
    type: Literal["suspension_notice"]


class SuspensionLifted(_Event):
    type: Literal["suspension_lifted"]


class ExamTaken(_OfficerEvent):
    type: Literal["exam_taken"]
    score: Percent


class _OfficerMeasure(_OfficerEvent):
    effective_at: Instant
    reason: str = ""

    @model_validator(mode="after")
    def _effective_not_before_notice(self) -> _OfficerMeasure:
        if self.effective_at < self.at:
            raise field_order_error("effective_at", "is before the written notice (at): an end before its start")
        return self


class AuthorizationWithdrawn(_OfficerMeasure):
    type: Literal["authorization_withdrawn"]


class AuthorizationSuspended(_OfficerMeasure):
    type: Literal["authorization_suspended"]
    ends_at: Instant | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> AuthorizationSuspended:
        if self.ends_at is not None and self.ends_at <= self.effective_at:
            raise field_order_error("ends_at", "is not after effective_at: an end before its start")
        return self


class EntryVoided(_OfficerEvent):
    """A correcting event: the officer's exam, withdrawal or suspension written as event number `voids`
    of this list (0-based) was recorded in error; the rules ignore it from this event's instant."""

    type: Literal["entry_voided"]
    voids: int = Field(ge=0)
    reason: str


class CredentialsIssued(_OfficerEvent):
    type: Literal["credentials_issued"]


class CredentialsReturnRequested(_OfficerEvent):
    type: Literal["credentials_return_requested"]


class CredentialsReturned(_OfficerEvent):
    type: Literal["credentials_returned"]


class DepartureNotice(_OfficerEvent):
    type: Literal["departure_notice"]


class OfficerDeparted(_OfficerEvent):
    type: Literal["officer_departed"]


class TrainingRequired(_OfficerEvent):
    type: Literal["training_required"]
    name: str
    due_at: Instant

    @model_validator(mode="after")
    def _due_after_requirement(self) -> TrainingRequired:
        if self.due_at < self.at:
            raise field_order_error("due_at", "is before the requirement was made (at): an end before its start")
        return self


class TrainingCompleted(_OfficerEvent):
    type: Literal["training_completed"]
    name: str


class MeetingHeld(_Event):
    type: Literal["meeting_held"]


Event = Annotated[
    WarrantServed
    | IceNotified
    | CitizenshipClaimed
    | CitizenshipReported
    | CitizenshipAnswered
    | ClearedForRelease
    | IgsaBooked
    | Transferred
    | Released
    | ComplaintReceived
    | ComplaintIceNotified
    | ComplaintResultsReported
    | ComplaintResolved
    | TerminationNotice
    | SuspensionNotice
    | SuspensionLifted
    | ExamTaken
    | AuthorizationWithdrawn
    | AuthorizationSuspended
    | EntryVoided
    | CredentialsIssued
    | CredentialsReturnRequested
    | CredentialsReturned
    | DepartureNotice
    | OfficerDeparted
    | TrainingRequired
    | TrainingCompleted
    | MeetingHeld,
    Field(discriminator="type"),
]

EVENT_TYPES: tuple[str, ...] = tuple(
    cls.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for cls in Event.__origin__.__args__  # type: ignore[attr-defined]
)
OFFICER_EVENTS = (_OfficerEvent,)
COMPLAINT_EVENTS = (_ComplaintEvent,)


# ---------------------------------------------------------------- questions


class _Question(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    at: Instant


class _OfficerQuestion(_Question):
    officer: str


class AgreementInForce(_Question):
    ask: Literal["agreement_in_force"]


class MeetingsDue(_Question):
    ask: Literal["meetings_due"]


class OfficerAuthorized(_OfficerQuestion):
    ask: Literal["officer_authorized"]
    function: Function = "serve_i200"


class CredentialsOutstanding(_OfficerQuestion):
    ask: Literal["credentials_outstanding"]


class ExamOutcome(_OfficerQuestion):
    ask: Literal["exam_outcome"]


class NominationValid(_OfficerQuestion):
    ask: Literal["nomination_valid"]


class TrainingDue(_OfficerQuestion):
    ask: Literal["training_due"]


class DepartureNoticeQuestion(_OfficerQuestion):
    ask: Literal["departure_notice"]
    departure_at: Instant


class WarrantSuffices(_Question):
    ask: Literal["warrant_suffices"]
    warrant: str


class ServiceValid(_Question):
    """`event` is the index of a warrant_served event; by default the last one at or before `at`."""

    ask: Literal["service_valid"]
    event: Annotated[int, Field(ge=0)] | None = None


class InterpreterAnnotation(_Question):
    ask: Literal["interpreter_annotation"]
    event: Annotated[int, Field(ge=0)] | None = None


class HoldStatus(_Question):
    ask: Literal["hold_status"]


class ComplaintDeadlines(_Question):
    ask: Literal["complaint_deadlines"]
    complaint: str


class StateLaw(_Question):
    """A8 (may the agency sign?) or H9 (may the facility hold?); state and model default to the facts'."""

    ask: Literal["state_law"]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    model: Literal["WSO", "JEM", "TFM", "BOA", "detainer"] | None = None
    rule: Literal["A8", "H9"] = "A8"


class HoldCost(_Question):
    ask: Literal["hold_cost"]
    program: Literal["WSO", "BOA", "IGSA"]
    hours: Annotated[float, Field(ge=0)]
    lea_daily_cost_usd: Annotated[float, Field(ge=0)]
    igsa_bed_rate_usd: Annotated[float, Field(ge=0)] | None = None


class AppendixChange(_Question):
    """A5: may this part of the agreement be changed by ICE alone, or by both parties?"""

    ask: Literal["appendix_change_allowed"]
    part: Literal["MOA", "Appendix A", "Appendix B"]
    by: Literal["ICE", "both"]


class ComplaintReceivable(_Question):
    """C1/C5: may a complaint be received as described (about a designated officer, named or not)?"""

    ask: Literal["may_receive_complaint"]
    about_designated_officer: bool = True
    officer_named: bool = True


class YearlyCost(_Question):
    """K1-K3: a year of the program for the agency under WSO, BOA and (with a bed rate) IGSA."""

    ask: Literal["yearly_cost"]
    holds_per_month: Annotated[float, Field(ge=0)]
    officers: Annotated[int, Field(ge=0)]
    hourly_wage_usd: Annotated[float, Field(ge=0)]
    hours_per_hold: Annotated[float, Field(ge=0)]
    lea_daily_cost_usd: Annotated[float, Field(ge=0)] = 0.0
    igsa_bed_rate_usd: Annotated[float, Field(ge=0)] | None = None


class RecordsExport(_Question):
    """D1: may records of these kinds leave the agency for this destination?"""

    ask: Literal["may_export_records"]
    kinds: Annotated[list[str], Field(min_length=1)]
    destination: Literal["within_agency", "ice", "media", "other"]
    ice_coordination_ref: str | None = None


Question = Annotated[
    AgreementInForce
    | MeetingsDue
    | OfficerAuthorized
    | CredentialsOutstanding
    | ExamOutcome
    | NominationValid
    | TrainingDue
    | DepartureNoticeQuestion
    | WarrantSuffices
    | ServiceValid
    | InterpreterAnnotation
    | HoldStatus
    | ComplaintDeadlines
    | StateLaw
    | HoldCost
    | AppendixChange
    | ComplaintReceivable
    | YearlyCost
    | RecordsExport,
    Field(discriminator="ask"),
]


# ---------------------------------------------------------------- expectations


class ReasonExpectation(_Strict):
    """A reason the decision must carry: one of rule `rule` that has every property given here."""

    rule: Annotated[str, Field(pattern=r"^[AOHCKD][0-9]+$")]
    modality: Literal["must", "should"] | None = None
    confidence: Literal["H", "M", "L", "H/M", "M/H", "design"] | None = None
    satisfied: bool | None = None


class Expectation(_Strict):
    """What the decision must say; every key is optional, `rule_ids` must be included (not equal).
    `reasons` each name a reason that must be present (with its modality, confidence, satisfied);
    `violations` and `departures` list the rule ids of unsatisfied must and should reasons, exactly."""

    allowed: bool | None = None
    status: str | None = None
    rule_ids: list[str] = []
    deadlines: dict[str, Instant] = {}
    binding_deadline: str | None = None
    actions: list[str] = []
    values: dict[str, Any] = {}
    reasons: list[ReasonExpectation] = []
    violations: list[str] | None = None
    departures: list[str] | None = None


# ---------------------------------------------------------------- the file


class Scenario(_Strict):
    title: str
    description: str
    overrides: dict[str, Any] = {}
    facts: Facts
    events: list[Event] = []
    questions: Annotated[list[Question], Field(min_length=1)]
    expect: dict[str, Expectation] = {}

    @field_validator("description")
    @classmethod
    def _full_sentence(cls, text: str) -> str:
        text = text.strip()
        if not text or not text[0].isupper() or text[-1] not in ".!?":
            raise ValueError("write the description as full sentences a lawyer can read (capital, final period)")
        return text
