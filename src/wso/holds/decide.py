"""Decide on write: fold a hold's events, ask the rules once, store the summary in its projection row.

`refresh_hold(uow, hold_id=..., now=...)` recomputes the stored summary at `now` (the deadline worker
calls it when a due instant passes; it never commits: the caller's unit of work does). `due_instants`
lists the instants at which a hold's decision changes by the mere passing of time, or an alert is due,
so the worker can schedule them: release due, ICE notification due (then overdue), citizenship report
due in 15 minutes and overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from wso.holds import events as e
from wso.holds import tables as t
from wso.holds.fold import hold_facts, hold_record
from wso.rules import facts
from wso.rules.decision import Action, Deadline, Decision
from wso.rules.holds import hold_status
from wso.services.asking import ask
from wso.services.errors import NotFound
from wso.services.to_facts import agreement_fact
from wso.store import tables
from wso.store.ledger import stream_events
from wso.store.uow import UnitOfWork

# Who in the jail does each action the rules demand (workflow, not law: the roles of DESIGN.md).
ACTION_ROLES: dict[str, str] = {
    "release_now": "clerk",
    "serve_or_release": "wso",
    "serve_warrant": "wso",
    "transfer_or_release": "clerk",
    "notify_ice": "clerk",
    "notify_dhs_of_release": "clerk",
    "report_citizenship_claim": "supervisor",  # MOA-2019: "through their chain of command"
    "record_ice_answer": "supervisor",
    "annotate_interpreter_name": "wso",
    "release_at_scheduled_time": "clerk",
}
# Issue 12: alert "citizenship report due in 15 minutes" before the H7 deadline (an alerting choice,
# not a legal number: the legal limit is params/hold/citizenship_report_hours.yaml).
CITIZENSHIP_REMINDER_LEAD = timedelta(minutes=15)
ENDED = ("transferred", "released", "igsa_detention")


def stream_of(hold_id: str) -> str:
    return f"hold:{hold_id}"


def load_events(uow: UnitOfWork, hold_id: str) -> list[e.Event]:
    """The hold's events in recorded order, typed (an unknown type fails loudly)."""
    return [e.parse_event(row.type, row.data) for row in stream_events(uow.session, stream_of(hold_id))]


def facility_fact(uow: UnitOfWork, facility_id: str) -> facts.Facility:
    """The facility with its recorded detention agreements (H5, K2)."""
    row = uow.session.get(tables.Facility, facility_id)
    if row is None:
        raise NotFound("facility", facility_id)
    agreements = uow.session.scalars(
        select(t.DetentionAgreement)
        .where(t.DetentionAgreement.facility_id == facility_id)
        .order_by(t.DetentionAgreement.effective_at, t.DetentionAgreement.id)
    )
    return facts.Facility(
        name=row.name,
        state=row.state,
        timezone=row.timezone,
        detention_agreements=tuple(
            facts.DetentionAgreement(
                kind=a.kind, number=a.number, parties=tuple(a.parties), effective_at=a.effective_at, ends_at=a.ends_at
            )
            for a in agreements
        ),
    )


def release_standard_fact(uow: UnitOfWork, agency_id: str, *, at: datetime) -> facts.ReleaseStandard | None:
    """The agency's written release-processing standard in effect at `at` (H3); None: none recorded."""
    row = uow.session.scalars(
        select(t.ReleaseStandard)
        .where(t.ReleaseStandard.agency_id == agency_id, t.ReleaseStandard.effective_at <= at)
        .order_by(t.ReleaseStandard.effective_at.desc(), t.ReleaseStandard.created_at.desc())
        .limit(1)
    ).first()
    return facts.ReleaseStandard(minutes=row.minutes, source=row.source) if row else None


def decide_hold(uow: UnitOfWork, row: t.Hold, events: Sequence[e.Event], *, at: datetime) -> Decision:
    """Fold, ask `hold_status` at `at`, and store the summary in `row` (flushed by the caller's unit).

    The lookups run without autoflush, so a row changed here is written once, by the caller's flush."""
    with uow.session.no_autoflush:
        agreement_row = uow.session.get(tables.Agreement, row.agreement_id)
        hold = hold_facts(
            events,
            at=at,
            facility=facility_fact(uow, row.facility_id),
            agreement=agreement_fact(uow, agreement_row),
            release_standard=release_standard_fact(uow, row.agency_id, at=at),
        )
    decision = ask(hold_status, hold, at=at)
    store_summary(row, decision, events=events, at=at)
    return decision


@dataclass(frozen=True)
class DueInstant:
    """An instant a worker must wake up for: `kind` names the alert, `rule` its rule id."""

    kind: str
    due_at: datetime
    rule: str
    description: str = ""


