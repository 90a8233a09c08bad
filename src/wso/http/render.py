"""Drawing a records page: the template, the signed-in actor and the helpers every page uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.exc import SQLAlchemyError

from wso.http import auth
from wso.http.csrf import csrf_input
from wso.http.forms import NO_FORM, FormState
from wso.http.templating import templates
from wso.services.commands import allowed, roles_allowed
from wso.services.errors import DomainError
from wso.services.permissions import ROLES, Actor

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time(value: datetime | None, zone: str) -> str:
    """An instant in the facility's zone with the zone's abbreviation: "26 Nov 2026 14:05 CST", the one
    date format of the records pages (the `instant` macro puts the ISO instant in <time datetime>).

    The abbreviation tells the hour that repeats when clocks go back apart (01:30 CDT, then 01:30 CST);
    months are spelt here, not by the locale, so every server writes the same words.
    """
    if value is None:
        return "—"
    here = value.astimezone(ZoneInfo(zone))
    return f"{here.day} {_MONTHS[here.month - 1]} {here.year} {here:%H:%M} {here.tzname()}"


def local_offset(value: datetime | None, zone: str) -> str:
    """The instant's UTC offset in the facility's zone ("UTC-06:00"): the tooltip of a shown time."""
    if value is None:
        return ""
    return "UTC" + value.astimezone(ZoneInfo(zone)).isoformat()[-6:]


def local_input(value: datetime, zone: str) -> str:
    """The value of a `datetime-local` field (no offset: the label names the zone)."""
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%dT%H:%M}"


def printed_at() -> str:
    """The instant a page is drawn, in UTC, for the footer a printed record carries ("printed ... by ...")."""
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


_UNKNOWN = object()


def signed_in(request: Request) -> Actor | None:
    """Who is signed in, for the header of every page (home, /rules, /public, an error page), so nobody is
    stranded after signing in: None when nobody is, the session has lapsed, or the request has no session.
    Resolved once per request; a page never decides anything by it (the services do)."""
    known = getattr(request.state, "wso_signed_in", _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[no-any-return]
    actor: Actor | None = None
    if "session" in request.scope and request.session.get(auth.SID_KEY):
        try:
            actor = auth.page_actor(request)
        except (DomainError, SQLAlchemyError):
            actor = None  # the header shows "Sign in"; the page itself still answers
    request.state.wso_signed_in = actor
    return actor


@pass_context
def may(context: Context, *operations: str) -> bool:
    """Whether the page's actor may run any of the named operations: each form is drawn only for an
    actor whose role the service would accept (wso.services.commands.Command.permission)."""
    actor = context.get("actor")
    return any(allowed(op, actor) for op in operations)


_ROLE_NAMES = {
    "clerk": "a clerk",
    "wso": "a WSO",
    "supervisor": "a supervisor",
    "coordinator": "the coordinator",
    "admin": "an admin",
}


def who_may(*operations: str) -> str:
    """Plain words for who records the named changes ("the coordinator or a supervisor")."""
    roles = [r for r in ROLES if r in _ROLE_NAMES and any(r in roles_allowed(op) for op in operations)]
    names = [_ROLE_NAMES[r] for r in roles] or ["the operator"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def install_template_helpers() -> None:
    """Registers the helpers the records templates use on the one shared environment."""
    templates.env.globals["csrf_input"] = csrf_input
    templates.env.globals["signed_in"] = signed_in
    templates.env.globals["may"] = may
    templates.env.tests["may"] = may  # `operations | select("may")`: the ones the actor may run
    templates.env.globals["who_may"] = who_may
    templates.env.filters["local"] = local_time
    templates.env.filters["local_input"] = local_input
    templates.env.globals["printed_at"] = printed_at
    templates.env.filters["local_offset"] = local_offset


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    actor: Any = None,
    form: FormState = NO_FORM,
    status_code: int = 200,
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"actor": actor, "form": form, **context}, status_code=status_code)
