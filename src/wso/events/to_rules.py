"""Recorded rows to the rules' facts: the one conversion both readers use.

A row here is anything with the columns as attributes: a projection table's row (the services read
those), a plain SQL row, or a row the pure event fold (wso.events.rows) built (`as_row` wraps its
dicts). So the services' facts (wso.services.to_facts, from the tables) and `facts_as_of` (from the
ledger's events) cannot drift apart: the same function turns a row into what the rules see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from wso.rules import facts as f


def as_row(values: Mapping[str, Any]) -> Any:
    """A folded row (a dict) with its columns as attributes, like a table's row."""
    return SimpleNamespace(**values)


def notice_fact(row: Any) -> f.Notice:
    return f.Notice(
        kind=row.kind,
        by=row.by,
        received_at=row.received_at,
        exigent_effective_at=row.exigent_effective_at,
        exigent_reason=row.exigent_reason,
        lifted_at=row.lifted_at,
    )


def agreement_fact_of(
    row: Any,
    *,
    notices: Iterable[Any],
    meetings: Iterable[Any],
    timezone: str,
    igsa_bed_rate_usd: float | None = None,
    boa: bool = False,
) -> f.Agreement:
    """The agreement as the rules see it; its clock runs in its agency's zone. The IGSA rate and the
    BOA flag are stated only by a scenario's agreement (K2, K3), never by a stored row."""
    return f.Agreement(
        model=row.model,
        template=row.template,
        state=row.state,
        timezone=timezone,
        lea_signed_at=row.lea_signed_at,
        ice_signed_at=row.ice_signed_at,
        notices=tuple(notice_fact(n) for n in notices),
        first_class_certified_at=row.first_class_certified_at,
        operational_at=row.operational_at,
        meetings_held=tuple(m.held_at for m in meetings),
        igsa_bed_rate_usd=igsa_bed_rate_usd,
        boa=boa,
    )


def withdrawal_fact(row: Any) -> f.Withdrawal:
    return f.Withdrawal(
        kind=row.kind,
        notice_at=row.notice_at,
        effective_at=row.effective_at,
        ended_at=row.ended_at,
        reason=row.reason,
        by_termination=row.notice_id is not None,  # A4's record, decided by the agreement's notices
    )


def _voided(row: Any) -> bool:
    return getattr(row, "voided_at", None) is not None


def officer_fact_of(
    row: Any,
    *,
    exam_attempts: Iterable[Any],
    withdrawals: Iterable[Any],
    credentials: list[Any],
    trainings: Iterable[Any],
    required_trainings: Iterable[Any],
) -> f.Officer:
    """The officer as the rules see it, each child list in time order; the latest credential is the
    one carried (O4, O6). An entry marked recorded in error (a correcting event) is not a fact: the
    rules never see it."""
    exam_attempts = [a for a in exam_attempts if not _voided(a)]
    withdrawals = [w for w in withdrawals if not _voided(w)]
    latest = credentials[-1] if credentials else None
    return f.Officer(
        name=row.name,
        citizen_attested=row.citizen_attested,
        experience_attested=row.experience_attested,
        facility_training_attested=row.facility_training_attested,
        inmate_conduct_attested=bool(row.inmate_conduct_attested),
        background_check=row.background_check,
        exam_attempts=tuple(f.ExamAttempt(taken_at=a.taken_at, score_percent=a.score_percent) for a in exam_attempts),
        letter_signed_at=row.letter_signed_at,
        form_70_006_at=row.form_70_006_at,
        credentials_issued_at=latest.issued_at if latest else None,
        credentials_returned_at=latest.returned_at if latest else None,
        credentials_return_requested_at=latest.return_requested_at if latest else None,
        withdrawals=tuple(withdrawal_fact(w) for w in withdrawals),
        departure_notice_at=row.departure_notice_at,
        departed_at=row.departed_at,
        trainings=tuple(f.Training(name=t.name, completed_at=t.completed_at) for t in trainings),
        required_trainings=tuple(f.RequiredTraining(name=r.name, due_at=r.due_at) for r in required_trainings),
        under_ice_supervision=row.under_ice_supervision,
    )


def complaint_fact(row: Any) -> f.Complaint:
    return f.Complaint(
        received_at=row.received_at,
        about_designated_officer=row.about_designated_officer,
        ice_notified_at=row.ice_notified_at,
        results_reported_at=row.results_reported_at,
        resolved_at=row.resolved_at,
        subject_officer=row.subject_name or None,
    )
