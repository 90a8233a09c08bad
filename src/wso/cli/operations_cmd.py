"""`wso records <operation> --field value`: every records use case the API offers, at the terminal.

One command per command class (wso.services.commands): its options are the record ids the API
takes in its path and the class's fields, validated by the same class as the API body and the
form, as the signed-in user (--user / --token). tests/unit/test_cli_covers_api.py fails when an
API operation has no CLI command.

Exit codes: 0 done; 1 refused, not found, forbidden or conflict; 2 bad input.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer

from wso.agencies import commands as agencies
from wso.agreements import commands as agreements
from wso.cli.command_options import command_of, id_parameters, option_parameters
from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import AtOption, TokenOption, UserOption, instant, now, opened, out, run, signed_in
from wso.complaints import commands as complaints
from wso.departures import commands as departures
from wso.officers import commands as officers
from wso.services.commands import Command
from wso.users import commands as users

COMMANDS: tuple[type[Command], ...] = (
    *agencies.ALL,
    *agreements.ALL,
    *officers.ALL,
    *complaints.ALL,
    *departures.ALL,
    *users.ALL,
)

operations_app = typer.Typer(
    help="Every records operation of the API, one command each: `wso records <operation> --field value`.",
    no_args_is_help=True,
)
_KW = inspect.Parameter.KEYWORD_ONLY


def cli_name(command: type[Command]) -> str:
    """The CLI's name of an operation: the API's operation id with dashes."""
    return command.operation().replace("_", "-")


def _render(result: Any) -> None:
    from wso.cli.records_cmd import render_record  # noqa: PLC0415

    if result is None:
        out.print("done")
    elif hasattr(result, "to_dict"):
        render_record(result)
    else:
        out.print(result)


def _common() -> list[inspect.Parameter]:
    return [
        inspect.Parameter("at", _KW, annotation=AtOption, default=None),
        inspect.Parameter("user", _KW, annotation=UserOption, default=None),
        inspect.Parameter("token", _KW, annotation=TokenOption, default=None),
        inspect.Parameter("database", _KW, annotation=DatabaseOption, default=None),
        inspect.Parameter("as_json", _KW, annotation=JsonOption, default=False),
    ]


def _register(command_class: type[Command]) -> None:
    service = command_class.service

    def command(**values: Any) -> None:
        at, user, token, database, as_json = (values.pop(k) for k in ("at", "user", "token", "database", "as_json"))
        ids = {name: values.pop(name) for name in command_class.ids}

        def action() -> Any:
            body = command_of(command_class, values)
            when = instant("at", at, default=now())
            with opened(database) as store:
                actor = signed_in(store, user=user, token=token)
                with store.unit_of_work() as uow:
                    return service(uow, actor=actor, at=when, **ids, **body.model_dump())

        run(action, as_json=as_json, render=_render)

    command.__doc__ = service.__doc__
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [*id_parameters(command_class.ids), *option_parameters(command_class), *_common()]
    )
    operations_app.command(cli_name(command_class))(command)


for _command in COMMANDS:
    _register(_command)


def register(app: typer.Typer) -> None:
    app.add_typer(operations_app, name="records")
