"""The worker's loop: sync producers, fire what is due, deliver, sleep until the next due instant."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError

from wso.store.errors import ConcurrencyError
from wso.store.uow import Store
from wso.worker.checkpoints import CheckpointSchedule, checkpoint_if_due
from wso.worker.delivery import WorkerConfig, deliver_due, fire_due, next_wake
from wso.worker.producers import Producer, reconcile, reconcile_due, sync_changes

log = logging.getLogger("wso.worker")


def tick(
    store: Store, config: WorkerConfig, producers: list[Producer], *, reconcile_every: timedelta
) -> tuple[int, int]:
    """One pass; returns (alerts fired, delivery attempts). Safe to run in several workers at once."""
    now = config.clock()
    if producers:
        if reconcile_due(store, now=now, every=reconcile_every):
            reconcile(store, producers, now=now)
        sync_changes(store, producers, now=now)
    fired = fire_due(store, config)
    attempts = deliver_due(store, config)
    return fired, attempts


def run(
    store: Store,
    config: WorkerConfig,
    producers: list[Producer],
    *,
    stop: threading.Event,
    poll: timedelta = timedelta(seconds=1),
    reconcile_every: timedelta = timedelta(minutes=5),
    checkpoints: CheckpointSchedule | None = None,
) -> None:
    """Loop until `stop` is set. On start the first tick fires at once what came due while down.

    It wakes at the next due instant or after `poll` (new alerts may be scheduled by other
    processes at any time), whichever comes first; a database error (SQLite busy, a lost
    PostgreSQL connection, a race lost to another worker) is logged and retried on the next tick,
    never fatal. With `checkpoints`, it also takes the ledger's signed checkpoints and publishes
    their heads (worker/checkpoints.py).
    """
    log.info("worker %s started; channels: board%s", config.worker_id, "".join(f", {c.name}" for c in config.channels))
    while not stop.is_set():
        try:
            fired, attempts = tick(store, config, producers, reconcile_every=reconcile_every)
            if checkpoints is not None:
                _publish(store, checkpoints, now=config.clock(), batch=fired + attempts)
            wake = next_wake(store, config)
        except OperationalError as exc:
            log.warning("database unavailable or busy, retrying: %s", exc.orig if exc.orig else exc)
            wake = None
        except ConcurrencyError as exc:  # another worker wrote the same row first: the next tick sees it
            log.warning("lost a race with another worker, retrying: %s", exc)
            wake = None
        wait = poll.total_seconds()
        if wake is not None:
            wait = max(0.0, min(wait, (wake - config.clock()).total_seconds()))
        stop.wait(wait)
    log.info("worker %s stopped", config.worker_id)


def _publish(store: Store, checkpoints: CheckpointSchedule, *, now: datetime, batch: int) -> None:
    """A checkpoint that cannot be published (witness down, disk full) is logged, never fatal to alerts."""
    try:
        checkpoint_if_due(store, checkpoints, now=now, batch=batch)
    except OperationalError:
        raise
    except Exception as exc:  # noqa: BLE001 - the alerts must keep firing whatever the witness does
        log.error("checkpoint not published: %s", exc)
        checkpoints.last = now  # retry at the next interval, not on every tick
