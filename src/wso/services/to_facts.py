"""Tables to the rules' facts: which rows to load, in how many queries; each row's conversion is
wso.events.to_rules, the one the pure event fold (`facts_as_of`) uses too.

Lists load each child table once for all their rows (`children_of`: one query per child table,
whatever the number of rows), never once per row: a roster of 80 officers costs the same number
of queries as one of 8. The single-record functions are the same code called with one row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, inspect, select

from wso.events import to_rules as rows_to_rules
from wso.rules import facts
from wso.store import tables
from wso.store.uow import UnitOfWork


def children(uow: UnitOfWork, model: type, *, parent: str, id: str, order: str) -> list:
    """Rows of a child table belonging to one aggregate, in the given column's order."""
    return children_of(uow, model, parent=parent, ids=(id,), order=order)[id]


def children_of(
    uow: UnitOfWork, model: type, *, parent: str, ids: Collection[str], order: str, entities: bool = True
) -> dict[str, list]:
    """The child rows of many aggregates in one query, grouped by parent id, each group in `order`.

    No query at all for no ids, so an empty list costs nothing. `entities=False` returns plain rows
    (same attribute names, read-only) instead of ORM objects: for a list that only reads them, as
    building an ORM object per row was a quarter of a roster's CPU (issue 11 item 6).
    """
    grouped: dict[str, list[Any]] = {id: [] for id in ids}
    if not grouped:
        return grouped
    query, params = _children_query(model, parent, order, entities), {"ids": list(grouped)}
    rows = uow.session.scalars(query, params) if entities else uow.session.execute(query, params)
    for row in rows:
        grouped[getattr(row, parent)].append(row)
    return grouped


@cache
def _children_query(model: type, parent: str, order: str, entities: bool) -> Select:
    """The statement of `children_of`, built once per table (building it cost more CPU than running
    it for a short list); the ids are one expanding parameter. Plain rows select the table's columns
    (Core), so no ORM object is made per row."""
    if entities:
        column = getattr(model, parent)
        return (
            select(model)
            .where(column.in_(bindparam("ids", expanding=True)))
            .order_by(column, getattr(model, order), model.id)
        )
    table = model.__table__.c
    return (
        select(*table)
        .where(table[parent].in_(bindparam("ids", expanding=True)))
        .order_by(table[parent], table[order], table.id)
    )


def rows_by_id(uow: UnitOfWork, model: type, ids: Iterable[str]) -> dict[str, Any]:
    """Rows of `model` by primary key: those the session holds already, the others in one query.

    (The identity map keeps a row only while something refers to it, so `session.get` in a loop
    over a list's rows queries again and again; this asks once.)
    """
    wanted = set(ids)
    mapper = inspect(model)
    found: dict[str, Any] = {}
    for id in wanted:
        held = uow.session.identity_map.get(mapper.identity_key_from_primary_key((id,)))
        if held is not None:
            found[id] = held
    missing = wanted - found.keys()
    if missing:
        found.update((row.id, row) for row in uow.session.scalars(select(model).where(model.id.in_(list(missing)))))
    return found


@dataclass(frozen=True)
class AgreementChildren:
    """An agreement's child rows, each list in time order."""

    notices: list[tables.Notice]
    meetings: list[tables.Meeting]


@dataclass(frozen=True)
class OfficerChildren:
    """An officer's child rows, each list in time order."""

    exam_attempts: list[tables.ExamAttempt]
    withdrawals: list[tables.Withdrawal]
    credentials: list[tables.Credential]
    trainings: list[tables.Training]
    required_trainings: list[tables.RequiredTraining]


def agreement_children(uow: UnitOfWork, ids: Collection[str]) -> dict[str, AgreementChildren]:
    """Notices and meetings of many agreements: two queries."""
    notices = children_of(uow, tables.Notice, parent="agreement_id", ids=ids, order="received_at")
    meetings = children_of(uow, tables.Meeting, parent="agreement_id", ids=ids, order="held_at")
    return {id: AgreementChildren(notices=notices[id], meetings=meetings[id]) for id in ids}


def officer_children(uow: UnitOfWork, ids: Collection[str], *, entities: bool = True) -> dict[str, OfficerChildren]:
    """Exam attempts, withdrawals, credentials, trainings and required trainings of many officers: five queries.

    `entities=False`: plain read-only rows (see children_of), for a list that only reads them."""

    def of(model: type, order: str) -> dict[str, list]:
        return children_of(uow, model, parent="officer_id", ids=ids, order=order, entities=entities)

    attempts = of(tables.ExamAttempt, "taken_at")
    withdrawals = of(tables.Withdrawal, "effective_at")
    credentials = of(tables.Credential, "issued_at")
    trainings = of(tables.Training, "completed_at")
    required = of(tables.RequiredTraining, "due_at")
    return {
        id: OfficerChildren(
            exam_attempts=attempts[id],
            withdrawals=withdrawals[id],
            credentials=credentials[id],
            trainings=trainings[id],
            required_trainings=required[id],
        )
        for id in ids
    }


def agreement_fact(uow: UnitOfWork, row: tables.Agreement) -> facts.Agreement:
    """The agreement as the rules see it; its clock runs in its agency's time zone."""
    agency = uow.session.get(tables.Agency, row.agency_id)
    return agreement_fact_of(row, agreement_children(uow, (row.id,))[row.id], timezone=agency.timezone)


def agreement_facts(uow: UnitOfWork, rows: Iterable[tables.Agreement]) -> dict[str, facts.Agreement]:
    """Many agreements as the rules see them, by id: their agencies, notices and meetings in three queries."""
    rows = list(rows)
    agencies = rows_by_id(uow, tables.Agency, (row.agency_id for row in rows))
    kids = agreement_children(uow, [row.id for row in rows])
    return {row.id: agreement_fact_of(row, kids[row.id], timezone=agencies[row.agency_id].timezone) for row in rows}


def agreement_fact_of(row: tables.Agreement, kids: AgreementChildren, *, timezone: str) -> facts.Agreement:
    return rows_to_rules.agreement_fact_of(row, notices=kids.notices, meetings=kids.meetings, timezone=timezone)


def officer_fact(uow: UnitOfWork, row: tables.Officer) -> facts.Officer:
    """The officer as the rules see it; the latest credential is the one carried (O4, O6)."""
    return officer_fact_of(row, officer_children(uow, (row.id,))[row.id])


def officer_fact_of(row: tables.Officer, kids: OfficerChildren) -> facts.Officer:
    """The officer as the rules see it, from rows already loaded; the latest credential is the one carried."""
    return rows_to_rules.officer_fact_of(
        row,
        exam_attempts=kids.exam_attempts,
        withdrawals=kids.withdrawals,
        credentials=kids.credentials,
        trainings=kids.trainings,
        required_trainings=kids.required_trainings,
    )


def nominee_fact(row: tables.Officer) -> facts.Officer:
    """A nominee not yet stored, as the nomination rule (O1/O2) sees them."""
    return facts.Officer(
        name=row.name,
        citizen_attested=row.citizen_attested,
        experience_attested=row.experience_attested,
        facility_training_attested=row.facility_training_attested,
        inmate_conduct_attested=bool(row.inmate_conduct_attested),
        background_check=row.background_check,
    )


# The conversions of one row, shared with the pure event fold (wso.events.to_rules).
complaint_fact = rows_to_rules.complaint_fact
notice_fact = rows_to_rules.notice_fact
withdrawal_fact = rows_to_rules.withdrawal_fact
