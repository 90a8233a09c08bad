"""The one form-handling helper: read the form, validate it with the API's schema, run one service.

A form posts the same command the API takes (wso.http.schemas), so both check input the same
way. A browser's `datetime-local` field has no offset: it is read in the facility's time zone.
On any refusal the page is drawn again with an error summary listing every bad field in plain words
(wso.services.commands.words), each message beside its field, and the user's input; the service's
transaction has written nothing (it commits only at its end). Why the refusal is not redirected:
wso.http.page_routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import AwareDatetime, BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from wso.http.csrf import FIELD as CSRF_FIELD
from wso.http.errors import DOMAIN_ERRORS, Problem, problem_for
from wso.services import errors as domain
from wso.services.commands.words import Words, field_errors, in_words, words_for

M = TypeVar("M", bound=BaseModel)

_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


@dataclass(frozen=True)
class FormState:
    """What a page needs to draw one form again: which form, its error(s), what was typed, and for a
    version conflict what changed since the version the user saw (wso.services.conflicts)."""

    name: str | None = None
    problem: Problem | None = None
    values: dict[str, str] = field(default_factory=dict)
    changes: tuple[Any, ...] = ()

    def error_for(self, form: str) -> Problem | None:
        return self.problem if self.name == form else None

    def value(self, form: str, key: str, default: str = "") -> str:
        return self.values.get(key, default) if self.name == form else default

    def errors(self) -> list[tuple[str | None, str]]:
        """Every (field, message) of the failed form, for the error summary; one (None, reason) at least."""
        if self.problem is None:
            return []
        listed = [(e.get("field"), str(e.get("reason", ""))) for e in self.problem.errors]
        return [(f, in_words(f, r)) for f, r in listed or [(self.problem.field, self.problem.reason)]]

    def field_error(self, form: str, key: str) -> str | None:
        """The message shown above field `key` of `form`, if it failed."""
        if self.name != form:
            return None
        return next((reason for f, reason in self.errors() if f == key), None)


NO_FORM = FormState()


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields as text, without the CSRF token (already checked by the router)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


def _accepts(annotation: Any, kinds: tuple[type, ...]) -> bool:
    """Whether a field's type (or one member of its union) is one of `kinds`."""
    if get_origin(annotation) in (Union, UnionType):
        return any(_accepts(a, kinds) for a in get_args(annotation))
    return isinstance(annotation, type) and issubclass(annotation, kinds)


_INSTANT = (datetime, AwareDatetime)


def local_instant(name: str, raw: str, *, zone: str, label: str | None = None) -> datetime:
    """A wall-clock time typed in the facility's zone, as an instant; refused when it names no
    instant or two: 2026-02-30 does not exist, 02:30 on a spring-forward night never happens, and
    01:30 on a fall-back night happens twice. Picking one silently would move a legal clock by an
    hour, so the user is asked to say which (with the offset, through the API) instead."""
    what = label or words_for(name).label
    try:
        naive = datetime.fromisoformat(raw)
    except ValueError:
        raise domain.InvalidInput(
            name, f"Enter {what} as a real date and time: {raw} is not a real date and time"
        ) from None
    tz = ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) != naive:
        raise domain.InvalidInput(
            name, f"Enter {what} as a time that exists: {raw} does not exist in {zone} (the clocks skip it that night)"
        )
    if first.utcoffset() != second.utcoffset():
        raise domain.InvalidInput(
            name,
            f"Enter {what} with its UTC offset: {raw} happens twice in {zone} (the clocks go back that night)",
        )
    return first


def parse_form(schema: type[M], data: dict[str, str], *, zone: str) -> M:
    """The command in `data`, or one InvalidInput listing EVERY bad field in the user's words.

    A blank field means "not given" (its default, or "Enter ..." when it has none); an unticked checkbox is
    absent, so it means False; a `datetime-local` value is an instant in the facility's zone `zone`.
    All errors at once (GOV.UK's error summary): a person fixes the form in one go instead of one field
    per submit. The sentences come from wso.services.commands.words, with the command's own `words` first.
    """
    overrides: dict[str, Words] = dict(getattr(schema, "words", {}) or {})
    values: dict[str, Any] = {}
    local_errors: dict[str, str] = {}
    for name, info in schema.model_fields.items():
        raw = data.get(name)
        if info.annotation is bool and raw is None:
            values[name] = False
            continue
        if raw is None or raw.strip() == "":
            continue  # not given: the default if it has one, else "Enter ..." (a blank is not an answer)
        raw = raw.strip()
        if _accepts(info.annotation, _INSTANT) and _LOCAL_DATETIME.match(raw):
            try:
                values[name] = local_instant(name, raw, zone=zone, label=words_for(name, overrides).label)
            except domain.InvalidInput as exc:
                local_errors[name] = exc.reason
        else:
            values[name] = raw
    found: dict[str, str] = {}
    try:
        command = schema.model_validate(values)
    except ValidationError as exc:
        found = dict(field_errors(exc.errors(), overrides))
    else:
        if not local_errors:
            return command
    found.update(local_errors)  # a local time that names no instant was left out of `values`: its own words
    order = list(schema.model_fields)
    listed = sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    raise domain.InvalidInput.of(listed)


async def submit(
    request: Request,
    *,
    form: str,
    run: Callable[[dict[str, str]], str],
    redraw: Callable[[FormState], Response],
) -> Response:
    """Runs `run(fields)` (which parses and calls one service, returning where to go next).

    Success: 303 to that address (so a reload does not post twice). Refusal: the page again,
    with the status of the error (422, 409, 403, 404), the reason and the user's input kept.
    """
    data = await read_form(request)
    try:
        target = await run_in_threadpool(run, data)
    except DOMAIN_ERRORS as exc:
        state = FormState(name=form, problem=problem_for(exc), values=data)
        response = await run_in_threadpool(redraw, state)
        response.status_code = state.problem.status if state.problem else 400
        return response
    return RedirectResponse(target, status_code=303)
