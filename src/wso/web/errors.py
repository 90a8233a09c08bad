"""One mapping from domain errors to what a user sees: JSON for /api, a page for the browser.

Services refuse with named errors (wso.services.errors); the shell never decides, it only
translates. Keeping the translation in one place means the API, the pages and the tests agree
on the status code, the field and the rule ids of every refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from wso.services import errors as domain
from wso.web.csrf import CsrfRejected
from wso.web.templating import templates

API_PREFIX = "/api/"


@dataclass(frozen=True)
class Problem:
    """What went wrong, in the shape every API error has (docs/api.md)."""

    status: int
    error: str
    reason: str
    field: str | None = None
    rule_ids: tuple[str, ...] = ()
    reasons: tuple[dict[str, Any], ...] = ()
    errors: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "error": self.error,
            "field": self.field,
            "reason": self.reason,
            "rule_ids": list(self.rule_ids),
            "reasons": list(self.reasons),
        }
        if self.errors:
            body["errors"] = list(self.errors)
        return body


# The HTTP status of each domain error (wso.services.errors); a subclass takes its parent's.
STATUS: dict[type[domain.DomainError], int] = {
    domain.Refused: 409,
    domain.InvalidInput: 422,
    domain.NotFound: 404,
    domain.Forbidden: 403,
    domain.NotAuthenticated: 401,
    domain.ConcurrencyError: 409,
}

DOMAIN_ERRORS = (domain.DomainError, CsrfRejected)


def _status(exc: domain.DomainError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def problem_for(exc: Exception) -> Problem:
    """The Problem for a domain error, a refused CSRF check or a request that failed validation."""
    if isinstance(exc, domain.DomainError):
        reasons: tuple[dict[str, Any], ...] = ()
        if isinstance(exc, domain.Refused):
            reasons = tuple(r.to_dict() for r in exc.decision.reasons)
        return Problem(
            status=_status(exc),
            error=exc.error,
            reason=exc.reason,
            field=exc.field,
            rule_ids=tuple(exc.rule_ids),
            reasons=reasons,
        )
    if isinstance(exc, CsrfRejected):
        return Problem(status=403, error="csrf", field="csrf_token", reason=str(exc))
    if isinstance(exc, RequestValidationError):
        items = tuple(
            {"field": _location(e.get("loc", ())), "reason": str(e.get("msg", "invalid"))} for e in exc.errors()
        )
        first = items[0] if items else {"field": None, "reason": "invalid request"}
        return Problem(status=422, error="invalid_input", field=first["field"], reason=first["reason"], errors=items)
    raise TypeError(f"no mapping for {type(exc).__name__}")


def _location(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """`("body", "score_percent")` -> "score_percent": the field as the user named it."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or (".".join(str(p) for p in loc) or None)


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def api_response(problem: Problem) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
    return JSONResponse(problem.to_dict(), status_code=problem.status, headers=headers)


def page_response(request: Request, problem: Problem) -> Response:
    return templates.TemplateResponse(
        request, "records/error.html", {"problem": problem}, status_code=problem.status
    )


async def _domain_handler(request: Request, exc: Exception) -> Response:
    problem = problem_for(exc)
    if is_api(request):
        return api_response(problem)
    if problem.status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return page_response(request, problem)


async def _validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        return api_response(problem_for(exc))
    # Other areas' pages keep FastAPI's own answer; ours parse forms themselves (wso.web.forms).
    return await request_validation_exception_handler(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Registers the one mapper for every domain error, once per app."""
    if getattr(app.state, "wso_error_handlers", False):
        return
    for kind in DOMAIN_ERRORS:
        app.add_exception_handler(kind, _domain_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.state.wso_error_handlers = True
