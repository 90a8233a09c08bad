"""The producers' API: schedule an alert (idempotent by key) or cancel the ones no longer due.

Both run inside the caller's transaction (they flush, never commit), so a due item is stored
together with the event that made it due, or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wso.store.ledger import canonical_json
from wso.worker.tables import Alert

# What the worker fires; each names the rule whose clock it watches in its payload's `rule`.
KINDS = (
    "release_due",
    "ice_notification_overdue",
    "citizenship_report_due_soon",
    "citizenship_report_overdue",
    "complaint_notification_due",
    "hold_deadline",  # another clock of a hold (an I-247A or C.F.R. 287.7 deadline, H8)
)


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name}: naive datetime {value!r}; instants must be timezone-aware")
    return value.astimezone(UTC)


def schedule_alert(
    session: Session,
    *,
    key: str,
    kind: str,
    stream: str,
    agency_id: str,
    due_at: datetime,
    payload: Mapping[str, Any],
    now: datetime | None = None,
) -> Alert:
    """Store a due item once per key; scheduling the same key again changes nothing once it fired.

    An unfired alert whose due instant or payload changed is updated in place (a key normally
    carries its instant, so this only happens when a producer reuses a key on purpose); a
    cancelled one is revived, since its producer says it is due again.
    """
    if kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    if not key or len(key) > 300:
        raise ValueError("key: required, at most 300 characters")
    due = _aware("due_at", due_at)
    text = canonical_json(dict(payload))
    row = session.scalars(select(Alert).where(Alert.key == key)).first()
    if row is None:
        row = Alert(
            key=key,
            kind=kind,
            stream=stream,
            agency_id=agency_id,
            due_at=due,
            payload=text,
            created_at=_aware("now", now) if now else datetime.now(UTC),
        )
        session.add(row)
    elif row.fired_at is None:
        row.due_at, row.payload, row.kind, row.cancelled_at = due, text, kind, None
    session.flush()
    return row


def cancel_alerts(session: Session, *, stream: str, keep_keys: Collection[str], now: datetime | None = None) -> int:
    """Cancel the stream's unfired alerts whose key is not in `keep_keys`; returns how many.

    A producer recomputes a subject's due instants after each change and passes their keys: what
    is no longer due (ICE was notified, the person was transferred) never fires. Fired alerts stay.
    """
    at = _aware("now", now) if now else datetime.now(UTC)
    query = update(Alert).where(Alert.stream == stream, Alert.fired_at.is_(None), Alert.cancelled_at.is_(None))
    if keep_keys:
        query = query.where(Alert.key.not_in(list(keep_keys)))
    result = session.execute(query.values(cancelled_at=at).execution_options(synchronize_session=False))
    return result.rowcount or 0
