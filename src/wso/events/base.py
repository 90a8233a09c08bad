"""What every ledger event shares: a typed body (`CatalogEvent`) and the envelope the ledger adds.

Why two parts: the body is what a service states (an agreement was signed on a date, by a party) and
is checked against the catalog before it is appended; the envelope (stream, seq, recording instant,
actor) is the ledger's. Folds read envelopes, so they can tell "recorded at" from "happened at".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

Rows = dict[str, dict[str, dict[str, Any]]]


class CatalogEvent(BaseModel):
    """One ledger event type: its `type` literal, its fields (the payload) and the rules it feeds.

    `RULES` names the rule ids (PROGRAM.md) a decision built from this event may cite, so a reader can
    trace a decision to its inputs. `FOLD_FREE` marks an event that changes no projection row and no
    fact (a key registration, an alert's delivery): declared, so "no fold" is never an accident.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    RULES: ClassVar[tuple[str, ...]] = ()
    FOLD_FREE: ClassVar[bool] = False


@dataclass(frozen=True)
class Event:
    """An event as a fold sees it: the ledger's envelope and the payload, plain values only."""

    id: int
    stream: str
    seq: int
    type: str
    at: datetime  # when it was recorded (the ledger's instant)
    actor: str
    data: Mapping[str, Any]

    @property
    def entity_id(self) -> str:
        return self.stream.split(":", 1)[1]


class UnknownEvent(ValueError):
    """A fold met an event type it cannot replay: the projection cannot be proven."""


class UnknownEventType(ValueError):
    """An event type the catalog does not know: never appended, never folded silently."""


class InvalidEvent(ValueError):
    """A payload that does not fit its event type; names the type, the field and the reason."""

    def __init__(self, type: str, field: str, reason: str) -> None:
        super().__init__(f"event {type!r}: field {field!r}: {reason}")
        self.type, self.field, self.reason = type, field, reason


def parse_instant(value: Any) -> datetime | None:
    """An instant from a payload (ISO 8601 with offset) as an aware UTC datetime."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError(f"instant {value!r} has no offset")
    return parsed.astimezone(UTC)
