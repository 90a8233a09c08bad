"""The field types every command shares: instants with their offset, printable text, record ids.

Each validator refuses at the edge what no record of this program can hold, with a reason the
API, the forms and the CLI all show next to the field's name (STYLE: bad input names the field).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def plausible(value: datetime) -> datetime:
    """Refuses instants no record of this program can hold (and which overflow date arithmetic)."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def iso_instant(value: Any) -> Any:
    """Only ISO 8601 text (or a datetime) is an instant: Pydantic would read 12345 or "12345" as
    seconds since 1970, so a number typed into a date field would silently become 1970 (item 9)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time with its UTC offset, not a number")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an ISO 8601 date and time (e.g. 2026-11-25T09:30:00-05:00)") from None


def unencodable(value: str) -> bool:
    """A lone surrogate (JSON "\\ud800") is valid in a Python str but not in UTF-8: no database,
    password hasher or response can take it, so it is refused at the edge instead of failing later."""
    return any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def encodable(value: str) -> str:
    if unencodable(value):
        raise ValueError("must be valid Unicode text (a lone surrogate such as \\ud800 is not)")
    return value


def printable(value: str) -> str:
    """Refuses NUL and other control characters (PostgreSQL cannot store NUL in text) and lone surrogates."""
    if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise ValueError("must not contain control characters")
    return encodable(value)


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(iso_instant),
    AfterValidator(plausible),
    Field(description="ISO 8601 date and time with its UTC offset, e.g. 2026-11-25T09:30:00-05:00"),
]
Text = Annotated[str, AfterValidator(printable), Field(max_length=10_000)]
ExpectedVersion = int | None  # the version the user's screen was built from: a changed record is reported
