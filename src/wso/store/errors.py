"""Errors the store raises itself, so that it imports nothing from the services above it.

`DomainError` is the base of every error raised on purpose (the services add Refused, InvalidInput...
and re-export these two from wso.services.errors, so callers import them from one place).
`ConcurrencyError` is the store's: the unit of work turns a stale version or a lost race for a
stream's next seq into it. `NotFound` and `Forbidden` live here because the unit of work logs every
refusal in the access log (issue 14 item 7) and must recognise them without importing the services.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service (or the store below it) raises on purpose."""

    error = "error"
    field: str | None = None
    rule_ids: tuple[str, ...] = ()
    actor_label: str | None = None  # who was refused, for the access log (set where the actor is known)

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.error, "field": self.field, "reason": self.reason, "rule_ids": list(self.rule_ids)}


class ConcurrencyError(DomainError):
    """Someone else changed the record since it was loaded; reload and try again.

    When the record is known (`entity`, `entity_id`, and the `expected_version` the user's screen was
    built from), a page can say who changed what since then (its ledger stream's later events).
    """

    error = "conflict"

    def __init__(
        self,
        reason: str,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        expected_version: int | None = None,
    ) -> None:
        super().__init__(reason)
        self.entity = entity
        self.entity_id = entity_id
        self.expected_version = expected_version


class NotFound(DomainError):
    """No such record, or one outside the actor's agency (we never reveal which)."""

    error = "not_found"

    def __init__(self, entity: str, id: str) -> None:
        super().__init__(f"no {entity} with id {id}")
        self.entity = entity
        self.id = id


class Forbidden(DomainError):
    error = "forbidden"
