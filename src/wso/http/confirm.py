"""Confirmation of serious acts (issue 15, item 3): a withdrawal, a suspension, a termination notice...

A form mounted with `page_routes.form(..., confirm=...)` answers its first POST with a page that lists
the act's consequences (from wso.rules.consequences: the obligations it opens, with rule ids) and the
values entered, with "Confirm" (the same fields again, with `confirm=yes` and the CSRF token) and
"Go back and change". Only the confirmed POST runs the service. Input that fails to parse is not
confirmed: it goes straight to the form's usual error path. The API never asks (a client that posts
has decided).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import Request
from fastapi.responses import Response

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
