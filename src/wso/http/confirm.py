"""Confirmation of serious acts (issue 15, item 3): a withdrawal, a suspension, a termination notice...

A form mounted with `page_routes.form(..., confirm=...)` answers its first POST with a page that lists
the act's consequences (from wso.rules.consequences: the obligations it opens, with rule ids) and the
values entered, with "Confirm" (the same fields again, with `confirm=yes` and the CSRF token) and
"Go back and change" (the same fields with `confirm=back`: the record's page with the form filled in as
typed, nothing written). The first POST is a rehearsal: the service runs in a unit of work that is rolled
back, so bad input or a refusal of the rules takes the form's usual error path at once (nobody confirms
an act that would then be refused), and only the confirmed POST writes. The API never asks (a client
that posts has decided).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from wso.http.errors import DOMAIN_ERRORS
from wso.http.forms import FormState, read_form, submit
from wso.http.render import render
from wso.rules.consequences import Consequence, consequences_of
from wso.services.commands import Command
from wso.services.permissions import Actor

CONFIRM_FIELD = "confirm"
Consequences = Callable[[Command], Sequence[Consequence]]


def by_act(kind_field: str | None = None) -> Consequences:
    """The consequences of the command's operation, of the kind its `kind_field` names (a notice's kind)."""

    def consequences(command: Command) -> Sequence[Consequence]:
        kind = getattr(command, kind_field, None) if kind_field else None
        return consequences_of(command.operation(), kind=kind)

    return consequences


class Rehearsed(Exception):  # noqa: N818 - not an error: the rehearsal's way out of its unit of work
    """Raised inside the rehearsal's unit of work once the service accepted the act: rolls it back."""

    def __init__(self, command: Command) -> None:
        super().__init__(command.operation())
        self.command = command


async def ask_first(
    request: Request,
    consequences: Consequences,
    *,
    actor: Actor,
    rehearse: Callable[[dict[str, str]], str],
    form: str,
    redraw: Callable[[FormState], Response],
    back: str,
    zone: str,
) -> Response | None:
    """The confirmation page, or the form's error page, for a first POST; None for the confirmed POST
    (or an act with no consequence listed), which the caller then runs for real."""
    data = await read_form(request)
    if confirmed(data):
        return None
    if data.get(CONFIRM_FIELD) == "back":  # "Go back and change": the form again, as the user typed it
        typed = {name: value for name, value in data.items() if name != CONFIRM_FIELD}
        return await run_in_threadpool(redraw, FormState(name=form, values=typed))
    try:
        await run_in_threadpool(rehearse, data)
    except Rehearsed as done:
        listed = consequences(done.command)
        if not listed:
            return None
        return confirmation_page(
            request, actor=actor, command=done.command, consequences=listed, data=data, back=back, zone=zone
        )
    except DOMAIN_ERRORS as refused:
        return await submit(request, form=form, run=_raise(refused), redraw=redraw)
    return None


def _raise(error: Exception) -> Callable[[dict[str, str]], str]:
    def run(data: dict[str, str]) -> str:
        raise error

    return run


def confirmed(data: dict[str, str]) -> bool:
    """Whether this POST is the confirmation (the user read the consequences and pressed Confirm)."""
    return data.get(CONFIRM_FIELD) == "yes"


def confirmation_page(
    request: Request,
    *,
    actor: Actor,
    command: Command,
    consequences: Sequence[Consequence],
    data: dict[str, str],
    back: str,
    zone: str,
) -> Response:
    """The page asking the user to confirm, in the records layout; nothing has been written."""
    shown = [
        (name.replace("_", " ").capitalize(), value)
        for name, value in data.items()
        if name in command.model_fields and name != "expected_version" and value.strip()
    ]
    hidden = [(name, value) for name, value in data.items() if name != CONFIRM_FIELD]
    return render(
        request,
        "records/confirm.html",
        {
            "title": command.operation().replace("_", " ").capitalize(),
            "consequences": consequences,
            "shown": shown,
            "hidden": hidden,
            "action": request.url.path,
            "back": back,
            "zone": zone,
        },
        actor=actor,
    )