def due_instants(decision: Decision) -> list[DueInstant]:
    """Every alert instant of a stored decision, earliest first: each deadline and each action's due time
    (release due, ICE notification due, citizenship report due), plus a reminder 15 minutes before each
    citizenship report deadline. Past instants are included (overdue): the caller filters by `now`."""
    items: dict[tuple[str, datetime], DueInstant] = {}
    for d in decision.deadlines:
        kind = "release_due" if d.binding else f"{d.name}_due"
        items[(kind, d.due)] = DueInstant(kind, d.due, d.rule, d.description)
        if d.name.startswith("citizenship_report"):
            soon = d.due - CITIZENSHIP_REMINDER_LEAD
            items[(f"{d.name}_due_soon", soon)] = DueInstant(f"{d.name}_due_soon", soon, d.rule, d.description)
    deadline_times = {(d.rule, d.due) for d in decision.deadlines}
    for a in decision.actions:
        if a.due is not None and (a.rule, a.due) not in deadline_times:
            items.setdefault((f"{a.name}_due", a.due), DueInstant(f"{a.name}_due", a.due, a.rule, a.description))
    return sorted(items.values(), key=lambda x: (x.due_at, x.kind))


def upcoming_due(row: t.Hold, *, after: datetime) -> list[DueInstant]:
    """The due instants of the hold's stored decision strictly after `after` (none once it ended)."""
    if not row.active:
        return []
    return [d for d in due_instants(decision_from_dict(row.decision)) if d.due_at > after]


def due_hold_ids(uow: UnitOfWork, *, now: datetime, limit: int = 100) -> list[str]:
    """Active holds whose `next_due_at` has come, earliest first: what the worker refreshes and alerts on.
    On PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED, so several workers share them without
    taking the same hold twice (SQLite ignores the clause: it has one writer at a time anyway)."""
    query = (
        select(t.Hold.id)
        .where(t.Hold.active.is_(True), t.Hold.next_due_at.is_not(None), t.Hold.next_due_at <= now)
        .order_by(t.Hold.next_due_at, t.Hold.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(uow.session.scalars(query))


def store_summary(row: t.Hold, decision: Decision, *, events: Sequence[e.Event], at: datetime) -> None:
    """The board's columns from one decision (see tables.py for each column's meaning)."""
    record = hold_record(events)
    authority = next((w for w in reversed(record.warrants) if w.form in ("I-200", "I-205")), None)
    shown = authority or (record.warrants[-1] if record.warrants else None)
    binding = decision.binding_deadline
    action = _next_action(decision, has_authority=authority is not None)
    row.scheduled_release_at = record.scheduled_release_at
    row.person_name = record.person_name
    row.warrant_form = shown.form if shown else None
    row.warrant_number = shown.number if shown else None
    served = next((x for x in events if isinstance(x, e.WarrantServed) and x.valid and x.at <= at), None)
    row.served_at = served.at if served else None
    row.decided_at = at
    row.status = decision.status
    row.allowed = decision.allowed
    row.binding_deadline_at = binding.due if binding else None
    row.binding_deadline_name = binding.name if binding else None
    row.binding_rule = binding.rule if binding else None
    row.next_action = action[0] if action else None
    row.next_action_role = ACTION_ROLES.get(action[0], "clerk") if action else None
    row.next_action_due_at = action[1] if action else None
    row.next_action_rule = action[2] if action else None
    row.flag_citizenship_open = bool(decision.values.get("citizenship_claim_open", False))
    row.flag_ice_not_notified = decision.values.get("ice_notified") is False
    row.flag_past_deadline = decision.status == "release_required"
    row.rule_ids = " ".join(decision.rule_ids)
    row.active = decision.status not in ENDED
    candidates = [x for x in (row.binding_deadline_at, row.next_action_due_at) if x is not None]
    row.sort_at = min(candidates) if candidates and row.active else None
    row.decision = decision.to_dict()
    future = [d.due_at for d in due_instants(decision) if d.due_at > at] if row.active else []
    row.next_due_at = min(future) if future else None


def _next_action(decision: Decision, *, has_authority: bool) -> tuple[str, datetime | None, str] | None:
    """The first action the rules demand; in criminal custody, serving at release (a WSO, with an I-200
    or I-205) or releasing then (a clerk, with a detainer alone or no warrant)."""
    if decision.actions:
        first = decision.actions[0]
        return first.name, first.due, first.rule
    release = next((d for d in decision.deadlines if d.name in ("scheduled_release", "cleared_for_release")), None)
    if decision.status == "in_criminal_custody" and release is not None:
        return ("serve_warrant" if has_authority else "release_at_scheduled_time"), release.due, release.rule
    return None


def refresh_hold(uow: UnitOfWork, *, hold_id: str, now: datetime) -> t.Hold:
    """Recompute the hold's stored decision summary at `now` (no event appended, no commit)."""
    row = uow.session.get(t.Hold, hold_id)
    if row is None:
        raise NotFound("hold", hold_id)
    decide_hold(uow, row, load_events(uow, hold_id), at=now)
    uow.session.flush()
    return row


def decision_from_dict(data: dict) -> Decision:
    """The stored decision's deadlines and actions back as objects (what due_instants needs)."""
    return Decision(
        question=data["question"],
        allowed=data["allowed"],
        reasons=(),
        status=data["status"],
        deadlines=tuple(
            Deadline(d["name"], datetime.fromisoformat(d["due"]), d["rule"], d["binding"], d["description"])
            for d in data["deadlines"]
        ),
        actions=tuple(
            Action(a["name"], a["rule"], datetime.fromisoformat(a["due"]) if a["due"] else None, a["description"])
            for a in data["actions"]
        ),
        values=dict(data.get("values", {})),
    )
