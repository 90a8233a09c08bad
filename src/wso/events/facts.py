"""ONE pure fold from ledger events to the rules' facts as of an instant: `facts_as_of(events, at)`.

Why one: the scenarios, the audit and (through the same row folds) `wso ledger verify` must not
disagree about what an event means. So this composes the folds that exist rather than writing
another: the records' events go through the row fold of `wso ledger verify` (wso.events.rows), the
rows become facts by the same conversion the services use on their tables (wso.events.to_rules), and each hold's
events go through the holds area's own fold (wso.events.hold_fold.hold_facts).

Time: an event counts once recorded at or before `at` (its envelope's instant); within a hold,
`hold_facts` further counts only what happened at or before `at`. A question at 10:00 never sees what
is recorded at 10:01. Nothing here decides a legal question: which warrant service transferred custody
is the recorded judgement (`WarrantServed.valid`) unless the caller passes `service_counts`, which asks
the rules (the scenarios do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wso.events import holds as h
from wso.events import records as r
from wso.events import to_rules
from wso.events.base import CatalogEvent, Event, Rows
from wso.events.catalog import CATALOG, parse
from wso.events.hold_fold import hold_facts, hold_record
from wso.events.rows import fold_rows
from wso.events.to_rules import as_row
from wso.rules import facts as f

# The types this fold reads (the rest of the catalog feeds no rule's facts, or is FOLD_FREE).
FOLDED_TYPES: frozenset[str] = (
    frozenset(
        t
        for t, cls in CATALOG.items()
        if not cls.FOLD_FREE and (t.split(".", 1)[0] in {"agency", "facility", "agreement", "officer", "complaint"})
    )
    | frozenset(h.AREA_CATALOG)
    | {"departure.reason_recorded"}
)


@dataclass(frozen=True)
class ServiceRecord:
    """One warrant service on a hold, as the rules' `Service`; `index` is the event's envelope id."""

    index: int
    hold_id: str
    officer_id: str
    warrant_number: str
    service: f.Service


@dataclass(frozen=True)
class Facts:
    """The rules' facts as they stood at `at`, by record id."""

    at: datetime
    facilities: Mapping[str, f.Facility] = field(default_factory=dict)
    agreements: Mapping[str, f.Agreement] = field(default_factory=dict)
    officers: Mapping[str, f.Officer] = field(default_factory=dict)
    complaints: Mapping[str, f.Complaint] = field(default_factory=dict)
    warrants: Mapping[str, f.Warrant] = field(default_factory=dict)  # by warrant number, every hold's
    services: tuple[ServiceRecord, ...] = ()
    holds: Mapping[str, f.Hold] = field(default_factory=dict)
    hold_agreements: Mapping[str, str] = field(default_factory=dict)  # hold id -> the agreement it runs under


ServiceCounts = Callable[[ServiceRecord, Facts], bool]


@dataclass
class _Policy:
    detention: list[tuple[str, f.DetentionAgreement]] = field(default_factory=list)  # (facility id, fact)
    standards: list[tuple[str, datetime, int, f.ReleaseStandard]] = field(default_factory=list)
    agreement_extras: dict[str, r.AgreementCreated] = field(default_factory=dict)
    holds: dict[str, list[tuple[int, h.Event]]] = field(default_factory=dict)  # hold id -> (envelope id, event)


