"""The worker and the holds area on SQLite and PostgreSQL: a hold's due instants become alerts, and when
the deadline passes the worker refreshes the stored summary so the board demands release (H5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.integration.holds_support import Jail, book, i200, make_jail, ny, run
from wso.holds import commands as c
from wso.holds import service as s
from wso.holds.tables import Hold
from wso.store.uow import Store
from wso.worker.delivery import WorkerConfig
from wso.worker.holds import HOLDS, refresh_hold_on_fire
from wso.worker.loop import tick
from wso.worker.tables import Alert

RELEASE = ny(2026, 6, 10, 9)
EVERY = timedelta(minutes=5)


class Clock:
    def __init__(self) -> None:
        self.at = RELEASE

    def __call__(self):  # noqa: ANN204
        return self.at


@pytest.fixture
def jail(store: Store) -> Jail:
    return make_jail(store)


def _served(store: Store, jail: Jail) -> str:
    hold = book(store, jail, number="B-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1))
    run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=RELEASE)
    run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=RELEASE,
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    return hold.id


def _alerts(store: Store, hold_id: str) -> list[Alert]:
    with store.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(Alert).where(Alert.stream == f"hold:{hold_id}").order_by(Alert.due_at)))
        uow.session.expunge_all()  # plain objects to read after the unit of work rolls back
        return rows


def test_H5_when_the_48_hours_pass_the_worker_stores_release_required(store: Store, jail: Jail) -> None:
    hold_id = _served(store, jail)
    clock = Clock()
    config = WorkerConfig(worker_id="w", clock=clock, on_fired=[refresh_hold_on_fire])
    run(
        store,
        s.notify_ice,
        actor=jail.clerk,
        hold_id=hold_id,
        now=RELEASE + timedelta(minutes=5),
        command=c.NotifyIce(how="phone", to="ERO duty officer"),
    )
    clock.at = RELEASE + timedelta(minutes=5)
    tick(store, config, [HOLDS], reconcile_every=EVERY)
    pending = [a for a in _alerts(store, hold_id) if a.fired_at is None and a.cancelled_at is None]
    release = [a for a in pending if a.kind == "release_due"]
    assert [a.due_at for a in release] == [RELEASE + timedelta(hours=48)]
    assert not any(a.kind == "ice_notification_overdue" for a in pending)  # ICE was notified in time
    clock.at = RELEASE + timedelta(hours=48) - timedelta(seconds=1)
    tick(store, config, [HOLDS], reconcile_every=EVERY)
    with store.unit_of_work() as uow:
        assert uow.session.get(Hold, hold_id).status == "held_for_ice"
    clock.at = RELEASE + timedelta(hours=48)
    fired, _ = tick(store, config, [HOLDS], reconcile_every=EVERY)
    assert fired >= 1
    with store.unit_of_work() as uow:
        row = uow.session.get(Hold, hold_id)
        assert (row.status, row.flag_past_deadline, row.next_action) == ("release_required", True, "release_now")
        assert row.decided_at == RELEASE + timedelta(hours=48, microseconds=1) and "H5" in row.rule_ids.split()
    assert any(a.kind == "release_due" and a.fired_at == RELEASE + timedelta(hours=48) for a in _alerts(store, hold_id))


def test_H4_ice_notification_overdue_alert_fires_unless_ice_is_notified(store: Store, jail: Jail) -> None:
    hold_id = _served(store, jail)
    clock = Clock()
    config = WorkerConfig(worker_id="w", clock=clock, on_fired=[refresh_hold_on_fire])
    tick(store, config, [HOLDS], reconcile_every=EVERY)
    notice = [a for a in _alerts(store, hold_id) if a.kind == "ice_notification_overdue"]
    assert len(notice) == 1 and notice[0].due_at > RELEASE and notice[0].fired_at is None
    clock.at = notice[0].due_at
    tick(store, config, [HOLDS], reconcile_every=EVERY)
    assert [a.fired_at for a in _alerts(store, hold_id) if a.kind == "ice_notification_overdue"] == [notice[0].due_at]


def test_H7_citizenship_claim_alerts_15_minutes_before_and_at_the_report_deadline(store: Store, jail: Jail) -> None:
    hold_id = _served(store, jail)
    run(
        store,
        s.claim_citizenship,
        actor=jail.clerk,
        hold_id=hold_id,
        now=RELEASE + timedelta(minutes=10),
        command=c.ClaimCitizenship(),
    )
    clock = Clock()
    clock.at = RELEASE + timedelta(minutes=10)
    tick(store, WorkerConfig(worker_id="w", clock=clock), [HOLDS], reconcile_every=EVERY)
    kinds = {a.kind: a.due_at for a in _alerts(store, hold_id) if a.cancelled_at is None}
    assert kinds["citizenship_report_overdue"] - kinds["citizenship_report_due_soon"] == timedelta(minutes=15)
    assert kinds["citizenship_report_overdue"] == RELEASE + timedelta(minutes=10, hours=1)
    run(
        store,
        s.transfer_to_ice,
        actor=jail.clerk,
        hold_id=hold_id,
        now=RELEASE + timedelta(minutes=20),
        command=c.TransferToIce(received_by="ICE ERO officer"),
    )
    clock.at = RELEASE + timedelta(minutes=20)
    tick(store, WorkerConfig(worker_id="w", clock=clock), [HOLDS], reconcile_every=EVERY)
    assert all(a.cancelled_at is not None or a.fired_at is not None for a in _alerts(store, hold_id))
