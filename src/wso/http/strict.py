"""Strict JSON bodies: what the client wrote is what the service gets, or a 422 naming the field.

FastAPI validates a body in Pydantic's lax Python mode, after `json.loads` has already resolved
duplicate keys (the last one wins). Lax mode reads `"score_percent": true` as 1 %, and a retake
of 50 % after that disqualifies an officer for good (O3); a duplicated key lets two readers of
the same body disagree on what it said. So every command body is read a second time here, before
the service runs: duplicate keys are refused, then the body is validated in Pydantic's strict
JSON mode (no bool for a number, no number for a date, no "69" for 69). Issue 14, item 9.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError


class DuplicateKey(ValueError):
    """A JSON object names the same key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def refuse_duplicate_keys(raw: bytes) -> None:
    """Raises RequestValidationError naming the first key given twice (at any depth)."""
    try:
        json.loads(raw, object_pairs_hook=_no_duplicates)
    except DuplicateKey as exc:
        raise RequestValidationError(
            [{"type": "duplicate_key", "loc": ("body", exc.key), "msg": f"the key {exc.key!r} is given twice"}]
        ) from None
    except ValueError:
        return  # not JSON at all: FastAPI's own parser reports it with its position


def strict_body(model: type[BaseModel]) -> Callable[[Request], Awaitable[None]]:
    """A route dependency: the raw body, once more, without duplicates and in strict mode."""

    async def check(request: Request) -> None:
        raw = await request.body()  # cached by Starlette: FastAPI reads the same bytes
        if not raw:
            return  # FastAPI reports the missing body itself
        refuse_duplicate_keys(raw)
        try:
            model.model_validate_json(raw, strict=True)
        except ValidationError as exc:
            if any(e.get("type") == "json_invalid" for e in exc.errors()):
                return  # FastAPI reports unparsable JSON itself
            raise RequestValidationError(
                [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False, include_input=False)]
            ) from None

    return check
