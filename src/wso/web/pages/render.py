"""Drawing a records page: the template, the signed-in actor and the helpers every page uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse

from wso.web.csrf import csrf_input
from wso.web.forms import NO_FORM, FormState
from wso.web.templating import templates


def local_time(value: datetime | None, zone: str) -> str:
    """An instant in the facility's zone with its offset: "2026-11-25 09:30 -05:00 EST".

    The offset is always shown, so the hour that repeats when clocks go back is never ambiguous.
    """
    if value is None:
        return "—"
    here = value.astimezone(ZoneInfo(zone))
    offset = here.isoformat()[-6:]
    return f"{here:%Y-%m-%d %H:%M} {offset} {here.tzname()}"


def local_input(value: datetime, zone: str) -> str:
    """The value of a `datetime-local` field (no offset: the label names the zone)."""
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%dT%H:%M}"


def install_template_helpers() -> None:
    """Registers the helpers the records templates use on the one shared environment."""
    templates.env.globals["csrf_input"] = csrf_input
    templates.env.filters["local"] = local_time
    templates.env.filters["local_input"] = local_input


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