def facts_as_of(events: Iterable[Event], at: datetime, *, service_counts: ServiceCounts | None = None) -> Facts:
    """The facts recorded by `events` (in the order appended) as of `at`; each event is checked against
    the catalog, so an unknown type or a bad payload raises instead of being skipped."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive instant {at!r}: facts are asked at a timezone-aware instant")
    rows: Rows = {}
    policy = _Policy()
    for event in events:
        if event.at > at:
            continue
        typed = parse(event.type, event.data)
        if type(typed).FOLD_FREE:
            continue
        _fold(rows, policy, event, typed)
    facilities = {fid: _facility(row, fid, policy) for fid, row in rows.get("facilities", {}).items()}
    agreements = {aid: _agreement(rows, aid, policy) for aid in rows.get("agreements", {})}
    snapshot = Facts(
        at=at,
        facilities=facilities,
        agreements=agreements,
        officers={oid: _officer(rows, oid) for oid in rows.get("officers", {})},
        complaints={cid: _complaint(row) for cid, row in rows.get("complaints", {}).items()},
    )
    return _with_holds(snapshot, rows, policy, service_counts)


def _fold(rows: Rows, policy: _Policy, event: Event, typed: CatalogEvent) -> None:
    if isinstance(typed, h.DetentionAgreementRecorded):
        fact = f.DetentionAgreement(
            kind=typed.kind,
            number=typed.number,
            parties=tuple(typed.parties),
            effective_at=typed.effective_at,
            ends_at=typed.ends_at,
        )
        policy.detention.append((typed.facility_id, fact))
    elif isinstance(typed, h.ReleaseStandardRecorded):
        fact = f.ReleaseStandard(minutes=typed.minutes, source=typed.source)
        policy.standards.append((typed.agency_id, typed.effective_at, event.id, fact))
    elif isinstance(typed, h.Event):
        policy.holds.setdefault(event.entity_id, []).append((event.id, typed))
    else:
        if isinstance(typed, r.AgreementCreated):
            policy.agreement_extras[event.entity_id] = typed
        fold_rows(rows, event)


# ---- rows to facts (as wso.services.to_facts reads the tables) ----------------------------------------


def _children(rows: Rows, table: str, parent: str, parent_id: str, order: str) -> list[Any]:
    """A record's child rows in the services' order (by `order`, then by id), as rows with attributes."""
    found = [(row[order], child_id, row) for child_id, row in rows.get(table, {}).items() if row[parent] == parent_id]
    return [as_row(row) for _, _, row in sorted(found, key=lambda x: (x[0], x[1]))]


def _facility(row: Mapping[str, Any], facility_id: str, policy: _Policy) -> f.Facility:
    mine = [d for fid, d in policy.detention if fid == facility_id]
    ordered = sorted(mine, key=lambda d: (d.effective_at is not None, d.effective_at or datetime.min, d.number))
    return f.Facility(
        name=row["name"], state=row["state"], timezone=row["timezone"], detention_agreements=tuple(ordered)
    )


def _agreement(rows: Rows, agreement_id: str, policy: _Policy) -> f.Agreement:
    return agreement_of_rows(rows, agreement_id, created=policy.agreement_extras.get(agreement_id))


def agreement_of_rows(rows: Rows, agreement_id: str, *, created: r.AgreementCreated | None = None) -> f.Agreement:
    """The agreement as the rules see it from folded rows (the conversion the services use on the
    tables, wso.events.to_rules); its clock runs in its agency's zone. `created` adds what only its
    creation event states (K2, K3)."""
    row = rows["agreements"][agreement_id]
    agency = rows["agencies"][row["agency_id"]]
    return to_rules.agreement_fact_of(
        as_row(row),
        notices=_children(rows, "notices", "agreement_id", agreement_id, "received_at"),
        meetings=_children(rows, "meetings", "agreement_id", agreement_id, "held_at"),
        timezone=agency["timezone"],
        igsa_bed_rate_usd=created.igsa_bed_rate_usd if created else None,
        boa=created.boa if created else False,
    )


def _officer(rows: Rows, officer_id: str) -> f.Officer:
    """The officer as the rules see it; the latest credential is the one carried (O4, O6)."""

    def kids(table: str, order: str) -> list[Any]:
        return _children(rows, table, "officer_id", officer_id, order)

    return to_rules.officer_fact_of(
        as_row(rows["officers"][officer_id]),
        exam_attempts=kids("exam_attempts", "taken_at"),
        withdrawals=kids("withdrawals", "effective_at"),
        credentials=kids("credentials", "issued_at"),
        trainings=kids("trainings", "completed_at"),
        required_trainings=kids("required_trainings", "due_at"),
    )


def _complaint(row: Mapping[str, Any]) -> f.Complaint:
    return to_rules.complaint_fact(as_row(row))


# ---- holds ----------------------------------------------------------------------------------------


def _hold_agreement(rows: Rows, agency_id: str) -> str | None:
    """The agreement a hold runs under: the agency's latest WSO agreement (as `book_person` chooses it),
    else its latest agreement of any model; ties by id."""
    mine = [(row["created_at"], aid, row) for aid, row in rows.get("agreements", {}).items()]
    mine = [x for x in mine if x[2]["agency_id"] == agency_id]
    wso = [x for x in mine if x[2]["model"] == "WSO"] or mine
    if not wso:
        return None
    latest = max(x[0] for x in wso)
    return min(aid for created, aid, _ in wso if created == latest)


def _release_standard(policy: _Policy, agency_id: str, at: datetime) -> f.ReleaseStandard | None:
    """The agency's standard in effect at `at` (H3): the latest effective, then the latest recorded."""
    candidates = [(eff, i, fact) for aid, eff, i, fact in policy.standards if aid == agency_id and eff <= at]
    return max(candidates, key=lambda x: (x[0], x[1]))[2] if candidates else None


