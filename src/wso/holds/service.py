"""Hold use cases: keyword-only functions of (uow, actor, command, now). They NEVER commit: each entry
point (API route, page, CLI command, worker job) opens one unit of work and commits it once.

Every change appends one event to the hold's stream `hold:<id>` and recomputes the stored decision
summary (decide on write). What the rules refuse is refused with `Refused(decision)`, the rule ids in
the error; who may do what is checked here (a clerk books, clears and releases; a WSO serves; a
supervisor oversees and may step in for a clerk; an auditor and a coordinator read), and another
agency's hold is NotFound.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import select

from wso.holds import commands as c
from wso.holds import events as e
from wso.holds import tables as t
from wso.holds.decide import decide_hold, facility_fact, load_events, release_standard_fact, stream_of
from wso.holds.fold import hold_facts, hold_record
from wso.holds.roles import ROLES, require_role  # noqa: F401 - re-exported: the pages and the API check roles here
from wso.holds.views import DetentionAgreementView, HoldDetail, HoldEventView, HoldSummary, ReleaseStandardView
from wso.rules.facts import Service
from wso.rules.holds import may_record_act, may_record_service
from wso.services.asking import ask
from wso.services.errors import ConcurrencyError, InvalidInput, NotFound, Refused
from wso.services.lookup import log_read
from wso.services.permissions import Actor, may_see_agency
from wso.services.to_facts import agreement_fact, officer_fact
from wso.store import tables
from wso.store.ledger import stream_events
from wso.store.uow import UnitOfWork

# A clock-skew allowance for "when it happened" typed at a terminal (not a legal number).
FUTURE_TOLERANCE: Final = timedelta(minutes=2)
ENDED: Final = ("transferred", "released", "igsa_detention")


def _require_agency(actor: Actor, agency_id: str, *, entity: str, id: str) -> None:
    if not may_see_agency(actor, agency_id):
        raise NotFound(entity, id)


def load_hold(uow: UnitOfWork, *, actor: Actor, hold_id: str, expected_version: int | None = None) -> t.Hold:
    """The hold if it exists within the actor's agency (else NotFound), at the version the user saw."""
    row = uow.session.get(t.Hold, hold_id)
    if row is None:
        raise NotFound("hold", hold_id)
    _require_agency(actor, row.agency_id, entity="hold", id=hold_id)
    if expected_version is not None and row.version != expected_version:
        raise ConcurrencyError(f"this hold is now at version {row.version}, not {expected_version}: reload it")
    return row


def _when(at: datetime | None, *, now: datetime, field: str = "at") -> datetime:
    """When it happened: default now; never in the future (beyond a clock-skew allowance)."""
    if at is None:
        return now
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(field, f"{at.isoformat()} is in the future; record what has happened")
    return at


def _record(uow: UnitOfWork, *, actor: Actor, row: t.Hold, event: e.Event, now: datetime) -> HoldSummary:
    """Append the event to the hold's stream and store the decision it leads to (one unit of work)."""
    events = [*load_events(uow, row.id), event]
    decide_hold(uow, row, events, at=max(now, event.at))  # no autoflush: one UPDATE below, with the version
    uow.append(
        stream=stream_of(row.id), actor=actor.label, at=now, type=event.type, payload=e.payload_of(event), aggregate=row
    )
    return HoldSummary.of(row)


def _open_hold(uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.OnHold, operation: str) -> t.Hold:
    require_role(actor, operation)
    row = load_hold(uow, actor=actor, hold_id=hold_id, expected_version=command.expected_version)
    if row.status in ENDED:
        raise InvalidInput("hold_id", f"the hold has ended ({row.status.replace('_', ' ')}); nothing more to record")
    return row


# ---- booking -----------------------------------------------------------------------------------


