"""The ledger's own events and the worker's: signing keys, access-log purges, alert deliveries.

None of them changes a record the rules decide on, so each is declared `FOLD_FREE`: verify still
checks its chain and signature, and an unknown type on these streams is still refused at append.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime

from wso.events.base import CatalogEvent


class _KeyEvent(CatalogEvent):
    FOLD_FREE: ClassVar[bool] = True
    algorithm: Literal["Ed25519"]
    key_id: str
    public_key: str
    previous_key_id: str | None = None
    endorsement: str | None = None


class KeyRegistered(_KeyEvent):
    """A signing key's public half, signed by itself (the trust anchor verify starts from)."""

    type: Literal["ledger.key_registered"] = "ledger.key_registered"


class KeyRotated(_KeyEvent):
    """A new signing key, endorsed by the previous one."""

    type: Literal["ledger.key_rotated"] = "ledger.key_rotated"


class AccessLogPurged(CatalogEvent):
    """Access-log rows older than the retention period deleted; the chain restarts from here (D2)."""

    RULES: ClassVar[tuple[str, ...]] = ("D2",)
    FOLD_FREE: ClassVar[bool] = True
    type: Literal["access_log.purged"] = "access_log.purged"
    before: AwareDatetime
    through_seq: int
    through_hash: str | None = None
    rows: int
    retention_days: int


class _AlertEvent(CatalogEvent):
    """Who was told what, when, on which channel: the worker's delivery record."""

    FOLD_FREE: ClassVar[bool] = True
    alert_key: str
    kind: str
    subject_stream: str
    agency_id: str | None = None
    due_at: AwareDatetime
    channel: str
    idempotency_key: str
    attempts: int
    error: str = ""


class AlertDelivered(_AlertEvent):
    type: Literal["alert.delivered"] = "alert.delivered"


class AlertFailed(_AlertEvent):
    type: Literal["alert.failed"] = "alert.failed"
