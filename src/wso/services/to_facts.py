"""Rows to the rules' facts: the one place that knows both the tables and wso.rules.facts.

Lists load each child table once for all their rows (`children_of`: one query per child table,
whatever the number of rows), never once per row: a roster of 80 officers costs the same number
of queries as one of 8. The single-record functions are the same code called with one row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select

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
    column = getattr(model, parent)
    columns = (model,) if entities else tuple(model.__table__.c)
    query = select(*columns).where(column.in_(list(grouped))).order_by(column, getattr(model, order), model.id)
    rows = uow.session.scalars(query) if entities else uow.session.execute(query)
    for row in rows:
        grouped[getattr(row, parent)].append(row)
    return grouped


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


def notice_fact(row: tables.Notice) -> facts.Notice:
    return facts.Notice(
        kind=row.kind,
        by=row.by,
        received_at=row.received_at,
        exigent_effective_at=row.exigent_effective_at,
        exigent_reason=row.exigent_reason,
        lifted_at=row.lifted_at,
    )


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
    return facts.Agreement(
        model=row.model,
        template=row.template,
        state=row.state,
        timezone=timezone,
        lea_signed_at=row.lea_signed_at,
        ice_signed_at=row.ice_signed_at,
        notices=tuple(notice_fact(n) for n in kids.notices),
        first_class_certified_at=row.first_class_certified_at,
        operational_at=row.operational_at,
        meetings_held=tuple(m.held_at for m in kids.meetings),
    )


def officer_fact(uow: UnitOfWork, row: tables.Officer) -> facts.Officer:
    """The officer as the rules see it; the latest credential is the one carried (O4, O6)."""
    return officer_fact_of(row, officer_children(uow, (row.id,))[row.id])


def officer_fact_of(row: tables.Officer, kids: OfficerChildren) -> facts.Officer:
    """The officer as the rules see it, from rows already loaded; the latest credential is the one carried."""
    attempts, withdrawals, credentials = kids.exam_attempts, kids.withdrawals, kids.credentials
    trainings, required = kids.trainings, kids.required_trainings
    latest = credentials[-1] if credentials else None
    return facts.Officer(
        name=row.name,
        citizen_attested=row.citizen_attested,
        experience_attested=row.experience_attested,
        facility_training_attested=row.facility_training_attested,
        inmate_conduct_attested=bool(row.inmate_conduct_attested),
        background_check=row.background_check,
        exam_attempts=tuple(facts.ExamAttempt(taken_at=a.taken_at, score_percent=a.score_percent) for a in attempts),
        letter_signed_at=row.letter_signed_at,
        form_70_006_at=row.form_70_006_at,
        credentials_issued_at=latest.issued_at if latest else None,
        credentials_returned_at=latest.returned_at if latest else None,
        credentials_return_requested_at=latest.return_requested_at if latest else None,
        withdrawals=tuple(withdrawal_fact(w) for w in withdrawals),
        departure_notice_at=row.departure_notice_at,
        departed_at=row.departed_at,
        trainings=tuple(facts.Training(name=t.name, completed_at=t.completed_at) for t in trainings),
        required_trainings=tuple(facts.RequiredTraining(name=r.name, due_at=r.due_at) for r in required),
        under_ice_supervision=row.under_ice_supervision,
    )


def withdrawal_fact(row: tables.Withdrawal) -> facts.Withdrawal:
    return facts.Withdrawal(
        kind=row.kind,
        notice_at=row.notice_at,
        effective_at=row.effective_at,
        ended_at=row.ended_at,
        reason=row.reason,
        by_termination=row.notice_id is not None,  # A4's record, decided by the agreement's notices
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


def complaint_fact(row: tables.Complaint) -> facts.Complaint:
    return facts.Complaint(
        received_at=row.received_at,
        about_designated_officer=row.about_designated_officer,
        ice_notified_at=row.ice_notified_at,
        results_reported_at=row.results_reported_at,
        resolved_at=row.resolved_at,
        subject_officer=row.subject_name or None,
    )
