"""The holds area's events, part of the one catalog (wso.events.catalog): one person's custody.

Each event is a ledger event on the hold's stream (`hold:<id>`): its `type` is the ledger type, its
fields (as JSON) the payload. `at` is when the fact happened (the instant the warrant was served, the
person was cleared for release...), which may be earlier than when it was recorded (the ledger's own
`at`). `RULES` names the rule ids each event feeds, so a reader can trace a decision to its inputs.

Privacy (PROGRAM.md D3): the person is a booking number, a name and optionally a date of birth, what
the warrant and the booking state. No field holds race, ethnicity, national origin, religion or an
immigration-status assessment; ICE's answer to a citizenship claim is recorded as a reference only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field, TypeAdapter

from wso.events.base import CatalogEvent, UnknownEventType
from wso.rules.facts import WarrantForm

Name = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str, Field(max_length=2000)]

ReleaseChangeReason = Literal["new_charges", "court_order", "bond", "sentence_recalculated", "other"]
ReleaseReason = Literal["deadline", "warrant_cancelled", "claim_substantiated", "charges_or_court", "other"]
AssertedBy = Literal["person", "staff_suspicion", "counsel", "family", "other"]
NoticeChannel = Literal["phone", "email", "fax", "in_person", "electronic_system", "other"]


class _Event(CatalogEvent):
    at: AwareDatetime
    note: Note = ""


class Booked(_Event):
    """The jail booked the person (criminal custody); the scheduled release is when H1/H3 look."""

    RULES: ClassVar[tuple[str, ...]] = ("H1", "H3")
    type: Literal["booked"] = "booked"
    booking_number: Annotated[str, Field(min_length=1, max_length=64)]
    person_name: Name
    date_of_birth: date | None = None
    facility_id: Annotated[str, Field(min_length=1, max_length=36)]
    booking_date: date
    scheduled_release_at: AwareDatetime


class ReleaseChanged(_Event):
    """New charges, a court order, bond...: a new scheduled release from criminal custody (H1)."""

    RULES: ClassVar[tuple[str, ...]] = ("H1", "H3")
    type: Literal["release_changed"] = "release_changed"
    reason: ReleaseChangeReason
    scheduled_release_at: AwareDatetime


class WarrantReceived(_Event):
    """An I-200 / I-205 (authority, H2) or an I-247A detainer with its own clocks (H8)."""

    RULES: ClassVar[tuple[str, ...]] = ("H2", "H8")
    type: Literal["warrant_received"] = "warrant_received"
    form: WarrantForm
    number: Annotated[str, Field(min_length=1, max_length=64)]
    issuing_officer: Name
    issued_on: date
    names_person: bool = True
    signed: bool = True
    accompanied_by: tuple[WarrantForm, ...] = ()  # for an I-247A: the I-200/I-205 that came with it
    cfr_287_7_applies: bool = True  # an I-247A also starts the 8 C.F.R. 287.7(d) clock (H8)


class ClearedForRelease(_Event):
    """Criminal custody is over and release processing starts (H3: release is a process)."""

    RULES: ClassVar[tuple[str, ...]] = ("H3",)
    type: Literal["cleared_for_release"] = "cleared_for_release"


class WarrantServed(_Event):
    """A WSO served the warrant (H1, H3, O4); an interpreter, if used, is named (H6). `valid` and
    `rule_ids` are the rules' judgement at the moment of service, recorded with it."""

    RULES: ClassVar[tuple[str, ...]] = ("H1", "H3", "H6", "H9", "O4")
    type: Literal["warrant_served"] = "warrant_served"
    officer_id: Annotated[str, Field(min_length=1, max_length=36)]
    officer_name: Name
    warrant_number: Annotated[str, Field(min_length=1, max_length=64)]
    interpreter_used: bool = False
    interpreter_name: str | None = None
    valid: bool
    rule_ids: tuple[str, ...] = ()
    in_own_facility: bool = True  # H1: served in the LEA's own jail (older events: the hold's facility)
    criminal_custody_complete: bool = True  # H1: at the time of scheduled release


class IceNotified(_Event):
    """The LEA told the ICE officer of the service (H4): when, how, to whom."""

    RULES: ClassVar[tuple[str, ...]] = ("H4",)
    type: Literal["ice_notified"] = "ice_notified"
    how: NoticeChannel
    to: Name


class CitizenshipClaimed(_Event):
    """An asserted or suspected claim of U.S. citizenship (H7), whenever it comes."""

    RULES: ClassVar[tuple[str, ...]] = ("H7",)
    type: Literal["citizenship_claimed"] = "citizenship_claimed"
    asserted_by: AssertedBy = "person"


