"""Firing due alerts and delivering them exactly once per channel, with the ledger as the record.

Firing (due -> fired) is a database change only: a conditional UPDATE (`WHERE fired_at IS NULL`)
lets exactly one worker win it, and in the same transaction the board delivery is recorded and the
external deliveries are created. Delivering to e-mail or a webhook is a side effect outside the
database, so it is claimed first:

- PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED` takes one pending delivery; the worker sends while
  holding the row lock and records the delivery (state + ledger event) in that same transaction.
  Another worker skips the locked row; a killed worker's lock dies with its connection, so a
  restarted worker (or the other one) takes the row at once.
- SQLite (no row locks): a claim row (`claimed_by`, `claim_until`) is committed before sending and
  cleared with the delivery's record; a restarted worker with the same id takes its own claims back
  at once, another worker only after the lease expires.

What remains is the window between a receiver accepting a message and our commit: a crash there
resends the message with the same idempotency key (docs/worker.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from wso.store.uow import Store, UnitOfWork
from wso.worker.channels import Channel, DeliveryError, Outgoing
from wso.worker.tables import Alert, AlertDelivery

log = logging.getLogger("wso.worker")

BOARD = "board"
OnFired = Callable[[UnitOfWork, Alert, datetime], None]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class WorkerConfig:
    """How one worker runs. Retry numbers are operational choices, not law (no param needed)."""

    worker_id: str
    channels: Sequence[Channel] = ()
    clock: Callable[[], datetime] = system_clock
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 8
    backoff_first: timedelta = timedelta(seconds=5)
    backoff_max: timedelta = timedelta(minutes=10)
    on_fired: list[OnFired] = field(default_factory=list)

    @property
    def actor(self) -> str:
        return f"worker:{self.worker_id}"

    def channel(self, name: str) -> Channel | None:
        return next((c for c in self.channels if c.name == name), None)


def idempotency_key(alert_key: str, channel: str) -> str:
    """Stable for an alert on a channel, whichever worker or attempt sends it (128 bits, hex)."""
    return hashlib.sha256(f"{alert_key}|{channel}".encode()).hexdigest()[:32]


def alert_stream(alert: Alert) -> str:
    """Each alert gets its own ledger stream, so deliveries never contend with the hold's writers."""
    return f"alert:{alert.id}"


def _record(uow: UnitOfWork, *, alert: Alert, delivery: AlertDelivery, type: str, at: datetime, actor: str) -> None:
    """The delivery as a signed ledger event on the alert's own stream (the evidence `verify` checks)."""
    uow.append(
        stream=alert_stream(alert),
        actor=actor,
        at=at,
        type=type,
        payload={
            "alert_key": alert.key,
            "kind": alert.kind,
            "subject_stream": alert.stream,
            "agency_id": alert.agency_id,
            "due_at": alert.due_at.isoformat(),
            "channel": delivery.channel,
            "idempotency_key": delivery.idempotency_key,
            "attempts": delivery.attempts,
            "error": delivery.last_error if type == "alert.failed" else "",
        },
    )


def outgoing(alert: Alert, delivery: AlertDelivery) -> Outgoing:
    payload = json.loads(alert.payload)
    label = payload.get("label") or alert.stream
    return Outgoing(
        idempotency_key=delivery.idempotency_key,
        subject=f"[wso] {alert.kind.replace('_', ' ')}: {label} (due {alert.due_at.isoformat()})",
        body={
            "idempotency_key": delivery.idempotency_key,
            "alert": alert.key,
            "kind": alert.kind,
            "stream": alert.stream,
            "agency_id": alert.agency_id,
            "due_at": alert.due_at.isoformat(),
            "fired_at": alert.fired_at.isoformat() if alert.fired_at else None,
            "payload": payload,
        },
    )


