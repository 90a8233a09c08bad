"""Departures (PROGRAM.md, Modality): a `should` missed is shown and counted apart from violations,
"with room to record the reason; never a refusal". This module is that room for the program records:
A6 (annual FOD-LEA meeting, agreements), O7 (90 days' notice before an officer leaves), C3 (a MOA-2019
complaint resolved within 90 days). The reason is an event on the record's own stream, projected into
`departure_reasons`, so `wso ledger verify` proves the table like every other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from wso.agreements import service as agreements
from wso.complaints import service as complaints
from wso.officers import service as officers
from wso.rules.decision import Decision, Reason
from wso.rules.officers import departure_notice
from wso.services.asking import ask
from wso.services.errors import InvalidInput
from wso.services.inputs import aware, choice, jsonable, new_id, text
from wso.services.lookup import load, log_read
from wso.services.permissions import Actor, Permission, require
from wso.services.to_facts import officer_fact
from wso.services.views import View
from wso.store import tables
from wso.store.uow import UnitOfWork

ENTITIES = ("agreement", "officer", "complaint")
REASON_MAX = 2000
_MODELS: dict[str, type[tables.Agreement] | type[tables.Officer] | type[tables.Complaint]] = {
    "agreement": tables.Agreement,
    "officer": tables.Officer,
    "complaint": tables.Complaint,
}
# Who records a departure's reason is who keeps that record: agreements the coordinator, officers
# and complaints the roles that already change them (the auditor, clerk and officer read only).
_PERMISSIONS = {
    "agreement": Permission.MANAGE_AGREEMENTS,
    "officer": Permission.MANAGE_OFFICERS,
    "complaint": Permission.HANDLE_COMPLAINTS,
}


@dataclass(frozen=True)
class DepartureView(View):
    """One `should` reason unsatisfied now, with the latest reason recorded for its rule (or none)."""

    rule: str
    text: str
    source: str
    due_at: datetime | None
    reason: str | None  # None: "no reason recorded"
    recorded_at: datetime | None
    recorded_by: str | None


@dataclass(frozen=True)
class DeparturesView(View):
    """A record's departures, apart from its violations (which are refusals or demanded remedies)."""

    entity: str
    entity_id: str
    departures: tuple[DepartureView, ...]
    violations: tuple[str, ...]  # rule ids of unsatisfied `must` reasons, for contrast


def _decisions(
    uow: UnitOfWork, entity: str, row: tables.Agreement | tables.Officer | tables.Complaint, *, at: datetime
) -> list[Decision]:
    """Every decision the rules give on the record at `at`; the departures are read from these."""
    if isinstance(row, tables.Agreement):
        view = agreements._view(uow, row, at=at)
        return [view.status, view.meetings]
    if isinstance(row, tables.Complaint):
        return [complaints._view(uow, row, at=at).deadlines]
    found = officers._view(uow, row, at=at)
    out = [found.nomination, found.exam, found.authorization, found.credentials_status, found.training]
    if row.departure_notice_at is not None and row.departed_at is not None:
        # O7 is judged against the departure the notice announced (officers.record_departure_notice).
        agency = uow.session.get(tables.Agency, row.agency_id)
        out.append(
            ask(
                departure_notice,
                officer_fact(uow, row),
                template=officers._template(uow, row),
                departure_at=row.departed_at,
                tz=agency.timezone,
            )
        )
    return out


def _reasons(decisions: list[Decision]) -> list[tuple[Reason, Decision]]:
    return [(reason, decision) for decision in decisions for reason in decision.reasons]


def _due(decision: Decision, rule: str, *, at: datetime) -> datetime | None:
    """The missed instant of the rule: its earliest deadline already past, else its earliest one."""
    dues = sorted(d.due for d in decision.deadlines if d.rule == rule)
    past = [d for d in dues if d <= at]
    return (past or dues or [None])[0]


def _recorded(uow: UnitOfWork, entity: str, entity_id: str) -> dict[str, tables.DepartureReason]:
    """The latest reason recorded per rule for one record."""
    rows = uow.session.scalars(
        select(tables.DepartureReason)
        .where(tables.DepartureReason.entity == entity, tables.DepartureReason.entity_id == entity_id)
        .order_by(tables.DepartureReason.recorded_at)
    )
    return {row.rule: row for row in rows}


