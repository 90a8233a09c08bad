"""Named instants for rule tests, so a reader sees the case (GOV.UK Notify's style)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NEW_YORK = "America/New_York"
CHICAGO = "America/Chicago"
LOS_ANGELES = "America/Los_Angeles"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(tz: str, *parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(tz), fold=fold)
