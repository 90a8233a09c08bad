"""Correcting a mistaken entry (issue 15, item 3): a correcting event marks a withdrawal, a suspension or
an exam attempt recorded in error; the ledger stays append-only, the entry stays on the record (marked
with who, when, why), and the rules ignore it. SQLite and PostgreSQL; the ledger's fold must agree."""

from __future__ import annotations

import pytest

from tests.integration.records_support import SYSTEM, County, authorize, later, nominate
from wso.officers import service as officers
from wso.services import ledger as ledger_service
from wso.services.errors import Forbidden, InvalidInput, NotFound
from wso.store import tables
from wso.store.uow import Store


def _cleared_and_authorized(store: Store, county: County) -> str:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        officers.record_background_check(uow, actor=county.coordinator, at=later(3), officer_id=oid, status="cleared")
    authorize(store, county, oid)
    return oid


def _withdraw(store: Store, county: County, oid: str, *, suspend: bool = False) -> str:
    act = officers.suspend_officer if suspend else officers.withdraw_authorization
    with store.unit_of_work() as uow:
        view = act(
            uow, actor=county.coordinator, at=later(20), officer_id=oid, notice_at=later(20), effective_at=later(20)
        )
    return view.withdrawals[-1].id


@pytest.mark.parametrize("suspend", [False, True], ids=["withdrawal", "suspension"])
def test_a_withdrawal_or_suspension_recorded_in_error_no_longer_ends_the_authorization(
    store: Store, county: County, suspend: bool
) -> None:
    oid = _cleared_and_authorized(store, county)
    entry_id = _withdraw(store, county, oid, suspend=suspend)
    with store.unit_of_work() as uow:
        before = officers.officer_view(uow, actor=county.coordinator, officer_id=oid, at=later(21))
    assert not before.authorization.allowed
    with store.unit_of_work() as uow:
        officers.void_officer_entry(
            uow, actor=county.coordinator, at=later(21), officer_id=oid, entry="withdrawal", entry_id=entry_id,
            reason="entered on the wrong officer",
        )  # fmt: skip
    with store.unit_of_work() as uow:
        after = officers.officer_view(uow, actor=county.coordinator, officer_id=oid, at=later(22))
    assert after.authorization.allowed, after.authorization
    (entry,) = after.withdrawals
    assert (entry.voided_at, entry.voided_by, entry.void_reason) == (
        later(21),
        "coord (coordinator)",
        "entered on the wrong officer",
    )
    with store.unit_of_work() as uow:  # the fold of the ledger finds the same projection rows
        assert ledger_service.verify_ledger(uow, actor=SYSTEM).ok


def test_a_failed_exam_attempt_recorded_in_error_is_ignored_by_the_rules(store: Store, county: County) -> None:
    oid = nominate(store, county)
    c = county.coordinator
    for day, score in ((5, 50), (6, 60)):  # two failures: disqualified (O3)
        with store.unit_of_work() as uow:
            view = officers.record_exam_attempt(
                uow, actor=c, at=later(day), officer_id=oid, taken_at=later(day), score_percent=score
            )
    assert view.exam.status == "disqualified"
    with store.unit_of_work() as uow:
        view = officers.void_officer_entry(
            uow, actor=c, at=later(7), officer_id=oid, entry="exam_attempt", entry_id=view.exam_attempts[-1].id,
            reason="the score was another candidate's",
        )  # fmt: skip
    assert view.exam.status != "disqualified"
    with store.unit_of_work() as uow:  # the retake the void gave back can now be recorded
        view = officers.record_exam_attempt(
            uow, actor=c, at=later(8), officer_id=oid, taken_at=later(8), score_percent=90
        )
    assert view.exam.status == "certified"
    with store.unit_of_work() as uow:
        assert ledger_service.verify_ledger(uow, actor=SYSTEM).ok


def test_a_correction_is_refused_to_a_role_that_may_not_record_the_act_and_writes_nothing(
    store: Store, county: County
) -> None:
    oid = _cleared_and_authorized(store, county)
    entry_id = _withdraw(store, county, oid)
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        officers.void_officer_entry(
            uow, actor=county.clerk, at=later(21), officer_id=oid, entry="withdrawal", entry_id=entry_id, reason="x"
        )
    with store.unit_of_work() as uow:
        assert uow.session.get(tables.Withdrawal, entry_id).voided_at is None


def test_a_correction_needs_a_reason_names_a_real_entry_and_happens_once(store: Store, county: County) -> None:
    oid = _cleared_and_authorized(store, county)
    entry_id = _withdraw(store, county, oid)
    c = county.coordinator
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as blank:
        officers.void_officer_entry(
            uow, actor=c, at=later(21), officer_id=oid, entry="withdrawal", entry_id=entry_id, reason="  "
        )
    assert blank.value.field == "reason"
    with store.unit_of_work() as uow, pytest.raises(NotFound):
        officers.void_officer_entry(
            uow, actor=c, at=later(21), officer_id=oid, entry="exam_attempt", entry_id=entry_id, reason="wrong table"
        )
    with store.unit_of_work() as uow:
        officers.void_officer_entry(
            uow, actor=c, at=later(21), officer_id=oid, entry="withdrawal", entry_id=entry_id, reason="typo"
        )
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as twice:
        officers.void_officer_entry(
            uow, actor=c, at=later(22), officer_id=oid, entry="withdrawal", entry_id=entry_id, reason="again"
        )
    assert twice.value.field == "entry_id"
