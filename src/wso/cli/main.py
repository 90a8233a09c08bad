"""The `wso` command: one Typer app, each area's commands in a module of its own."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="wso",
    help="Run a jail's ICE Warrant Service Officer program lawfully, and show what it does.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines `register(app)`; a module that is absent is simply not offered.
_COMMAND_MODULES = (
    "wso.cli.rules_cmd",
    "wso.cli.scenario_cmd",
    "wso.cli.db_cmd",
    "wso.cli.serve_cmd",
    "wso.cli.records_cmd",
    "wso.agencies.cli",
    "wso.agreements.cli",
    "wso.officers.cli",
    "wso.complaints.cli",
    "wso.due.cli",
    "wso.cli.operations_cmd",
    "wso.departures.cli",
    "wso.cli.ledger_cmd",
    "wso.users.cli",
    "wso.publicdata.cli",
    "wso.cli.audit_cmd",
    "wso.holds.cli",
    "wso.worker.cli",
)

for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:
        if exc.name != _name:
            raise
        continue
    _module.register(app)


if __name__ == "__main__":
    app()
