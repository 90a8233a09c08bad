"""The due commands at the terminal; sign-in, options and rendering are shared (wso.cli.records_cmd)."""

from __future__ import annotations

from typing import Annotated

import typer

from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import AtOption, TokenOption, UserOption, act, instant, now, render_rows, run
from wso.due import service as due


def due_command(
    agency: Annotated[str, typer.Option(help="Agency id.")],
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything due for the agency, earliest deadline first."""
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: due.what_is_due(uow, actor=actor, agency_id=agency, at=instant("at", at, default=now())),
        ),
        as_json=as_json,
        render=render_rows(
            ("due", "rule", "what", "record"),
            lambda i: (
                (i.due.isoformat() if i.due else "now") + (" OVERDUE" if i.overdue else ""),
                i.rule,
                i.description,
                i.label,
            ),
        ),
    )


def register(app: typer.Typer) -> None:
    app.command("due")(due_command)
