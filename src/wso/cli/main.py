"""The `wso` command: one Typer app, each area's commands in a module of its own.

The composition root of the command line: every command module is imported by name and registered by
an explicit call, so a missing module is an ImportError at start, never a silently absent command.
"""

from __future__ import annotations

import typer

from wso.cli import audit_cmd, db_cmd, ledger_cmd, operations_cmd, records_cmd, rules_cmd, scenario_cmd, serve_cmd
from wso.holds import cli as holds_cli
from wso.publicdata import cli as publicdata_cli
from wso.users import cli as users_cli
from wso.worker import cli as worker_cli

app = typer.Typer(
    name="wso",
    help="Run a jail's ICE Warrant Service Officer program lawfully, and show what it does.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each `register(app)` adds its command groups; the order is the order `wso --help` lists them.
rules_cmd.register(app)
scenario_cmd.register(app)
db_cmd.register(app)
serve_cmd.register(app)
records_cmd.register(app)  # the shared `users` and `demo` groups
operations_cmd.register(app)  # `wso records <operation>`: every records read and write of the API
ledger_cmd.register(app)
users_cli.register(app)  # adds to the `users` and `demo` groups of records_cmd
publicdata_cli.register(app)
audit_cmd.register(app)
holds_cli.register(app)
worker_cli.register(app)


if __name__ == "__main__":
    app()
