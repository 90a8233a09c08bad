"""`wso records <operation> --field value`: every records use case the API offers, reads and writes, at the terminal.

One command per command class (wso.services.commands) and per query class (wso.services.commands.queries):
its options are the record ids the API takes in its path and the class's fields, validated by the
same class as the API body or query string and the form, as the signed-in user (--user / --token).
A write's `--at` is the instant of the act; a read's `--at` ("as of") is a field of its class (AsOf).
How an answer looks at the terminal is the area's (`wso.<area>.cli.RENDERERS`; by default a record's
fields and decisions). tests/unit/test_cli_covers_api.py fails when an API operation has no CLI command.

Exit codes: 0 done; 1 refused, not found, forbidden or conflict; 2 bad input.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import typer

from wso.agencies import cli as agencies_cli
from wso.agencies import commands as agencies
from wso.agencies import queries as agencies_reads
from wso.agreements import cli as agreements_cli
from wso.agreements import commands as agreements
from wso.agreements import queries as agreements_reads
from wso.cli.command_options import command_of, id_parameters, option_parameters
from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import (
    AtOption,
    TokenOption,
    UserOption,
    instant,
    now,
    opened,
    out,
    render_record,
    run,
    signed_in,
)
from wso.complaints import cli as complaints_cli
from wso.complaints import commands as complaints
from wso.complaints import queries as complaints_reads
from wso.departures import cli as departures_cli
from wso.departures import commands as departures
from wso.departures import queries as departures_reads
from wso.due import cli as due_cli
from wso.due import queries as due_reads
from wso.officers import cli as officers_cli
from wso.officers import commands as officers
from wso.officers import queries as officers_reads
from wso.services.commands import Command
from wso.services.commands.queries import Query
from wso.users import cli as users_cli
from wso.users import commands as users
from wso.users import queries as users_reads

COMMANDS: tuple[type[Command], ...] = (
    *agencies.ALL,
    *agreements.ALL,
    *officers.ALL,
    *complaints.ALL,
    *departures.ALL,
    *users.ALL,
)
QUERIES: tuple[type[Query], ...] = (
    *agencies_reads.ALL,
    *due_reads.ALL,
    *agreements_reads.ALL,
    *officers_reads.ALL,
    *complaints_reads.ALL,
    *departures_reads.ALL,
    *users_reads.ALL,
)
RENDERERS: dict[type, Callable[[Any], None]] = {
    **agencies_cli.RENDERERS,
    **due_cli.RENDERERS,
    **agreements_cli.RENDERERS,
    **officers_cli.RENDERERS,
    **complaints_cli.RENDERERS,
    **departures_cli.RENDERERS,
    **users_cli.RENDERERS,
}

operations_app = typer.Typer(
    help="Every records operation of the API, reads and writes, one command each: "
    "`wso records <operation> --field value`.",
    no_args_is_help=True,
)
_KW = inspect.Parameter.KEYWORD_ONLY
_SIGN_IN = ("user", "token", "database", "as_json")


def cli_name(operation: type[Command] | type[Query]) -> str:
    """The CLI's name of an operation: the API's operation id with dashes."""
    return operation.operation().replace("_", "-")


def _render(result: Any) -> None:
    if result is None:
        out.print("done")
    elif hasattr(result, "to_dict"):
        render_record(result)
    elif isinstance(result, list):
        for item in result:
            _render(item)
            out.print()
    else:
        out.print(result)


def _common() -> list[inspect.Parameter]:
    return [
        inspect.Parameter("user", _KW, annotation=UserOption, default=None),
        inspect.Parameter("token", _KW, annotation=TokenOption, default=None),
        inspect.Parameter("database", _KW, annotation=DatabaseOption, default=None),
        inspect.Parameter("as_json", _KW, annotation=JsonOption, default=False),
    ]


def _register(operation: type[Command] | type[Query]) -> None:
    service = operation.service
    is_read = issubclass(operation, Query)

    def command(**values: Any) -> None:
        user, token, database, as_json = (values.pop(k) for k in _SIGN_IN)
        at = None if is_read else values.pop("at")
        ids = {name: values.pop(name) for name in operation.ids}

        def action() -> Any:
            given = command_of(operation, values)
            when = now() if is_read else instant("at", at, default=now())
            with opened(database) as store:
                actor = signed_in(store, user=user, token=token)
                with store.unit_of_work() as uow:
                    if isinstance(given, Query):
                        return service(uow, actor=actor, **ids, **given.arguments(when))
                    return service(uow, actor=actor, at=when, **ids, **given.model_dump())

        run(action, as_json=as_json, render=RENDERERS.get(operation, _render))

    command.__doc__ = service.__doc__
    act = [] if is_read else [inspect.Parameter("at", _KW, annotation=AtOption, default=None)]
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [*id_parameters(operation.ids), *option_parameters(operation), *act, *_common()]
    )
    operations_app.command(cli_name(operation))(command)


for _operation in (*QUERIES, *COMMANDS):
    _register(_operation)


def register(app: typer.Typer) -> None:
    app.add_typer(operations_app, name="records")