def _with_holds(snapshot: Facts, rows: Rows, policy: _Policy, service_counts: ServiceCounts | None) -> Facts:
    warrants: dict[str, f.Warrant] = {}
    services: list[ServiceRecord] = []
    plans: list[tuple[str, list[tuple[int, h.Event]], str, str]] = []
    for hold_id, entries in policy.holds.items():
        events = [x for _, x in entries]
        for x in events:
            if isinstance(x, h.WarrantReceived):
                warrants[x.number] = f.Warrant(
                    form=x.form,
                    names_person=x.names_person,
                    signed_by_authorized_officer=x.signed,
                    accompanied_by=tuple(x.accompanied_by),
                )
        booked = next((x for x in events if isinstance(x, h.Booked)), None)
        if booked is None or booked.facility_id not in rows.get("facilities", {}):
            continue  # not booked (yet): warrants are known, there is no hold to decide on
        agency_id = rows["facilities"][booked.facility_id]["agency_id"]
        agreement_id = _hold_agreement(rows, agency_id)
        if agreement_id is None:
            continue
        plans.append((hold_id, entries, agency_id, agreement_id))
        record = hold_record(events)
        for envelope_id, x in entries:
            if isinstance(x, h.WarrantServed) and x.at <= snapshot.at:
                seen = [y for y in events if y.at <= x.at]
                clearances = [y.at for y in seen if isinstance(y, h.ClearedForRelease)]
                releases = [y.scheduled_release_at for y in seen if isinstance(y, (h.Booked, h.ReleaseChanged))]
                services.append(
                    ServiceRecord(
                        index=envelope_id,
                        hold_id=hold_id,
                        officer_id=x.officer_id,
                        warrant_number=x.warrant_number,
                        service=f.Service(
                            served_at=x.at,
                            scheduled_release_at=releases[-1] if releases else record.scheduled_release_at,
                            in_own_facility=x.in_own_facility,
                            criminal_custody_complete=x.criminal_custody_complete,
                            interpreter_used=x.interpreter_used,
                            interpreter_name=x.interpreter_name,
                            cleared_for_release_at=clearances[-1] if clearances else None,
                            release_standard=_release_standard(policy, agency_id, x.at),
                        ),
                    )
                )
    base = Facts(
        at=snapshot.at,
        facilities=snapshot.facilities,
        agreements=snapshot.agreements,
        officers=snapshot.officers,
        complaints=snapshot.complaints,
        warrants=warrants,
        services=tuple(services),
    )
    holds: dict[str, f.Hold] = {}
    for hold_id, entries, agency_id, agreement_id in plans:
        events = [x for _, x in entries]
        if service_counts is not None:
            counts = {s.index for s in base.services if s.hold_id == hold_id and service_counts(s, base)}
            events = [
                x.model_copy(update={"valid": i in counts}) if isinstance(x, h.WarrantServed) else x for i, x in entries
            ]
        booked = next(x for x in events if isinstance(x, h.Booked))
        holds[hold_id] = hold_facts(
            events,
            at=snapshot.at,
            facility=snapshot.facilities[booked.facility_id],
            agreement=snapshot.agreements[agreement_id],
            release_standard=_release_standard(policy, agency_id, snapshot.at),
        )
    return Facts(
        at=base.at,
        facilities=base.facilities,
        agreements=base.agreements,
        officers=base.officers,
        complaints=base.complaints,
        warrants=base.warrants,
        services=base.services,
        holds=holds,
        hold_agreements={hold_id: agreement_id for hold_id, _, _, agreement_id in plans},
    )
