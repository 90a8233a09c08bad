"""The worker as a process: SIGKILLed while alerts are due, restarted, and every alert is delivered once.

Real receivers (aiosmtpd, an HTTP server) run in the test; the worker is `wso worker` in a child
process. "Exactly once" is checked three ways: the ledger records one delivery per alert and
channel; the receivers, deduplicating by the idempotency key as any receiver can, saw every alert;
and the raw receipts hold at most one repeat per kill and channel, the message in flight when the
process died (the at-least-once window of docs/worker.md), always with the same key.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration.worker_support import SECRET, SmtpReceiver, WebhookReceiver, wait_for
from wso.store.ledger import LedgerEvent
from wso.store.uow import Store
from wso.worker.alerts import schedule_alert
from wso.worker.delivery import idempotency_key
from wso.worker.tables import AlertDelivery

WSO = str(Path(sys.executable).with_name("wso"))
ALERTS = 30


def _start(url: str, worker_id: str, smtp: SmtpReceiver, webhook: WebhookReceiver, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "WSO_SMTP_HOST": "127.0.0.1",
        "WSO_SMTP_PORT": str(smtp.port),
        "WSO_SMTP_TO": "jail@test",
        "WSO_WEBHOOK_URL": webhook.url,
        "WSO_WEBHOOK_SECRET": SECRET,
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [WSO, "worker", "--database", url, "--id", worker_id, "--poll", "0.1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _schedule(store: Store, now: datetime) -> list[str]:
    """Half due already, half coming due in the next two seconds (while a worker is down)."""
    keys = []
    with store.unit_of_work() as uow:
        for i in range(ALERTS):
            key = f"hold:h{i}:release_due:{i}"
            due = now - timedelta(seconds=5) if i % 2 == 0 else now + timedelta(seconds=2 * i / ALERTS)
            schedule_alert(
                uow.session,
                key=key,
                kind="release_due",
                stream=f"hold:h{i}",
                agency_id="agency-1",
                due_at=due,
                payload={"label": f"Person {i}", "rule": "H5"},
                now=now,
            )
            keys.append(key)
        uow.commit()
    return keys


def _delivered(store: Store) -> int:
    with store.unit_of_work() as uow:
        return uow.session.scalar(
            select(func.count()).select_from(AlertDelivery).where(AlertDelivery.state == "delivered")
        )


def _actors(store: Store) -> set[str]:
    """The workers that recorded a delivery, by id."""
    with store.unit_of_work() as uow:
        actors = uow.session.scalars(select(LedgerEvent.actor).where(LedgerEvent.type == "alert.delivered"))
        return {a.removeprefix("worker:") for a in actors}


def _a_working_worker(store: Store, worker_ids: list[str]) -> str:
    """The worker to kill: one that has delivered, so the kill interrupts real work.

    Which of two workers wins the first claims is up to the scheduler; choosing the victim among
    those that delivered keeps the test about the kill, not about who was faster.
    """
    working = _actors(store)
    return next(w for w in worker_ids if w in working)


def _check_exactly_once(
    store: Store, keys: list[str], smtp: SmtpReceiver, webhook: WebhookReceiver, kills: int
) -> None:
    with store.unit_of_work() as uow:
        events = [e.data for e in uow.session.scalars(select(LedgerEvent).where(LedgerEvent.type == "alert.delivered"))]
    recorded = Counter((e["alert_key"], e["channel"]) for e in events)
    assert recorded == Counter({(k, c): 1 for k in keys for c in ("board", "email", "webhook")})
    for channel, receiver in (("email", smtp), ("webhook", webhook)):
        raw = Counter(receiver.received.keys())
        assert set(raw) == {idempotency_key(k, channel) for k in keys}, channel
        repeats = sum(n - 1 for n in raw.values())
        assert repeats <= kills, f"{channel}: {repeats} repeats for {kills} kill(s): {raw.most_common(3)}"


def _run_kill_restart(url: str, tmp_path: Path, worker_ids: list[str]) -> None:
    smtp, webhook = SmtpReceiver(delay=0.03), WebhookReceiver(delay=0.03)
    store = Store(url)
    procs: dict[str, subprocess.Popen] = {}
    log = tmp_path / "worker.log"
    try:
        procs = {w: _start(url, w, smtp, webhook, log) for w in worker_ids}
        # Every worker is up and polling before anything is due, so each has its chance at the alerts.
        wait_for(
            lambda: all(f"worker {w} started" in log.read_text() for w in worker_ids),
            timeout=60,
            what="the workers to start",
        )
        keys = _schedule(store, datetime.now(UTC))
        wait_for(lambda: len(webhook.received.keys()) >= 6, timeout=60, what="the first deliveries")
        victim = _a_working_worker(store, worker_ids)
        procs[victim].send_signal(signal.SIGKILL)
        procs[victim].wait(timeout=10)
        done_at_kill = _delivered(store)
        assert done_at_kill < ALERTS * 3, "everything was delivered before the kill: the test proved nothing"
        time.sleep(2.5)  # alerts come due while the victim is down
        survivors = [w for w in worker_ids if w != victim]
        if survivors:  # the survivor carries the load alone: no alert waits for the dead worker
            assert _delivered(store) > done_at_kill, "nothing was delivered while one worker was down"
            assert set(survivors) <= _actors(store)
        started = time.monotonic()
        procs[victim] = _start(url, victim, smtp, webhook, log)
        wait_for(lambda: _delivered(store) == ALERTS * 3, timeout=60, what="every delivery after the restart")
        assert time.monotonic() - started < 30
        _check_exactly_once(store, keys, smtp, webhook, kills=1)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        store.dispose()
        smtp.stop()
        webhook.stop()
    print(log.read_text()[-3000:])


@pytest.mark.xdist_group("worker-kill")
def test_a_worker_killed_while_alerts_are_due_delivers_each_once_after_restart(
    database_url: str, tmp_path: Path
) -> None:
    _run_kill_restart(database_url, tmp_path, ["w1"])


@pytest.mark.xdist_group("worker-kill")
@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_workers_on_postgresql_one_killed_deliver_each_alert_once(database_url: str, tmp_path: Path) -> None:
    assert database_url.startswith("postgresql")  # two concurrent workers: SKIP LOCKED; SQLite runs one worker
    _run_kill_restart(database_url, tmp_path, ["w1", "w2"])
