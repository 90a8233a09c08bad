"""Many synthetic officers with full histories, for query-count tests and throughput benchmarks.

A list that loads each row's children one query at a time only shows its cost with many rows that
have children: every officer made here has exam attempts, and most have a letter, Form 70-006,
credentials, trainings, a withdrawal or suspension, and complaints, cycling through four profiles.
Names are invented ("Officer 0042 Synthetic"), never real people (PROGRAM.md D3). Everything goes
through the services, as any user's changes would.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from wso.complaints import service as complaints
from wso.officers import service as officers
from wso.services.permissions import Actor
from wso.store.uow import Store

CROWD_ACTOR = Actor.system("crowd")


def add_officers(store: Store, *, agreement_id: str, count: int, at: datetime, first: int = 0) -> list[str]:
    """Nominate `count` officers under the agreement as of `at` (numbered from `first`); their ids.

    Profiles by number: 0 authorized with a refresher due and done; 1 failed the exam once;
    2 authorized then withdrawn (O5); 3 authorized, suspended over a complaint (C4), leaving (O7).
    Every second officer also has a complaint received a week ago (C1 clock running).
    The agreement must have been in force for a year before `at` (the histories start then).
    """
    a = CROWD_ACTOR
    ids: list[str] = []

    def ago(days: float) -> datetime:
        return at - timedelta(days=days)

    with store.unit_of_work() as uow:
        for number in range(first, first + count):
            oid = officers.nominate_officer(
                uow,
                actor=a,
                at=ago(200),
                agreement_id=agreement_id,
                name=f"Officer {number:04d} Synthetic",
                badge=f"S-{number:04d}",
                citizen_attested=True,
                experience_attested=True,
                facility_training_attested=True,
                inmate_conduct_attested=True,
                records_access_authorized=True,
            ).id
            ids.append(oid)
            profile = number % 4
            score = 62 if profile == 1 else 88
            officers.record_exam_attempt(
                uow, actor=a, at=ago(150), officer_id=oid, taken_at=ago(150), score_percent=score
            )
            if profile == 1:
                continue
            officers.record_authorization_letter(uow, actor=a, at=ago(145), officer_id=oid, signed_at=ago(145))
            officers.record_form_70_006(uow, actor=a, at=ago(144), officer_id=oid, signed_at=ago(144))
            officers.issue_credentials(
                uow, actor=a, at=ago(143), officer_id=oid, issued_at=ago(143), number=f"WSO-S-{number:04d}"
            )
            if profile == 0:
                officers.require_training(
                    uow,
                    actor=a,
                    at=ago(40),
                    officer_id=oid,
                    name="WSO annual refresher",
                    due_at=at + timedelta(days=20),
                )
                officers.record_training(
                    uow, actor=a, at=ago(30), officer_id=oid, name="Use of force", completed_at=ago(30)
                )
            if profile == 2:
                officers.withdraw_authorization(
                    uow,
                    actor=a,
                    at=ago(20),
                    officer_id=oid,
                    notice_at=ago(20),
                    effective_at=ago(20),
                    reason="Withdrawn by letter",
                )
            complaint_id = None
            if number % 2 == 1 or profile == 3:
                complaint_id = complaints.receive_complaint(
                    uow,
                    actor=a,
                    at=ago(7),
                    received_at=ago(7),
                    source="public",
                    officer_id=oid,
                    summary="Synthetic complaint for load tests.",
                ).id
            if profile == 3:
                officers.suspend_officer(
                    uow,
                    actor=a,
                    at=ago(6),
                    officer_id=oid,
                    notice_at=ago(6),
                    effective_at=ago(6),
                    reason="Under investigation",
                    complaint_id=complaint_id,
                )
                officers.record_departure_notice(
                    uow, actor=a, at=ago(3), officer_id=oid, notice_at=ago(3), departure_at=at + timedelta(days=45)
                )
    return ids
