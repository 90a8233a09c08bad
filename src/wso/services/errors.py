"""Domain errors: what a service raises instead of returning None, each in the user's words.

Every shell maps them the same way (HTTP status in brackets): Refused (409) carries the rules'
Decision; InvalidInput (422) names the field; NotFound (404); Forbidden (403); NotAuthenticated
(401); ConcurrencyError (409). `to_dict()` is the JSON body the API returns and `--json` prints.
"""

from __future__ import annotations

from typing import Any

from wso.rules.decision import Decision


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    error = "error"
    field: str | None = None
    rule_ids: tuple[str, ...] = ()
    actor_label: str | None = None  # who was refused, for the access log (set where the actor is known)

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.error, "field": self.field, "reason": self.reason, "rule_ids": list(self.rule_ids)}


class Refused(DomainError):
    """The rules said no; `decision` holds every reason with its rule id and source."""

    error = "refused"

    def __init__(self, decision: Decision, *, field: str | None = None, reason: str | None = None) -> None:
        # The violations say why it is no; the satisfied reasons would only bury them.
        text = reason or "; ".join(r.text for r in decision.violations or decision.reasons) or decision.question
        super().__init__(text)
        self.decision = decision
        self.field = field
        self.rule_ids = decision.rule_ids

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "decision": self.decision.to_dict()}


class InvalidInput(DomainError):
    error = "invalid_input"

    def __init__(self, field: str, reason: str, *, rule_ids: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.field = field
        self.rule_ids = rule_ids


class NotFound(DomainError):
    """No such record, or one outside the actor's agency (we never reveal which)."""

    error = "not_found"

    def __init__(self, entity: str, id: str) -> None:
        super().__init__(f"no {entity} with id {id}")
        self.entity = entity
        self.id = id


class Forbidden(DomainError):
    error = "forbidden"


class NotAuthenticated(DomainError):
    """Unknown user, wrong password, unknown, expired or revoked token (one message for all)."""

    error = "not_authenticated"


class ConcurrencyError(DomainError):
    """Someone else changed the record since it was loaded; reload and try again."""

    error = "conflict"
