"""The worker's durable state: alerts (due items), their per-channel deliveries, and sync cursors.

An alert is a due instant about one subject stream (a hold, a complaint). It lives in the database,
not in the worker's memory, so a worker that was down fires on restart whatever came due meanwhile.
A fired alert is never changed again except by its deliveries; the board shows fired alerts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wso.store.base import Base, UTCDateTime


class Alert(Base):
    """One due item: unique by `key` (e.g. "hold:<id>:release_due:<iso>"), so scheduling twice is a no-op."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_due", "fired_at", "cancelled_at", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    stream: Mapped[str] = mapped_column(String(200), index=True)
    agency_id: Mapped[str] = mapped_column(String(36), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AlertDelivery(Base):
    """The state of one alert on one channel (board, email, webhook): pending, delivered or failed.

    `claimed_by` / `claim_until` are the SQLite lease (PostgreSQL claims with FOR UPDATE SKIP LOCKED
    and needs no lease). `next_attempt_at` carries the retry backoff.
    """

    __tablename__ = "alert_deliveries"
    __table_args__ = (Index("ix_alert_deliveries_pending", "state", "next_attempt_at"),)

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claim_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WorkerCursor(Base):
    """How far a producer sync has read the ledger (the highest event id it has handled)."""

    __tablename__ = "worker_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    reconciled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