def _departures_view(
    uow: UnitOfWork, entity: str, row: tables.Agreement | tables.Officer | tables.Complaint, *, at: datetime
) -> DeparturesView:
    pairs = _reasons(_decisions(uow, entity, row, at=at))
    recorded = _recorded(uow, entity, row.id)
    departures: list[DepartureView] = []
    for reason, decision in pairs:
        if not reason.departure:
            continue
        kept = recorded.get(reason.rule)
        departures.append(
            DepartureView(
                rule=reason.rule,
                text=reason.text,
                source=reason.source,
                due_at=_due(decision, reason.rule, at=at),
                reason=kept.reason if kept else None,
                recorded_at=kept.recorded_at if kept else None,
                recorded_by=kept.recorded_by if kept else None,
            )
        )
    violations = tuple(dict.fromkeys(reason.rule for reason, _ in pairs if reason.violation))
    return DeparturesView(entity=entity, entity_id=row.id, departures=tuple(departures), violations=violations)


def departures_view(uow: UnitOfWork, *, actor: Actor, entity: str, entity_id: str, at: datetime) -> DeparturesView:
    """A record's departures as of `at`, each with its recorded reason or none; the read is logged."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    entity = choice("entity", entity, ENTITIES)
    row = load(uow, _MODELS[entity], entity_id, actor=actor, field="entity_id")
    log_read(uow, actor=actor, at=at, entity=entity, entity_id=row.id, agency_id=row.agency_id)
    view = _departures_view(uow, entity, row, at=at)
    return view


def record_departure_reason(
    uow: UnitOfWork, *, actor: Actor, at: datetime, entity: str, entity_id: str, rule: str, reason: str
) -> DeparturesView:
    """Record why a `should` rule of a record was not met (a departure, never a refusal).

    Refused with InvalidInput naming `rule` unless the rules, asked now, find an unsatisfied `should`
    reason with that rule id on the record: a reason is room for a real departure, not a free note.
    """
    if not any(actor.can(p) for p in _PERMISSIONS.values()):
        # Who may keep none of these records is refused before the input is read (as every command).
        require(actor, _PERMISSIONS.get(entity, Permission.MANAGE_AGREEMENTS))
    aware("at", at)
    entity = choice("entity", entity, ENTITIES)
    require(actor, _PERMISSIONS[entity])
    row = load(uow, _MODELS[entity], entity_id, actor=actor, field="entity_id")
    rule = text("rule", rule, max_length=10)
    cleaned = text("reason", reason, max_length=REASON_MAX)
    pairs = _reasons(_decisions(uow, entity, row, at=at))
    if not any(r.rule == rule for r, _ in pairs if r.modality == "should"):
        if any(r.rule == rule for r, _ in pairs):
            raise InvalidInput(
                "rule",
                f"{rule} is a must rule of this {entity}: a miss is a violation, not a departure",
                rule_ids=(rule,),
            )
        raise InvalidInput("rule", f"{rule} is not a should rule of this {entity}", rule_ids=(rule,))
    missed = [(r, d) for r, d in pairs if r.rule == rule and r.departure]
    if not missed:
        raise InvalidInput("rule", f"there is no departure from {rule} on this {entity} now", rule_ids=(rule,))
    due = _due(missed[0][1], rule, at=at)
    reason_id = new_id()
    uow.append(
        stream=f"{entity}:{row.id}",
        actor=actor.label,
        at=at,
        type="departure.reason_recorded",
        payload=jsonable({"departure_reason_id": reason_id, "rule": rule, "due_at": due, "reason": cleaned}),
        aggregate=row,
    )
    # The projection row holds what the event holds, so the table is exactly what verify replays.
    uow.session.add(
        tables.DepartureReason(
            id=reason_id,
            entity=entity,
            entity_id=row.id,
            rule=rule,
            due_at=due,
            reason=cleaned,
            recorded_at=at,
            recorded_by=actor.label,
        )
    )
    return _departures_view(uow, entity, row, at=at)
