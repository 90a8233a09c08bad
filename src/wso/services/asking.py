"""Asking the rules: their complaints about the facts become the user's InvalidInput."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from wso.params import NotInForce
from wso.rules.decision import InvalidFacts
from wso.services.errors import InvalidInput

P = ParamSpec("P")
T = TypeVar("T")


def ask(rule: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call a rule; facts it cannot decide on (or a date before a parameter holds) name the field."""
    try:
        return rule(*args, **kwargs)
    except InvalidFacts as exc:
        raise InvalidInput(getattr(exc, "field", "facts") or "facts", getattr(exc, "reason", str(exc))) from exc
    except NotInForce as exc:
        raise InvalidInput("at", f"no rule in force for that date or template: {exc}") from exc
