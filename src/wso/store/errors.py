"""Errors the store raises itself, so that it imports nothing from the services above it.

`DomainError` is the base of every error raised on purpose (the services add Refused, InvalidInput...
and re-export these two from wso.services.errors, so callers import them from one place).
`ConcurrencyError` is the store's: the unit of work turns a stale version or a lost race for a
stream's next seq into it.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service (or the store below it) raises on purpose."""

    error = "error"
    field: str | None = None
    rule_ids: tuple[str, ...] = ()

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.error, "field": self.field, "reason": self.reason, "rule_ids": list(self.rule_ids)}


class ConcurrencyError(DomainError):
    """Someone else changed the record since it was loaded; reload and try again."""

    error = "conflict"
