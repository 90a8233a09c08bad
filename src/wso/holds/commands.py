"""One Pydantic class per hold use case: the API's request body, the form's parser and the CLI's options.

Types come from the rules' and the events' Literals, so a value the rules do not know (a form "I-999",
a release reason "bored") is refused at the edge with the field named. Every command on an existing
hold carries `at` (when it happened; default: now, never in the future) and `expected_version` (the
version the user's screen was built from: a changed hold is reported, not overwritten).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, AliasChoices, AwareDatetime, ConfigDict, Field

from wso.holds.events import AssertedBy, NoticeChannel, ReleaseChangeReason, ReleaseReason
from wso.holds.roles import ROLES
from wso.rules.facts import Function, WarrantForm
from wso.services.commands import Command
from wso.services.fields import printable
from wso.services.permissions import Actor, Permission

Id = Annotated[str, AfterValidator(printable), Field(min_length=1, max_length=36, description="a record id (UUID)")]
Name = Annotated[str, AfterValidator(printable), Field(min_length=1, max_length=200)]
Number = Annotated[str, AfterValidator(printable), Field(min_length=1, max_length=64)]


class HoldCommand(Command):
    """The holds' commands, on the one Command base (issue 11). A hold's operation is allowed by role
    (wso.holds.service.ROLES, checked by `require_role`), so `permission` names no records Permission."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    permission: ClassVar[Permission | None] = None
    role: ClassVar[str]  # the operation whose roles the service checks (wso.holds.roles.ROLES)

    @classmethod
    def allowed(cls, actor: Actor) -> bool:
        """Whether the actor's role may run this command: the service's own check, asked in advance."""
        return actor.role == "system" or actor.role in ROLES[cls.role]


class OnHold(HoldCommand):
    """A change to one existing hold."""

    at: AwareDatetime | None = Field(None, description="when it happened, with its UTC offset (default: now)")
    expected_version: int | None = Field(None, ge=1, description="the hold's version your screen shows")
    note: Annotated[str, AfterValidator(printable), Field(max_length=2000)] = ""


class BookPerson(HoldCommand):
    """A booking from the jail (H1): who, where, and the scheduled release from criminal custody."""

    role = "book"
    facility_id: Id
    booking_number: Number
    person_name: Name
    date_of_birth: date | None = None
    booking_date: date
    scheduled_release_at: AwareDatetime
    note: Annotated[str, AfterValidator(printable), Field(max_length=2000)] = ""


class ChangeRelease(OnHold):
    role = "change_release"
    reason: ReleaseChangeReason
    scheduled_release_at: AwareDatetime


class ReceiveWarrant(OnHold):
    role = "receive_warrant"
    form: WarrantForm
    number: Number
    issuing_officer: Name
    issued_on: date
    names_person: bool = True
    signed: bool = True
    accompanied_by: tuple[WarrantForm, ...] = ()
    cfr_287_7_applies: bool = True


class ClearForRelease(OnHold):
    role = "clear"
    pass


class ServeWarrant(OnHold):
    role = "serve"
    officer_id: Id
    warrant_number: Number
    interpreter_used: bool = False
    interpreter_name: Annotated[str, AfterValidator(printable), Field(max_length=200)] | None = None
    facility_id: Id | None = Field(None, description="where it was served (default: the hold's facility)")


class NotifyIce(OnHold):
    role = "notify_ice"
    how: NoticeChannel
    to: Name


class ClaimCitizenship(OnHold):
    role = "claim"
    asserted_by: AssertedBy = "person"


class ReportCitizenshipClaim(OnHold):
    role = "report_claim"
    to: Name
    how: NoticeChannel
    exigency_reason: Annotated[str, AfterValidator(printable), Field(max_length=2000)] | None = None


class RecordIceAnswer(OnHold):
    role = "answer"
    reference: Annotated[str, AfterValidator(printable), Field(min_length=1, max_length=200)]


class BookUnderIgsa(OnHold):
    role = "igsa_book"
    agreement_number: Number


class TransferToIce(OnHold):
    role = "transfer"
    received_by: Name


class Release(OnHold):
    role = "release"
    reason: ReleaseReason


class RecordAct(OnHold):
    """An act by a WSO other than serving (O9): recorded only if it is one of the two WSO functions."""

    role = "record_act"
    officer_id: Id
    function: Function


class RefreshHold(HoldCommand):
    """Recompute the stored decision at now (what the deadline worker does when a due instant passes)."""

    role = "refresh"


class RecordDetentionAgreement(HoldCommand):
    """An IGSA (or similar) or a BOA of a facility, with its number, parties and dates (H5, K2, K3)."""

    role = "policy"
    facility_id: Id
    kind: Literal["IGSA", "BOA"]
    number: Number
    parties: list[Name] = Field(min_length=1)
    effective_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    bed_rate_usd_per_day: Annotated[float, Field(ge=0)] | None = None
    reference: Annotated[str, AfterValidator(printable), Field(max_length=500)] = ""


class SetReleaseStandard(HoldCommand):
    """The agency's written release-processing standard (H3): minutes allowed, and where it is written."""

    role = "policy"
    agency_id: Id
    minutes: Annotated[int, Field(ge=0, le=24 * 60)]  # a sanity bound on input, not a legal number
    source: Annotated[str, AfterValidator(printable), Field(min_length=1, max_length=500)]
    effective_at: AwareDatetime


class Booking(HoldCommand):
    """One booking of the feed (docs/holds.md). Keys after NIEM Justice's booking exchange
    (j:BookingAgencyRecordIdentification, nc:PersonName, nc:PersonBirthDate, j:BookingFacility), or the
    snake_case names of a CSV header; a scheduled release needs its UTC offset."""

    role = "book"
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    booking_number: Number = Field(validation_alias=AliasChoices("BookingAgencyRecordIdentification", "booking_number"))
    person_name: Name = Field(validation_alias=AliasChoices("PersonName", "person_name"))
    booking_date: date = Field(validation_alias=AliasChoices("BookingDate", "booking_date"))
    scheduled_release_at: AwareDatetime = Field(
        validation_alias=AliasChoices("ScheduledReleaseDate", "scheduled_release", "scheduled_release_at")
    )
    date_of_birth: date | None = Field(None, validation_alias=AliasChoices("PersonBirthDate", "date_of_birth"))
    facility: Annotated[str, AfterValidator(printable), Field(max_length=200)] | None = Field(
        None, validation_alias=AliasChoices("BookingFacility", "facility")
    )
