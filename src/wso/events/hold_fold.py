"""ONE pure fold from a hold's events to the rules' facts: no I/O, no clock, no database.

Core (issue 11 item 1): moved here from wso.holds.fold, which re-exports it; `facts_as_of`
(wso.events.facts) composes it with the records' fold.

The service (deciding on write), the worker's refresh, the person page and the audit's flattening all
call `hold_facts`, so they cannot disagree about what the events mean. A question asked at 10:00 sees
only the facts that happened at or before 10:00 (an event exactly at `at` counts: "at the moment of
service"). The facility and agreement facts come from their own records, not from the hold's stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from wso.events import holds as e
from wso.rules.facts import Agreement, CitizenshipClaim, Facility, Hold, ReleaseStandard, Warrant


def hold_facts(
    events: Sequence[e.Event],
    *,
    at: datetime,
    facility: Facility,
    agreement: Agreement,
    release_standard: ReleaseStandard | None = None,
) -> Hold:
    """The hold as the rules see it at `at`, from its events in recorded order."""
    seen = [x for x in events if x.at <= at]
    record = hold_record(events)
    release = _latest_release(seen) or record.scheduled_release_at
    served = next((x for x in seen if isinstance(x, e.WarrantServed) and x.valid), None)
    served_at = served.at if served else None
    detainers = [x for x in seen if isinstance(x, e.WarrantReceived) and x.form == "I-247A"]
    booking = _first(seen, e.IgsaBooked)
    return Hold(
        facility=facility,
        agreement=agreement,
        scheduled_release_at=release,
        served_at=served_at,
        ice_notified_at=next(
            (x.at for x in seen if isinstance(x, e.IceNotified) and served_at and x.at >= served_at), None
        ),
        citizenship_claims=_claims(seen),
        detainer_i247a=bool(detainers),
        cfr_287_7_applies=any(d.cfr_287_7_applies for d in detainers),
        transferred_at=_first_at(seen, e.TransferredToIce),
        released_at=_first_at(seen, e.Released),
        cleared_for_release_at=_latest_clearance(seen, until=served_at),
        release_standard=release_standard,
        igsa_booked_at=booking.at if booking else None,
        igsa_number=booking.agreement_number if booking else None,
    )


@dataclass(frozen=True)
class WarrantRecord:
    form: str
    number: str
    issuing_officer: str
    issued_on: date
    fact: Warrant


@dataclass(frozen=True)
class HoldRecord:
    """What the booking and the warrants state about the person (D3: nothing more)."""

    booking_number: str
    person_name: str
    date_of_birth: date | None
    facility_id: str
    booking_date: date
    scheduled_release_at: datetime
    warrants: tuple[WarrantRecord, ...]

    def warrant(self, number: str) -> WarrantRecord | None:
        return next((w for w in self.warrants if w.number == number), None)


def hold_record(events: Sequence[e.Event]) -> HoldRecord:
    """The booking and warrants as recorded (latest scheduled release), whatever the instant."""
    booked = next((x for x in events if isinstance(x, e.Booked)), None)
    if booked is None:
        raise ValueError("a hold's events start with its booking")
    warrants = tuple(
        WarrantRecord(
            form=x.form,
            number=x.number,
            issuing_officer=x.issuing_officer,
            issued_on=x.issued_on,
            fact=Warrant(
                form=x.form,
                names_person=x.names_person,
                signed_by_authorized_officer=x.signed,
                accompanied_by=tuple(x.accompanied_by),
            ),
        )
        for x in events
        if isinstance(x, e.WarrantReceived)
    )
    return HoldRecord(
        booking_number=booked.booking_number,
        person_name=booked.person_name,
        date_of_birth=booked.date_of_birth,
        facility_id=booked.facility_id,
        booking_date=booked.booking_date,
        scheduled_release_at=_latest_release(events) or booked.scheduled_release_at,
        warrants=warrants,
    )


def _latest_release(events: Sequence[e.Event]) -> datetime | None:
    changes = [x.scheduled_release_at for x in events if isinstance(x, (e.Booked, e.ReleaseChanged))]
    return changes[-1] if changes else None


def _latest_clearance(events: Sequence[e.Event], *, until: datetime | None) -> datetime | None:
    """H3: the clearance that began the release the service answered (the latest before it)."""
    times = [x.at for x in events if isinstance(x, e.ClearedForRelease) and (until is None or x.at <= until)]
    return times[-1] if times else None


def _first(events: Sequence[e.Event], kind: type) -> e.Event | None:
    return next((x for x in events if isinstance(x, kind)), None)


def _first_at(events: Sequence[e.Event], kind: type) -> datetime | None:
    found = _first(events, kind)
    return found.at if found else None


def _claims(events: Sequence[e.Event]) -> tuple[CitizenshipClaim, ...]:
    """Every claim (H7); a report or an answer belongs to the earliest claim still without one."""
    claims: list[CitizenshipClaim] = []
    for x in events:
        if isinstance(x, e.CitizenshipClaimed):
            claims.append(CitizenshipClaim(claimed_at=x.at))
        elif isinstance(x, e.CitizenshipReported):
            i = next((i for i, c in enumerate(claims) if c.reported_at is None), None)
            if i is not None:
                claims[i] = replace(claims[i], reported_at=x.at, exigency_reason=x.exigency_reason)
        elif isinstance(x, e.CitizenshipAnswered):
            i = next((i for i, c in enumerate(claims) if c.answered_at is None), None)
            if i is not None:
                claims[i] = replace(claims[i], answered_at=x.at)
    return tuple(claims)