def book_person(uow: UnitOfWork, *, actor: Actor, command: c.BookPerson, now: datetime) -> HoldSummary:
    """Book a person into a hold record: the jail's booking and scheduled release (H1)."""
    require_role(actor, "book")
    facility = uow.session.get(tables.Facility, command.facility_id)
    if facility is None or not may_see_agency(actor, facility.agency_id):
        raise NotFound("facility", command.facility_id)
    agreement = _wso_agreement(uow, facility.agency_id)
    taken = uow.session.scalars(
        select(t.Hold.id).where(t.Hold.agency_id == facility.agency_id, t.Hold.booking_number == command.booking_number)
    ).first()
    if taken is not None:
        raise InvalidInput("booking_number", f"{command.booking_number} is already booked (hold {taken})")
    event = e.Booked(
        at=now,
        note=command.note,
        booking_number=command.booking_number,
        person_name=command.person_name,
        date_of_birth=command.date_of_birth,
        facility_id=facility.id,
        booking_date=command.booking_date,
        scheduled_release_at=command.scheduled_release_at,
    )
    row = t.Hold(
        id=str(uuid.uuid4()),
        version=1,
        created_at=now,
        agency_id=facility.agency_id,
        facility_id=facility.id,
        agreement_id=agreement.id,
        booking_number=command.booking_number,
        person_name=command.person_name,
        date_of_birth=command.date_of_birth,
        booking_date=command.booking_date,
        scheduled_release_at=command.scheduled_release_at,
        decided_at=now,
        status="new",
        allowed=True,
        active=True,
        rule_ids="",
        decision={},
    )
    decide_hold(uow, row, [event], at=now)  # before the row joins the session: one INSERT, complete
    uow.session.add(row)
    uow.append(
        stream=stream_of(row.id), actor=actor.label, at=now, type=event.type, payload=e.payload_of(event), aggregate=row
    )
    return HoldSummary.of(row)


def _wso_agreement(uow: UnitOfWork, agency_id: str) -> tables.Agreement:
    """The agency's latest WSO agreement: the one whose template the hold's rules follow (A7)."""
    row = uow.session.scalars(
        select(tables.Agreement)
        .where(tables.Agreement.agency_id == agency_id, tables.Agreement.model == "WSO")
        .order_by(tables.Agreement.created_at.desc(), tables.Agreement.id)
        .limit(1)
    ).first()
    if row is None:
        raise InvalidInput("facility_id", "the agency has no WSO agreement recorded; a WSO hold needs one")
    return row


