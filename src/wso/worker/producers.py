"""Producers the worker runs itself: it reads the ledger for changed subjects and (re)schedules their
alerts, so the areas that own holds and complaints need not know the worker exists.

Incremental: every ledger event past the cursor names a stream that changed; that subject's due
instants are recomputed (alerts scheduled, the ones no longer due cancelled) in one transaction with
the cursor's advance. A full pass over every open subject runs at start and every few minutes, which
also catches an event that committed out of id order on PostgreSQL (its id was taken before a
later id committed) and any producer added after events were written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wso.rules.complaints import complaint_deadlines
from wso.services.to_facts import complaint_fact
from wso.store import tables
from wso.store.ledger import LedgerEvent
from wso.store.uow import Store
from wso.worker.alerts import cancel_alerts, schedule_alert
from wso.worker.tables import WorkerCursor

log = logging.getLogger("wso.worker")


@dataclass(frozen=True)
class Producer:
    """Recomputes the alerts of one kind of subject: `sync(session, subject_id, now)` for one,
    `open_ids(session)` for the full pass; its streams are named `<prefix>:<id>`."""

    prefix: str
    sync: Callable[[Session, str, datetime], None]
    open_ids: Callable[[Session], Iterable[str]]


def _complaint_zone(session: Session, row: tables.Complaint) -> str:
    if row.facility_id:
        return session.get(tables.Facility, row.facility_id).timezone
    return session.get(tables.Agency, row.agency_id).timezone


def sync_complaint(session: Session, complaint_id: str, now: datetime) -> None:
    """C1/C2: an alert when the notice to ICE falls due, unless ICE has been notified by then."""
    stream = f"complaint:{complaint_id}"
    row = session.get(tables.Complaint, complaint_id)
    keep: list[str] = []
    if row is not None and row.ice_notified_at is None and row.resolved_at is None:
        template = session.get(tables.Agreement, row.agreement_id).template
        decision = complaint_deadlines(complaint_fact(row), template=template, tz=_complaint_zone(session, row), at=now)
        for deadline in decision.deadlines:
            if deadline.name != "ice_notification":
                continue
            key = f"{stream}:notification_due:{deadline.due.isoformat()}"
            schedule_alert(
                session,
                key=key,
                kind="complaint_notification_due",
                stream=stream,
                agency_id=row.agency_id,
                due_at=deadline.due,
                now=now,
                payload={
                    "rule": deadline.rule,
                    "label": f"Complaint about {row.subject_name or 'personnel'}",
                    "action": deadline.description,
                    "complaint_id": row.id,
                },
            )
            keep.append(key)
    cancel_alerts(session, stream=stream, keep_keys=keep, now=now)


def _open_complaints(session: Session) -> Iterable[str]:
    return session.scalars(
        select(tables.Complaint.id).where(
            tables.Complaint.ice_notified_at.is_(None), tables.Complaint.resolved_at.is_(None)
        )
    ).all()


COMPLAINTS = Producer(prefix="complaint", sync=sync_complaint, open_ids=_open_complaints)


def default_producers() -> list[Producer]:
    """Complaints always; holds once the holds area provides its due instants (wso.worker.holds)."""
    producers = [COMPLAINTS]
    try:
        from wso.worker.holds import HOLDS
    except ImportError:  # the holds area is not merged in this checkout
        return producers
    return [*producers, HOLDS]


CURSOR = "ledger"


def _ensure_cursor(session: Session) -> WorkerCursor:
    """The ledger cursor, created if missing and locked for this transaction.

    Workers started together all find it missing; an INSERT that ignores a conflict lets every one
    of them go on (a plain INSERT would fail all but the first with a duplicate key).
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(WorkerCursor)
        .values(name=CURSOR, last_event_id=0)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return session.get(WorkerCursor, CURSOR, with_for_update=True, populate_existing=True)


def sync_changes(store: Store, producers: list[Producer], *, now: datetime, batch: int = 500) -> int:
    """Recompute the alerts of every subject whose stream got an event since the cursor."""
    by_prefix = {p.prefix: p for p in producers}
    handled = 0
    while True:
        with store.unit_of_work() as uow:
            cursor = _ensure_cursor(uow.session)
            rows = uow.session.execute(
                select(LedgerEvent.id, LedgerEvent.stream)
                .where(LedgerEvent.id > cursor.last_event_id)
                .order_by(LedgerEvent.id)
                .limit(batch)
            ).all()
            if not rows:
                return handled  # leaving the block commits (the cursor row, if it was just made)
            streams = dict.fromkeys(stream for _, stream in rows)
            for stream in streams:
                prefix, _, subject = stream.partition(":")
                producer = by_prefix.get(prefix)
                if producer is not None and subject:
                    producer.sync(uow.session, subject, now)
                    handled += 1
            cursor.last_event_id = rows[-1][0]  # committed with the alerts when the block ends


def reconcile(store: Store, producers: list[Producer], *, now: datetime) -> int:
    """The full pass: every open subject's alerts recomputed; one transaction per producer."""
    count = 0
    for producer in producers:
        with store.unit_of_work() as uow:
            for subject in producer.open_ids(uow.session):
                producer.sync(uow.session, subject, now)
                count += 1
            _ensure_cursor(uow.session).reconciled_at = now
    return count


def reconcile_due(store: Store, *, now: datetime, every: timedelta) -> bool:
    """Whether the last full pass is older than `every` (or never ran)."""
    with store.unit_of_work() as uow:
        last = uow.session.scalar(select(func.max(WorkerCursor.reconciled_at)))
    return last is None or now - last >= every
