"""Rows to the rules' facts: the one place that knows both the tables and wso.rules.facts."""

from __future__ import annotations

from sqlalchemy import select

from wso.rules import facts
from wso.store import tables
from wso.store.uow import UnitOfWork


def children(uow: UnitOfWork, model: type, *, parent: str, id: str, order: str) -> list:
    """Rows of a child table belonging to one aggregate, in the given column's order."""
    column = getattr(model, parent)
    return list(uow.session.scalars(select(model).where(column == id).order_by(getattr(model, order), model.id)))


def notice_fact(row: tables.Notice) -> facts.Notice:
    return facts.Notice(
        kind=row.kind, by=row.by, received_at=row.received_at, exigent_effective_at=row.exigent_effective_at,
        exigent_reason=row.exigent_reason, lifted_at=row.lifted_at,
    )


def agreement_fact(uow: UnitOfWork, row: tables.Agreement) -> facts.Agreement:
    """The agreement as the rules see it; its clock runs in its agency's time zone."""
    agency = uow.session.get(tables.Agency, row.agency_id)
    notices = children(uow, tables.Notice, parent="agreement_id", id=row.id, order="received_at")
    meetings = children(uow, tables.Meeting, parent="agreement_id", id=row.id, order="held_at")
    return facts.Agreement(
        model=row.model,
        template=row.template,
        state=row.state,
        timezone=agency.timezone,
        lea_signed_at=row.lea_signed_at,
        ice_signed_at=row.ice_signed_at,
        notices=tuple(notice_fact(n) for n in notices),
        first_class_certified_at=row.first_class_certified_at,
        operational_at=row.operational_at,
        meetings_held=tuple(m.held_at for m in meetings),
    )


def officer_fact(uow: UnitOfWork, row: tables.Officer) -> facts.Officer:
    """The officer as the rules see it; the latest credential is the one carried (O4, O6)."""
    attempts = children(uow, tables.ExamAttempt, parent="officer_id", id=row.id, order="taken_at")
    withdrawals = children(uow, tables.Withdrawal, parent="officer_id", id=row.id, order="effective_at")
    credentials = children(uow, tables.Credential, parent="officer_id", id=row.id, order="issued_at")
    trainings = children(uow, tables.Training, parent="officer_id", id=row.id, order="completed_at")
    required = children(uow, tables.RequiredTraining, parent="officer_id", id=row.id, order="due_at")
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
        withdrawals=tuple(
            facts.Withdrawal(kind=w.kind, notice_at=w.notice_at, effective_at=w.effective_at, ended_at=w.ended_at, reason=w.reason)
            for w in withdrawals
        ),
        departure_notice_at=row.departure_notice_at,
        departed_at=row.departed_at,
        trainings=tuple(facts.Training(name=t.name, completed_at=t.completed_at) for t in trainings),
        required_trainings=tuple(facts.RequiredTraining(name=r.name, due_at=r.due_at) for r in required),
        under_ice_supervision=row.under_ice_supervision,
    )


def nominee_fact(row: tables.Officer) -> facts.Officer:
    """A nominee not yet stored, as the nomination rule (O1/O2) sees them."""
    return facts.Officer(
        name=row.name, citizen_attested=row.citizen_attested, experience_attested=row.experience_attested,
        facility_training_attested=row.facility_training_attested,
        inmate_conduct_attested=bool(row.inmate_conduct_attested), background_check=row.background_check,
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
