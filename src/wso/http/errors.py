"""One mapping from domain errors to what a user sees: JSON for /api, a page for the browser.

Services refuse with named errors (wso.services.errors); the shell never decides, it only
translates. Keeping the translation in one place means the API, the pages and the tests agree
on the status code, the field and the rule ids of every refusal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from wso.http.csrf import CsrfRejected
from wso.http.templating import templates
from wso.services import errors as domain
from wso.services.commands.words import field_errors

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
    # A version conflict's record, for the page that says what changed: (entity, id, version the user saw).
    conflict: tuple[str, str, int] | None = None

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
    domain.TooManyRequests: 429,
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
        errors: tuple[dict[str, Any], ...] = ()
        if isinstance(exc, domain.InvalidInput):
            errors = tuple({"field": f, "reason": r} for f, r in exc.errors)
        conflict = None
        if isinstance(exc, domain.ConcurrencyError) and exc.entity and exc.entity_id and exc.expected_version:
            conflict = (exc.entity, exc.entity_id, exc.expected_version)
        return Problem(
            status=_status(exc),
            error=exc.error,
            reason=exc.reason,
            field=exc.field,
            rule_ids=tuple(exc.rule_ids),
            reasons=reasons,
            errors=errors,
            conflict=conflict,
        )
    if isinstance(exc, CsrfRejected):
        return Problem(status=403, error="csrf", field="csrf_token", reason=str(exc))
    if isinstance(exc, RequestValidationError):
        # The same sentences as the forms and the CLI (wso.services.commands.words), one per field.
        items = tuple({"field": f, "reason": r} for f, r in field_errors(list(exc.errors())))
        first = items[0] if items else {"field": None, "reason": "invalid request"}
        return Problem(status=422, error="invalid_input", field=first["field"], reason=first["reason"], errors=items)
    raise TypeError(f"no mapping for {type(exc).__name__}")


# HTTP errors raised by the framework (unknown route, wrong method) or by a route with
# HTTPException: their `error` word in the documented shape.
HTTP_ERRORS: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    503: "unavailable",
}
# Some routes raise HTTPException(detail="field: reason"); the field goes where it belongs.
_FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$", re.DOTALL)


def problem_for_http(exc: StarletteHTTPException) -> Problem:
    """The documented shape for an HTTP error: never FastAPI's bare `{"detail": ...}`."""
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=True)
    field = None
    found = _FIELD_PREFIX.match(detail)
    if found:
        field, detail = found.group(1), found.group(2)
    return Problem(status=exc.status_code, error=HTTP_ERRORS.get(exc.status_code, "error"), field=field, reason=detail)


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


class AsciiJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped: a reason quoting what the client sent (even a
    lone surrogate) always encodes, so an error can never turn into a 500 while being reported."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def api_response(problem: Problem, *, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if problem.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return AsciiJSONResponse(problem.to_dict(), status_code=problem.status, headers=headers or None)


def page_response(request: Request, problem: Problem) -> Response:
    return templates.TemplateResponse(request, "records/error.html", {"problem": problem}, status_code=problem.status)


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
    if is_api(request) or request.url.path == "/openapi.json":
        refused = await authenticate_first(request)
        return api_response(refused or problem_for(exc))
    # A page's bad query (e.g. /public/costs?officers=abc) is a page in the site's layout naming each field, not
    # FastAPI's JSON; the records pages parse their forms themselves (wso.http.forms) and never get here.
    return page_response(request, problem_for(exc))


async def authenticate_first(request: Request) -> Problem | None:
    """An API read checks its token in its own unit of work, in the endpoint (wso.http.auth.api_token),
    which a bad query string never reaches: check it here, so a bad token is 401 before any 422."""
    authenticate = getattr(request.state, "wso_authenticate", None)
    if authenticate is None:
        return None
    try:
        await run_in_threadpool(authenticate)
    except domain.NotAuthenticated as refused:
        return problem_for(refused)
    return None


async def _http_handler(request: Request, exc: Exception) -> Response:
    """Unknown routes, 405s and routes' HTTPExceptions: the documented JSON under /api, a page elsewhere."""
    assert isinstance(exc, StarletteHTTPException)
    problem = problem_for_http(exc)
    headers = dict(exc.headers or {})
    if is_api(request) or request.url.path == "/openapi.json":
        return api_response(problem, headers=headers)
    response = page_response(request, problem)
    response.headers.update(headers)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Registers the one mapper for every domain error, once per app."""
    if getattr(app.state, "wso_error_handlers", False):
        return
    for kind in DOMAIN_ERRORS:
        app.add_exception_handler(kind, _domain_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.state.wso_error_handlers = True
