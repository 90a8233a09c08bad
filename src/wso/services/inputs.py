"""Checks on what a user typed, each failing with InvalidInput naming the field, in their words."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wso.services.errors import InvalidInput


def aware(field: str, value: datetime) -> datetime:
    """An instant must carry its UTC offset: a naive datetime is a bug (DESIGN.md, Time)."""
    if not isinstance(value, datetime):
        raise InvalidInput(field, "expected a date and time with its UTC offset")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "a date and time needs its UTC offset (e.g. 2026-11-25T09:00:00-05:00)")
    return value


def optional_aware(field: str, value: datetime | None) -> datetime | None:
    return None if value is None else aware(field, value)


def not_before(field: str, value: datetime, *, earliest: datetime, what: str) -> None:
    if value < earliest:
        raise InvalidInput(field, f"cannot be before {what} ({earliest.isoformat()})")


def text(field: str, value: str | None, *, max_length: int = 200, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(field, "must not be blank")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return cleaned


def choice(field: str, value: str, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        raise InvalidInput(field, f"must be one of {', '.join(options)} (got {value!r})")
    return value


def state_code(field: str, value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InvalidInput(field, "must be a two-letter state code such as FL")
    return code


def iana_zone(field: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInput(field, f"unknown IANA time zone {value!r} (e.g. America/New_York)") from None
    return value


def percent(field: str, value: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value) or not 0 <= value <= 100:
        raise InvalidInput(field, "must be a percentage between 0 and 100")
    return float(value)


def record_id(field: str, value: str) -> str:
    """Ids are UUIDs; anything else cannot name a record (and must not reach SQL as such)."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a record id") from None


def new_id() -> str:
    return str(uuid.uuid4())


def jsonable(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An event payload as plain JSON values (instants as ISO 8601 with their offset)."""

    def plain(value: Any) -> Any:
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return {str(k): plain(v) for k, v in payload.items()}
