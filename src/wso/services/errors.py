"""Domain errors: what a service raises instead of returning None, each in the user's words.

Every shell maps them the same way (HTTP status in brackets): Refused (409) carries the rules'
Decision; InvalidInput (422) names the field; NotFound (404); Forbidden (403); NotAuthenticated
(401); ConcurrencyError (409). `to_dict()` is the JSON body the API returns and `--json` prints.
DomainError and ConcurrencyError live in wso.store.errors (the unit of work raises the latter, and
the store imports nothing from services) and are re-exported here, so callers import from one place.
"""

from __future__ import annotations

from typing import Any

from wso.rules.decision import Decision
from wso.store.errors import ConcurrencyError, DomainError, Forbidden, NotFound

__all__ = [
    "ConcurrencyError",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "NotAuthenticated",
    "NotFound",
    "Refused",
    "SignInRefused",
    "TooManyRequests",
]


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
    """Bad input: `field` and `reason` name the first bad field; `errors` lists every bad field as
    (field, reason), so a form can show all of them at once (GOV.UK's error summary)."""

    error = "invalid_input"

    def __init__(
        self,
        field: str,
        reason: str,
        *,
        rule_ids: tuple[str, ...] = (),
        errors: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(reason)
        self.field = field
        self.rule_ids = rule_ids
        self.errors = errors or ((field, reason),)

    @classmethod
    def of(cls, errors: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> InvalidInput:
        """One error for every bad field at once; the first is its `field` and `reason`."""
        if not errors:
            raise ValueError("InvalidInput.of needs at least one (field, reason)")
        first_field, first_reason = errors[0]
        return cls(first_field, first_reason, errors=tuple(errors))

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        if len(self.errors) > 1:
            body["errors"] = [{"field": f, "reason": r} for f, r in self.errors]
        return body


class NotAuthenticated(DomainError):
    """Unknown user, wrong password, unknown, expired or revoked token (one message for all)."""

    error = "not_authenticated"


class SignInRefused(NotAuthenticated):
    """A refusal that keeps what was written before it: the failed attempt (S4) or the ended session
    is evidence, so the entry point's unit of work commits it and then lets the error through."""

    keeps_writes = True


class TooManyRequests(DomainError):
    """Refused for now, not for what was asked: too many attempts or too many at once (429)."""

    error = "too_many_requests"
