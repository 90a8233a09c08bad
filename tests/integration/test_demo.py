"""The demo county: a living system at first start, loaded once, whole."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.integration.records_support import SYSTEM
from wso.complaints import service as complaints
from wso.demo import load_demo
from wso.due import service as due
from wso.officers import service as officers
from wso.services import ledger
from wso.store.ledger import LedgerEvent
from wso.store.uow import Store
from wso.users import auth

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_the_demo_shows_officers_at_every_stage_and_open_complaints(store: Store) -> None:
    summary = load_demo(store, at=NOW)
    assert summary.loaded
    with store.unit_of_work() as uow:
        actor = auth.authenticate(uow, username="demo-coordinator", password="wso-demo-password")
    with store.unit_of_work() as uow:
        roster = officers.officer_roster(uow, actor=actor, agency_id=summary.agency_id, at=NOW)
    assert {o.exam.status for o in roster} == {"not_taken", "retake_allowed", "certified", "disqualified"}
    assert {o.authorization.status for o in roster} == {"authorized", "not_authorized"}
    reasons = {rule for o in roster for rule in o.authorization.rule_ids}
    # The demo's agreement follows MOA-2025, which has no C4 clause: a suspension rests on O5 (issue 10, item 8).
    assert {"O3", "O4", "O5"} <= reasons and "C4" not in reasons
    with store.unit_of_work() as uow:
        open_ones = complaints.list_complaints(uow, actor=actor, agency_id=summary.agency_id, at=NOW, open_only=True)
    assert len(open_ones) == 3
    with store.unit_of_work() as uow:
        assert len(due.what_is_due(uow, actor=actor, agency_id=summary.agency_id, at=NOW)) >= 5
    with store.unit_of_work() as uow:
        assert ledger.verify_ledger(uow, actor=SYSTEM).ok


def test_loading_the_demo_twice_changes_nothing(store: Store) -> None:
    first = load_demo(store, at=NOW)
    with store.unit_of_work() as uow:
        events = uow.session.scalar(select(func.count()).select_from(LedgerEvent))
    second = load_demo(store, at=NOW.replace(day=26))
    assert not second.loaded and second.agency_id == first.agency_id
    with store.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(LedgerEvent)) == events