def fire_due(store: Store, config: WorkerConfig, *, limit: int = 1000) -> int:
    """Fire every alert due by now, one transaction each; returns how many this worker fired."""
    fired = 0
    for _ in range(limit):
        now = config.clock()
        with store.unit_of_work() as uow:
            alert = uow.session.scalars(
                select(Alert)
                .where(Alert.fired_at.is_(None), Alert.cancelled_at.is_(None), Alert.due_at <= now)
                .order_by(Alert.due_at, Alert.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if alert is None:
                return fired
            won = uow.session.execute(
                update(Alert)
                .where(Alert.id == alert.id, Alert.fired_at.is_(None), Alert.cancelled_at.is_(None))
                .values(fired_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won != 1:
                continue  # another worker fired it first (SQLite has no SKIP LOCKED)
            set_committed_value(alert, "fired_at", now)
            board = AlertDelivery(
                alert_id=alert.id,
                channel=BOARD,
                state="delivered",
                idempotency_key=idempotency_key(alert.key, BOARD),
                attempts=1,
                next_attempt_at=now,
                delivered_at=now,
                last_error="",
            )
            uow.session.add(board)
            _record(uow, alert=alert, delivery=board, type="alert.delivered", at=now, actor=config.actor)
            for channel in config.channels:
                uow.session.add(
                    AlertDelivery(
                        alert_id=alert.id,
                        channel=channel.name,
                        state="pending",
                        attempts=0,
                        next_attempt_at=now,
                        idempotency_key=idempotency_key(alert.key, channel.name),
                        last_error="",
                    )
                )
            for hook in config.on_fired:
                _run_hook(uow, hook, alert, now)
            uow.session.flush()
            uow.commit()
            fired += 1
            log.info("fired %s (due %s)", alert.key, alert.due_at.isoformat())
    return fired


def _run_hook(uow: UnitOfWork, hook: OnFired, alert: Alert, now: datetime) -> None:
    """A hook (e.g. refreshing a hold's stored summary) that fails must not stop the alert firing."""
    savepoint = uow.session.begin_nested()
    try:
        hook(uow, alert, now)
        uow.session.flush()
    except Exception:
        savepoint.rollback()
        log.exception("hook %s failed for %s; the alert fires anyway", getattr(hook, "__name__", hook), alert.key)
    else:
        savepoint.commit()


def _pending(config: WorkerConfig, now: datetime) -> Any:
    names = [c.name for c in config.channels]
    return (
        select(AlertDelivery)
        .where(AlertDelivery.state == "pending", AlertDelivery.next_attempt_at <= now, AlertDelivery.channel.in_(names))
        .order_by(AlertDelivery.next_attempt_at, AlertDelivery.alert_id, AlertDelivery.channel)
    )


def _send(config: WorkerConfig, alert: Alert, delivery: AlertDelivery, now: datetime) -> str:
    """Send once and set the delivery's new state; returns the ledger event type to record, if any."""
    channel = config.channel(delivery.channel)
    assert channel is not None  # _pending only selects configured channels
    delivery.attempts += 1
    try:
        channel.send(outgoing(alert, delivery))
    except DeliveryError as exc:
        delivery.last_error = str(exc)[:2000]
        if delivery.attempts >= config.max_attempts:
            delivery.state = "failed"
            log.error(
                "giving up on %s via %s after %d attempts: %s", alert.key, delivery.channel, delivery.attempts, exc
            )
            return "alert.failed"
        wait = min(config.backoff_first * (2 ** (delivery.attempts - 1)), config.backoff_max)
        delivery.next_attempt_at = now + wait
        log.warning("retrying %s via %s in %s: %s", alert.key, delivery.channel, wait, exc)
        return ""
    delivery.state, delivery.delivered_at, delivery.last_error = "delivered", now, ""
    return "alert.delivered"


def deliver_one(store: Store, config: WorkerConfig) -> bool:
    """Claim, send and record one pending delivery; False when nothing is pending for this worker."""
    if not config.channels:
        return False
    if store.engine.dialect.name == "postgresql":
        return _deliver_locked(store, config)
    return _deliver_leased(store, config)


def _deliver_locked(store: Store, config: WorkerConfig) -> bool:
    now = config.clock()
    with store.unit_of_work() as uow:
        delivery = uow.session.scalars(_pending(config, now).limit(1).with_for_update(skip_locked=True)).first()
        if delivery is None:
            return False
        alert = uow.session.get(Alert, delivery.alert_id)
        event = _send(config, alert, delivery, now)
        if event:
            _record(uow, alert=alert, delivery=delivery, type=event, at=now, actor=config.actor)
        uow.session.flush()
        uow.commit()
    return True


def _deliver_leased(store: Store, config: WorkerConfig) -> bool:
    now = config.clock()
    me = config.worker_id
    with store.unit_of_work() as uow:
        claimable = or_(
            AlertDelivery.claimed_by.is_(None), AlertDelivery.claim_until < now, AlertDelivery.claimed_by == me
        )
        candidate = uow.session.scalars(_pending(config, now).where(claimable).limit(1)).first()
        if candidate is None:
            return False
        key = (candidate.alert_id, candidate.channel)
        won = uow.session.execute(
            update(AlertDelivery)
            .where(
                AlertDelivery.alert_id == key[0],
                AlertDelivery.channel == key[1],
                AlertDelivery.state == "pending",
                claimable,
            )
            .values(claimed_by=me, claim_until=now + config.lease)
            .execution_options(synchronize_session=False)
        ).rowcount
        uow.commit()
    if won != 1:
        return True  # another worker claimed it meanwhile; look for the next one
    with store.unit_of_work() as uow:
        delivery = uow.session.get(AlertDelivery, key, populate_existing=True)
        alert = uow.session.get(Alert, key[0])
        uow.session.expunge(delivery)  # changed below by a conditional UPDATE only, never by a flush
        event = _send(config, alert, delivery, now)
        still_ours = uow.session.execute(
            update(AlertDelivery)
            .where(
                and_(
                    AlertDelivery.alert_id == key[0],
                    AlertDelivery.channel == key[1],
                    AlertDelivery.claimed_by == me,
                    AlertDelivery.state == "pending",
                )
            )
            .values(
                state=delivery.state,
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                delivered_at=delivery.delivered_at,
                last_error=delivery.last_error,
                claimed_by=None,
                claim_until=None,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if still_ours != 1:
            log.error("lost the claim on %s via %s while sending (lease too short?)", alert.key, key[1])
            return True
        if event:
            _record(uow, alert=alert, delivery=delivery, type=event, at=now, actor=config.actor)
        uow.session.flush()
        uow.commit()
    return True


def deliver_due(store: Store, config: WorkerConfig, *, limit: int = 1000) -> int:
    """Deliver pending messages until none is due; returns how many attempts were made."""
    count = 0
    while count < limit and deliver_one(store, config):
        count += 1
    return count


def next_wake(store: Store, config: WorkerConfig) -> datetime | None:
    """The earliest instant something will be due (an unfired alert or a delivery's retry)."""
    with store.unit_of_work() as uow:
        alert = uow.session.scalar(
            select(Alert.due_at)
            .where(Alert.fired_at.is_(None), Alert.cancelled_at.is_(None))
            .order_by(Alert.due_at)
            .limit(1)
        )
        retry = (
            uow.session.scalar(
                _pending(config, datetime.max.replace(tzinfo=UTC))
                .with_only_columns(AlertDelivery.next_attempt_at)
                .limit(1)
            )
            if config.channels
            else None
        )
    times = [t for t in (alert, retry) if t is not None]
    return min(times) if times else None