class CitizenshipReported(_Event):
    """The claim reported to ICE (H7); under MOA-2019 a late report may record its exigency."""

    RULES: ClassVar[tuple[str, ...]] = ("H7",)
    type: Literal["citizenship_reported"] = "citizenship_reported"
    to: Name
    how: NoticeChannel
    exigency_reason: str | None = None


class CitizenshipAnswered(_Event):
    """ICE answered the claim; only its reference is kept (D3: no status assessment is stored)."""

    RULES: ClassVar[tuple[str, ...]] = ("H7", "D3")
    type: Literal["citizenship_answered"] = "citizenship_answered"
    reference: Annotated[str, Field(min_length=1, max_length=200)]


class IgsaBooked(_Event):
    """Booked as an ICE detainee under a detention agreement of the facility (H5 exception)."""

    RULES: ClassVar[tuple[str, ...]] = ("H5", "K2", "K3")
    type: Literal["igsa_booked"] = "igsa_booked"
    agreement_number: Annotated[str, Field(min_length=1, max_length=64)]


class TransferredToIce(_Event):
    """ICE took the person from the jail (H5): the WSO hold ends."""

    RULES: ClassVar[tuple[str, ...]] = ("H5",)
    type: Literal["transferred_to_ice"] = "transferred_to_ice"
    received_by: Name


class Released(_Event):
    """The person left the jail, and why (H3, H5, H7, H9)."""

    RULES: ClassVar[tuple[str, ...]] = ("H3", "H5", "H7", "H9")
    type: Literal["released"] = "released"
    reason: ReleaseReason


HoldEvent = Annotated[
    Booked
    | ReleaseChanged
    | WarrantReceived
    | ClearedForRelease
    | WarrantServed
    | IceNotified
    | CitizenshipClaimed
    | CitizenshipReported
    | CitizenshipAnswered
    | IgsaBooked
    | TransferredToIce
    | Released,
    Field(discriminator="type"),
]

CATALOG: dict[str, type[_Event]] = {
    cls.model_fields["type"].default: cls  # type: ignore[misc]
    for cls in HoldEvent.__origin__.__args__  # type: ignore[attr-defined]
}
_ADAPTER: TypeAdapter[HoldEvent] = TypeAdapter(HoldEvent)


class DetentionAgreementRecorded(CatalogEvent):
    """On stream `facility:<id>`: an IGSA (or similar) or a BOA of the facility recorded (H5, K2, K3)."""

    RULES: ClassVar[tuple[str, ...]] = ("H5", "K2", "K3")
    type: Literal["detention_agreement_recorded"] = "detention_agreement_recorded"
    facility_id: str
    kind: Literal["IGSA", "BOA"]
    number: str
    parties: list[str]
    effective_at: AwareDatetime | None = None  # None: the start is not recorded, so never in force (H5)
    ends_at: AwareDatetime | None = None
    bed_rate_usd_per_day: float | None = None
    reference: str = ""


class ReleaseStandardRecorded(CatalogEvent):
    """On stream `agency:<id>:release-standard`: the agency's written release-processing standard (H3)."""

    RULES: ClassVar[tuple[str, ...]] = ("H3",)
    type: Literal["release_standard_recorded"] = "release_standard_recorded"
    agency_id: str
    minutes: int
    source: str
    effective_at: AwareDatetime


# Every ledger event type the holds area appends, on hold streams and on its policy streams.
AREA_CATALOG: dict[str, type[CatalogEvent]] = {
    **CATALOG,
    "detention_agreement_recorded": DetentionAgreementRecorded,
    "release_standard_recorded": ReleaseStandardRecorded,
}


def parse_event(type: str, payload: dict) -> _Event:
    """The typed event for a ledger row's type and payload; an unknown type is an error."""
    if type not in CATALOG:
        raise UnknownEventType(f"hold event type {type!r} is not in the catalog ({', '.join(CATALOG)})")
    return _ADAPTER.validate_python({**payload, "type": type})


def payload_of(event: CatalogEvent) -> dict:
    """The ledger payload of an event: its JSON fields without the type (the ledger keeps that)."""
    if event.type not in AREA_CATALOG:  # type: ignore[attr-defined]
        raise UnknownEventType(f"hold event type {event.type!r} is not in the catalog")  # type: ignore[attr-defined]
    return event.model_dump(mode="json", exclude={"type"})


Event = _Event
