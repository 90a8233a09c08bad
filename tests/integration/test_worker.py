"""The deadline worker in process, on SQLite and PostgreSQL: scheduling, firing, delivery, retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.records_support import County, later, nominate
from tests.integration.worker_support import (
    SECRET,
    SmtpReceiver,
    WebhookReceiver,
)
from wso.complaints import service as complaints
from wso.store.ledger import LedgerEvent
from wso.store.uow import Store
from wso.store.verify import verify_all
from wso.worker.alerts import cancel_alerts, schedule_alert
from wso.worker.channels import EmailChannel, WebhookChannel, channels_from_env
from wso.worker.delivery import WorkerConfig, deliver_due, fire_due, idempotency_key
from wso.worker.loop import tick
from wso.worker.producers import COMPLAINTS
from wso.worker.tables import Alert, AlertDelivery

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _schedule(store: Store, key: str, due: datetime, *, stream: str = "hold:h1", kind: str = "release_due") -> None:
    with store.unit_of_work() as uow:
        schedule_alert(
            uow.session,
            key=key,
            kind=kind,
            stream=stream,
            agency_id="agency-1",
            due_at=due,
            payload={"label": "Person A", "rule": "H5"},
            now=NOW,
        )
        uow.commit()


def _config(clock: Clock, *channels: object, worker_id: str = "w1") -> WorkerConfig:
    return WorkerConfig(worker_id=worker_id, channels=list(channels), clock=clock, backoff_first=timedelta(seconds=1))


def _events(store: Store, type: str) -> list[dict]:
    with store.unit_of_work() as uow:
        rows = uow.session.scalars(select(LedgerEvent).where(LedgerEvent.type == type).order_by(LedgerEvent.id)).all()
        return [r.data for r in rows]


def test_schedule_alert_is_idempotent_by_key_and_cancel_keeps_what_is_still_due(store: Store) -> None:
    _schedule(store, "hold:h1:release_due:a", NOW + timedelta(hours=48))
    _schedule(store, "hold:h1:release_due:a", NOW + timedelta(hours=48))
    _schedule(store, "hold:h1:ice_notification_overdue:b", NOW + timedelta(minutes=15), kind="ice_notification_overdue")
    with store.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Alert)) == 2
        assert cancel_alerts(uow.session, stream="hold:h1", keep_keys=["hold:h1:release_due:a"], now=NOW) == 1
        uow.commit()
    clock = Clock(NOW + timedelta(hours=49))
    assert fire_due(store, _config(clock)) == 1  # the cancelled one never fires
    with store.unit_of_work() as uow:
        with pytest.raises(ValueError, match="kind"):
            schedule_alert(uow.session, key="k", kind="nonsense", stream="s", agency_id="a", due_at=NOW, payload={})
        with pytest.raises(ValueError, match="due_at"):
            schedule_alert(
                uow.session,
                key="k",
                kind="release_due",
                stream="s",
                agency_id="a",
                due_at=datetime(2026, 1, 1),
                payload={},
            )


def test_an_alert_fires_at_its_due_instant_not_a_microsecond_before(store: Store) -> None:
    due = NOW + timedelta(hours=48)
    _schedule(store, "hold:h1:release_due:x", due)
    clock = Clock(due - timedelta(microseconds=1))
    assert fire_due(store, _config(clock)) == 0
    clock.at = due
    assert fire_due(store, _config(clock)) == 1
    assert fire_due(store, _config(clock)) == 0  # fired once, never again
    board = _events(store, "alert.delivered")
    assert [(e["channel"], e["alert_key"]) for e in board] == [("board", "hold:h1:release_due:x")]


def test_each_delivery_reaches_smtp_and_webhook_once_and_is_recorded_once_in_the_ledger(
    store: Store, smtp: SmtpReceiver, webhook: WebhookReceiver
) -> None:
    for i in range(3):
        _schedule(store, f"hold:h{i}:release_due:x", NOW - timedelta(minutes=i), stream=f"hold:h{i}")
    channels = [
        EmailChannel(host="127.0.0.1", port=smtp.port, sender="wso@test", recipients=("jail@test",)),
        WebhookChannel(url=webhook.url, secret=SECRET),
    ]
    config = _config(Clock(NOW), *channels)
    assert tick(store, config, [], reconcile_every=timedelta(minutes=5)) == (3, 6)
    assert tick(store, config, [], reconcile_every=timedelta(minutes=5)) == (0, 0)
    expected = sorted(idempotency_key(f"hold:h{i}:release_due:x", "email") for i in range(3))
    assert sorted(smtp.received.keys()) == expected
    assert sorted(webhook.received.keys()) == sorted(
        idempotency_key(f"hold:h{i}:release_due:x", "webhook") for i in range(3)
    )
    assert webhook.received.bad_signatures == 0
    body = webhook.received.items[0][1]
    assert body["kind"] == "release_due" and body["payload"]["rule"] == "H5"
    delivered = _events(store, "alert.delivered")
    assert sorted((e["alert_key"], e["channel"]) for e in delivered) == sorted(
        (f"hold:h{i}:release_due:x", c) for i in range(3) for c in ("board", "email", "webhook")
    )
    with store.unit_of_work() as uow:
        report = verify_all(uow.session)
        assert report.ok, report


def test_a_failing_webhook_is_retried_with_backoff_then_delivered_once(store: Store) -> None:
    flaky = WebhookReceiver(fail_first=2)
    try:
        _schedule(store, "hold:h1:release_due:x", NOW)
        clock = Clock(NOW)
        config = _config(clock, WebhookChannel(url=flaky.url, secret=SECRET))
        fire_due(store, config)
        assert deliver_due(store, config) == 1  # failed once; the retry waits 1 s
        clock.at = NOW + timedelta(seconds=1)
        assert deliver_due(store, config) == 1  # failed again; the retry waits 2 s
        clock.at = NOW + timedelta(seconds=2)
        assert deliver_due(store, config) == 0  # not yet
        clock.at = NOW + timedelta(seconds=3)
        assert deliver_due(store, config) == 1
        assert flaky.received.keys() == [idempotency_key("hold:h1:release_due:x", "webhook")]
        with store.unit_of_work() as uow:
            row = uow.session.get(AlertDelivery, (1, "webhook"))
            assert (row.state, row.attempts) == ("delivered", 3)
        assert [e["channel"] for e in _events(store, "alert.delivered")] == ["board", "webhook"]
    finally:
        flaky.stop()


def test_an_unreachable_channel_gives_up_after_the_last_attempt_and_records_the_failure(store: Store) -> None:
    from tests.integration.worker_support import free_port

    _schedule(store, "hold:h1:release_due:x", NOW)
    clock = Clock(NOW)
    config = _config(clock, WebhookChannel(url=f"http://127.0.0.1:{free_port()}/", secret=SECRET, timeout=2))
    config.max_attempts = 2
    fire_due(store, config)
    deliver_due(store, config)
    clock.at = NOW + timedelta(hours=1)
    deliver_due(store, config)
    failed = _events(store, "alert.failed")
    assert len(failed) == 1 and failed[0]["channel"] == "webhook" and failed[0]["attempts"] == 2
    assert "webhook" in failed[0]["error"]


def test_C1_complaint_notification_due_is_scheduled_fired_and_cancelled_once_ICE_is_notified(
    store: Store, county: County
) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow,
            actor=county.clerk,
            at=later(4),
            received_at=later(4),
            source="inmate",
            summary="Rough handling",
            officer_id=oid,
            facility_id=county.facility_id,
        )
    notify_by = next(d.due for d in view.deadlines.deadlines if d.name == "ice_notification")
    clock = Clock(later(4))
    config = _config(clock)
    tick(store, config, [COMPLAINTS], reconcile_every=timedelta(minutes=5))
    with store.unit_of_work() as uow:
        alert = uow.session.scalars(select(Alert).where(Alert.stream == f"complaint:{view.id}")).one()
        assert (alert.kind, alert.due_at, alert.fired_at) == ("complaint_notification_due", notify_by, None)
    clock.at = notify_by
    assert tick(store, config, [COMPLAINTS], reconcile_every=timedelta(minutes=5))[0] == 1
    # A second complaint, notified in time: its alert is cancelled by the sync after the change.
    with store.unit_of_work() as uow:
        other = complaints.receive_complaint(
            uow, actor=county.clerk, at=later(4), received_at=later(4), source="inmate", summary="Other", officer_id=oid
        )
    clock.at = later(4)
    tick(store, config, [COMPLAINTS], reconcile_every=timedelta(minutes=5))
    clock.at = later(4, hours=1)
    with store.unit_of_work() as uow:
        complaints.notify_ice_of_complaint(
            uow,
            actor=county.coordinator,
            at=later(4, hours=1),
            complaint_id=other.id,
            notified_at=later(4, hours=1),
            notified_to="ICE duty officer",
        )
    tick(store, config, [COMPLAINTS], reconcile_every=timedelta(minutes=5))
    with store.unit_of_work() as uow:
        alert = uow.session.scalars(select(Alert).where(Alert.stream == f"complaint:{other.id}")).one()
        assert alert.cancelled_at is not None and alert.fired_at is None


def test_channel_settings_name_the_bad_variable() -> None:
    assert channels_from_env({}) == []
    with pytest.raises(ValueError, match="WSO_SMTP_TO"):
        channels_from_env({"WSO_SMTP_HOST": "mail"})
    with pytest.raises(ValueError, match="WSO_SMTP_PORT"):
        channels_from_env({"WSO_SMTP_HOST": "mail", "WSO_SMTP_TO": "a@b", "WSO_SMTP_PORT": "99999"})
    with pytest.raises(ValueError, match="WSO_WEBHOOK_SECRET"):
        channels_from_env({"WSO_WEBHOOK_URL": "http://x/"})
    names = [
        c.name
        for c in channels_from_env(
            {"WSO_SMTP_HOST": "mail", "WSO_SMTP_TO": "a@b", "WSO_WEBHOOK_URL": "http://x/", "WSO_WEBHOOK_SECRET": "s"}
        )
    ]
    assert names == ["email", "webhook"]


def test_workers_started_together_both_create_the_ledger_cursor_without_a_duplicate_key(store: Store) -> None:
    """Two workers starting at once both find no cursor; neither may fail (a dead worker misses alerts)."""
    from threading import Barrier, Thread

    from wso.worker.producers import sync_changes
    from wso.worker.tables import WorkerCursor

    now = datetime(2026, 3, 2, 15, tzinfo=UTC)
    barrier, errors = Barrier(2), []

    def start() -> None:
        barrier.wait()
        try:
            sync_changes(store, [COMPLAINTS], now=now)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a worker would have died of
            errors.append(exc)

    threads = [Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with store.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WorkerCursor)) == 1