def change_release(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.ChangeRelease, now: datetime
) -> HoldSummary:
    """A new scheduled release (new charges, court order, bond...)."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="change_release")
    event = e.ReleaseChanged(
        at=_when(command.at, now=now),
        note=command.note,
        reason=command.reason,
        scheduled_release_at=command.scheduled_release_at,
    )
    return _record(uow, actor=actor, row=row, event=event, now=now)


def receive_warrant(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.ReceiveWarrant, now: datetime
) -> HoldSummary:
    """An I-200 / I-205 (H2) or an I-247A detainer with its own clocks (H8) arrived for the person."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="receive_warrant")
    if hold_record(load_events(uow, row.id)).warrant(command.number) is not None:
        raise InvalidInput("number", f"warrant {command.number} is already recorded for this hold")
    data = command.model_dump(exclude={"at", "expected_version"})
    event = e.WarrantReceived(at=_when(command.at, now=now), **data)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def clear_for_release(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.ClearForRelease, now: datetime
) -> HoldSummary:
    """Criminal custody is over: release processing starts, and with it the H3 count."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="clear")
    event = e.ClearedForRelease(at=_when(command.at, now=now), note=command.note)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def serve_warrant(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.ServeWarrant, now: datetime
) -> HoldSummary:
    """A WSO serves the warrant. Refused (with the rules' reasons) when the officer is not authorized at
    that instant (O4), before release or outside the agency's own jail (H1), on a detainer alone (H2),
    with an unnamed interpreter (H6) or where state law forbids it (H9). A service past the written
    release-processing standard is recorded as it happened, transfers no custody, and release is
    demanded (H3)."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="serve")
    at = _when(command.at, now=now)
    events = load_events(uow, row.id)
    record = hold_record(events)
    warrant = record.warrant(command.warrant_number)
    if warrant is None:
        raise InvalidInput("warrant_number", f"no warrant {command.warrant_number} was received for this hold")
    if any(isinstance(x, e.WarrantServed) and x.valid for x in events):
        raise InvalidInput("warrant_number", "a warrant was already served validly on this hold")
    officer_row = uow.session.get(tables.Officer, command.officer_id)
    if officer_row is None or officer_row.agency_id != row.agency_id:
        raise NotFound("officer", command.officer_id)
    agreement = agreement_fact(uow, uow.session.get(tables.Agreement, officer_row.agreement_id))
    facility = facility_fact(uow, row.facility_id)
    where = uow.session.get(tables.Facility, command.facility_id or row.facility_id)
    standard = release_standard_fact(uow, row.agency_id, at=at)
    facts = hold_facts(events, at=at, facility=facility, agreement=agreement, release_standard=standard)
    service = Service(
        served_at=at,
        scheduled_release_at=facts.scheduled_release_at,
        in_own_facility=where is not None and where.agency_id == row.agency_id,
        interpreter_used=command.interpreter_used,
        interpreter_name=command.interpreter_name,
        cleared_for_release_at=facts.cleared_for_release_at,
        release_standard=standard,
    )
    decision = ask(
        may_record_service,
        service,
        officer=officer_fact(uow, officer_row),
        agreement=agreement,
        warrant=warrant.fact,
        facility=facility,
    )
    if not decision.allowed:
        raise Refused(decision, field="officer_id" if "O4" in decision.rule_ids else None)
    event = e.WarrantServed(
        at=at,
        note=command.note,
        officer_id=officer_row.id,
        officer_name=officer_row.name,
        warrant_number=warrant.number,
        interpreter_used=command.interpreter_used,
        interpreter_name=command.interpreter_name,
        valid=bool(decision.values["valid"]),
        rule_ids=decision.rule_ids,
    )
    return _record(uow, actor=actor, row=row, event=event, now=now)


def record_act(uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.RecordAct, now: datetime) -> HoldSummary:
    """O9: a WSO's act other than serving (interrogation, processing, transport...) is never recorded
    as a WSO act: the rules refuse it. Serving is recorded with `serve_warrant`."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="record_act")
    officer_row = uow.session.get(tables.Officer, command.officer_id)
    if officer_row is None or officer_row.agency_id != row.agency_id:
        raise NotFound("officer", command.officer_id)
    agreement = uow.session.get(tables.Agreement, officer_row.agreement_id)
    decision = ask(may_record_act, command.function, template=agreement.template)
    if not decision.allowed:
        raise Refused(decision, field="function")
    raise InvalidInput("function", "serving a warrant is recorded with serve_warrant (`wso holds serve`)")


def notify_ice(uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.NotifyIce, now: datetime) -> HoldSummary:
    """The LEA notified the ICE officer of the service (H4): when, how, to whom."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="notify_ice")
    event = e.IceNotified(at=_when(command.at, now=now), note=command.note, how=command.how, to=command.to)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def claim_citizenship(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.ClaimCitizenship, now: datetime
) -> HoldSummary:
    """An asserted or suspected claim of U.S. citizenship (H7): opens the one-hour report deadline."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="claim")
    event = e.CitizenshipClaimed(at=_when(command.at, now=now), note=command.note, asserted_by=command.asserted_by)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def report_citizenship_claim(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.ReportCitizenshipClaim, now: datetime
) -> HoldSummary:
    """The claim reported to ICE (H7); a late report under MOA-2019 may record its exigency."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="report_claim")
    events = load_events(uow, row.id)
    claims = sum(isinstance(x, e.CitizenshipClaimed) for x in events)
    reports = sum(isinstance(x, e.CitizenshipReported) for x in events)
    if reports >= claims:
        raise InvalidInput("hold_id", "no citizenship claim awaits a report on this hold")
    event = e.CitizenshipReported(
        at=_when(command.at, now=now),
        note=command.note,
        to=command.to,
        how=command.how,
        exigency_reason=command.exigency_reason,
    )
    return _record(uow, actor=actor, row=row, event=event, now=now)


def record_ice_answer(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.RecordIceAnswer, now: datetime
) -> HoldSummary:
    """ICE answered a claim: its reference only (D3); the case stays marked until then (H7)."""
    require_role(actor, "answer")  # before the lookup, as every hold operation: the role decides first
    row = load_hold(uow, actor=actor, hold_id=hold_id, expected_version=command.expected_version)
    events = load_events(uow, row.id)
    claims = sum(isinstance(x, e.CitizenshipClaimed) for x in events)
    answers = sum(isinstance(x, e.CitizenshipAnswered) for x in events)
    if answers >= claims:
        raise InvalidInput("hold_id", "no citizenship claim awaits ICE's answer on this hold")
    event = e.CitizenshipAnswered(at=_when(command.at, now=now), note=command.note, reference=command.reference)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def book_under_igsa(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.BookUnderIgsa, now: datetime
) -> HoldSummary:
    """Booked as an ICE detainee under a recorded detention agreement of the facility (H5): an IGSA in
    force at the deadline, booked by then, ends the WSO hold; a BOA never does (K2)."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="igsa_book")
    known = uow.session.scalars(
        select(t.DetentionAgreement.id).where(
            t.DetentionAgreement.facility_id == row.facility_id, t.DetentionAgreement.number == command.agreement_number
        )
    ).first()
    if known is None:
        raise InvalidInput("agreement_number", "no detention agreement with this number is recorded for the facility")
    event = e.IgsaBooked(at=_when(command.at, now=now), note=command.note, agreement_number=command.agreement_number)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def transfer_to_ice(
    uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.TransferToIce, now: datetime
) -> HoldSummary:
    """ICE took custody of the person from the jail: the WSO hold ends (H5)."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="transfer")
    event = e.TransferredToIce(at=_when(command.at, now=now), note=command.note, received_by=command.received_by)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def release_person(uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.Release, now: datetime) -> HoldSummary:
    """The person left the jail, and why (deadline, warrant cancelled, claim substantiated, charges or court)."""
    row = _open_hold(uow, actor=actor, hold_id=hold_id, command=command, operation="release")
    event = e.Released(at=_when(command.at, now=now), note=command.note, reason=command.reason)
    return _record(uow, actor=actor, row=row, event=event, now=now)


def refresh(uow: UnitOfWork, *, actor: Actor, hold_id: str, command: c.RefreshHold, now: datetime) -> HoldSummary:
    """Recompute the stored decision at now (the worker does this when a due instant passes)."""
    from wso.holds.decide import refresh_hold

    require_role(actor, "refresh")
    load_hold(uow, actor=actor, hold_id=hold_id)
    return HoldSummary.of(refresh_hold(uow, hold_id=hold_id, now=now))


# ---- reads -------------------------------------------------------------------------------------

FLAGS: Final = {
    "citizenship_claim_open": t.Hold.flag_citizenship_open,
    "ice_not_notified": t.Hold.flag_ice_not_notified,
    "past_deadline": t.Hold.flag_past_deadline,
}


def list_holds(
    uow: UnitOfWork,
    *,
    actor: Actor,
    agency_id: str | None = None,
    facility_id: str | None = None,
    status: str | None = None,
    flag: str | None = None,
    active: bool | None = True,
    limit: int = 100,
    offset: int = 0,
) -> list[HoldSummary]:
    """The board: most urgent first (past a deadline, then the earliest deadline or due action), filtered
    and paged in SQL from the stored summaries; no rule is called."""
    require_role(actor, "read")
    if flag is not None and flag not in FLAGS:
        raise InvalidInput("flag", f"must be one of {', '.join(FLAGS)} (got {flag!r})")
    if not 1 <= limit <= 500:
        raise InvalidInput("limit", "must be between 1 and 500")
    if offset < 0:
        raise InvalidInput("offset", "must not be negative")
    query = select(t.Hold)
    scope = actor.agency_id if not actor.all_agencies else agency_id
    if actor.agency_id is not None and agency_id is not None and agency_id != actor.agency_id:
        raise NotFound("agency", agency_id)
    if scope is not None:
        query = query.where(t.Hold.agency_id == scope)
    if facility_id is not None:
        query = query.where(t.Hold.facility_id == facility_id)
    if status is not None:
        query = query.where(t.Hold.status == status)
    if flag is not None:
        query = query.where(FLAGS[flag].is_(True))
    if active is not None:
        query = query.where(t.Hold.active.is_(active))
    query = (
        query.order_by(
            t.Hold.flag_past_deadline.desc(), t.Hold.sort_at.is_(None), t.Hold.sort_at, t.Hold.booking_number
        )
        .limit(limit)
        .offset(offset)
    )
    rows = list(uow.session.scalars(query))
    note_shown(uow, actor=actor, holds=rows)
    return [HoldSummary.of(row) for row in rows]


def note_shown(uow: UnitOfWork, *, actor: Actor, holds: Iterable[Any]) -> None:
    """Each hold a list shows names a detained person: one access-log row per hold (CJIS 5.4.1.1, like
    a record page), written once when the entry point commits. `holds`: rows with `id` and `agency_id`."""
    by_agency: dict[str, list[str]] = {}
    for row in holds:
        by_agency.setdefault(row.agency_id, []).append(row.id)
    for agency_id, ids in by_agency.items():
        uow.note_reads(actor=actor.label, entity="hold", entity_ids=ids, as_of=None, agency_id=agency_id)


def hold_detail(uow: UnitOfWork, *, actor: Actor, hold_id: str, now: datetime) -> HoldDetail:
    """The person page: the stored decision with every reason and the whole timeline (the read is logged)."""
    require_role(actor, "read")
    row = load_hold(uow, actor=actor, hold_id=hold_id)
    log_read(uow, actor=actor, at=now, entity="hold", entity_id=row.id, agency_id=row.agency_id)
    facility = uow.session.get(tables.Facility, row.facility_id)
    timeline = [
        HoldEventView(seq=x.seq, type=x.type, at=x.data.get("at", x.at), recorded_at=x.at, actor=x.actor, data=x.data)
        for x in stream_events(uow.session, stream_of(row.id))
    ]
    summary = HoldSummary.of(row).model_dump()
    return HoldDetail(**summary, decision=row.decision, events=timeline, facility_timezone=facility.timezone)


# ---- the facility's agreements and the agency's standard ---------------------------------------


def record_detention_agreement(
    uow: UnitOfWork, *, actor: Actor, command: c.RecordDetentionAgreement, now: datetime
) -> DetentionAgreementView:
    """Record an IGSA (or similar) or a BOA of a facility; the facility's active holds are re-decided."""
    require_role(actor, "policy")
    facility = uow.session.get(tables.Facility, command.facility_id)
    if facility is None or not may_see_agency(actor, facility.agency_id):
        raise NotFound("facility", command.facility_id)
    if command.ends_at is not None and command.ends_at <= command.effective_at:
        raise InvalidInput("ends_at", "must be after effective_at")
    taken = uow.session.scalars(
        select(t.DetentionAgreement.id).where(
            t.DetentionAgreement.facility_id == facility.id, t.DetentionAgreement.number == command.number
        )
    ).first()
    if taken is not None:
        raise InvalidInput("number", f"agreement {command.number} is already recorded for this facility")
    row = t.DetentionAgreement(id=str(uuid.uuid4()), created_at=now, **command.model_dump())
    uow.session.add(row)
    payload = e.payload_of(e.DetentionAgreementRecorded(**command.model_dump()))
    uow.append(
        stream=f"facility:{facility.id}",
        actor=actor.label,
        at=now,
        type="detention_agreement_recorded",
        payload=payload,
    )
    _redecide(uow, select(t.Hold).where(t.Hold.facility_id == facility.id, t.Hold.active.is_(True)), now=now)
    return DetentionAgreementView.model_validate(row)


def set_release_standard(
    uow: UnitOfWork, *, actor: Actor, command: c.SetReleaseStandard, now: datetime
) -> ReleaseStandardView:
    """Record the agency's written release-processing standard (H3); its active holds are re-decided."""
    require_role(actor, "policy")
    agency = uow.session.get(tables.Agency, command.agency_id)
    if agency is None or not may_see_agency(actor, agency.id):
        raise NotFound("agency", command.agency_id)
    row = t.ReleaseStandard(id=str(uuid.uuid4()), created_at=now, **command.model_dump())
    uow.session.add(row)
    payload = e.payload_of(e.ReleaseStandardRecorded(**command.model_dump()))
    uow.append(
        stream=f"agency:{agency.id}:release-standard",
        actor=actor.label,
        at=now,
        type="release_standard_recorded",
        payload=payload,
    )
    _redecide(uow, select(t.Hold).where(t.Hold.agency_id == agency.id, t.Hold.active.is_(True)), now=now)
    return ReleaseStandardView.model_validate(row)


def _redecide(uow: UnitOfWork, query: object, *, now: datetime) -> None:
    uow.session.flush()
    for hold in list(uow.session.scalars(query)):  # type: ignore[call-overload]
        decide_hold(uow, hold, load_events(uow, hold.id), at=now)
    uow.session.flush()


def detention_agreements(uow: UnitOfWork, *, actor: Actor, facility_id: str) -> list[DetentionAgreementView]:
    """The facility's recorded IGSA and BOA agreements."""
    require_role(actor, "read")
    facility = uow.session.get(tables.Facility, facility_id)
    if facility is None or not may_see_agency(actor, facility.agency_id):
        raise NotFound("facility", facility_id)
    rows = uow.session.scalars(
        select(t.DetentionAgreement)
        .where(t.DetentionAgreement.facility_id == facility_id)
        .order_by(t.DetentionAgreement.effective_at, t.DetentionAgreement.id)
    )
    return [DetentionAgreementView.model_validate(r) for r in rows]


def all_events(uow: UnitOfWork, hold_id: str) -> Sequence[e.Event]:
    """The typed events of a hold (for tests and the audit's flattening)."""
    return load_events(uow, hold_id)
