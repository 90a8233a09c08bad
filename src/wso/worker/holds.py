"""The adapter between the holds area and the worker: a hold's due instants become alerts, and a fired
hold alert refreshes the hold's stored summary (so the board says "release required" on time).

The holds area owns the decision (`wso.holds.decide`: `due_instants`, `refresh_hold`); this module only
maps its instants to alert kinds and keys, and is the one place the worker knows about holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wso.holds import tables as hold_tables
from wso.holds.decide import decision_from_dict, due_instants, refresh_hold
from wso.store.uow import UnitOfWork
from wso.worker.alerts import cancel_alerts, schedule_alert
from wso.worker.producers import Producer
from wso.worker.tables import Alert

PAST = timedelta(microseconds=1)  # the smallest step a stored instant has (both databases keep microseconds)


def alert_kind(instant_kind: str) -> str:
    """The alert kind of one of the holds area's due instants (issue 12's list, else hold_deadline)."""
    if instant_kind == "release_due":
        return "release_due"
    if instant_kind.startswith("citizenship_report") or instant_kind.startswith("report_citizenship_claim"):
        return "citizenship_report_due_soon" if instant_kind.endswith("_due_soon") else "citizenship_report_overdue"
    if "notify_ice" in instant_kind or "ice_notification" in instant_kind:
        return "ice_notification_overdue"
    return "hold_deadline"


def sync_hold(session: Session, hold_id: str, now: datetime) -> None:
    """Schedule an alert for each due instant of the hold's stored decision; cancel the ones gone.

    Past instants are scheduled too (they fire at once): an event recorded late must still alert.
    An ended hold (transferred, released, booked under an IGSA) keeps no unfired alert.
    """
    stream = f"hold:{hold_id}"
    row = session.get(hold_tables.Hold, hold_id)
    keep: list[str] = []
    if row is not None and row.active:
        for instant in due_instants(decision_from_dict(row.decision)):
            kind = alert_kind(instant.kind)
            key = f"{stream}:{instant.kind}:{instant.due_at.isoformat()}"
            schedule_alert(
                session,
                key=key,
                kind=kind,
                stream=stream,
                agency_id=row.agency_id,
                due_at=instant.due_at,
                now=now,
                payload={
                    "rule": instant.rule,
                    "label": f"{row.person_name} ({row.booking_number})",
                    "action": instant.description or instant.kind.replace("_", " "),
                    "hold_id": row.id,
                    "facility_id": row.facility_id,
                },
            )
            keep.append(key)
    cancel_alerts(session, stream=stream, keep_keys=keep, now=now)


def _active_holds(session: Session) -> Iterable[str]:
    return session.scalars(select(hold_tables.Hold.id).where(hold_tables.Hold.active.is_(True))).all()


HOLDS = Producer(prefix="hold", sync=sync_hold, open_ids=_active_holds)


def refresh_hold_on_fire(uow: UnitOfWork, alert: Alert, now: datetime) -> None:
    """When a hold's alert fires, store its new summary at `now` and reschedule what follows from it."""
    prefix, _, hold_id = alert.stream.partition(":")
    if prefix != "hold" or not hold_id:
        return
    # A deadline is met at its instant and missed just after it (rules: `at > due`), so the summary is
    # decided at the first instant past the due time: an alert fired exactly on time still leads the board
    # to say "release required" rather than keep the lawful status of the last lawful microsecond.
    decided = max(now, alert.due_at + PAST)
    refresh_hold(uow, hold_id=hold_id, now=decided)
    sync_hold(uow.session, hold_id, now)
