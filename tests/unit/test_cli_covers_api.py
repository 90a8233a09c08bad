"""Issue 11 item 5: every API operation that takes input (a POST, or any route with a request body)
has a CLI command, and so does every records read (a GET), so nothing the API can do or show needs
a script at the terminal.

Records operations are `wso records <operation-id-with-dashes>`; the holds area names its own
(wso.holds.operations.CLI_NAMES). The one equivalent written out below is a different way to the
same result, said why.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import typer

from wso.cli.main import app
from wso.holds.operations import CLI_NAMES
from wso.web.app import create_app

# API operation id -> the CLI command doing the same, where it is not named after the operation.
EQUIVALENTS = {
    # The API trades a password (and TOTP code) for a token; at the terminal the operator, who runs
    # with the database's own credentials, issues a named user's token with `wso users token`.
    "issue_token": ("users", "token"),
}


# GET operations with no CLI command, and why.
READS_WITHOUT_COMMAND = {
    # The bearer token's own user: at the terminal the signed-in user is the one who typed --user.
    "who_am_i",
}
PUBLIC = "/api/v1/public/"  # ICE's public sheets, anonymous: `wso publicdata ...` are their operator commands


@cache
def api_spec() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        return create_app(f"sqlite:///{Path(directory) / 'schema.sqlite3'}").openapi()


def api_reads() -> set[str]:
    return {
        operation["operationId"]
        for path, methods in api_spec()["paths"].items()
        if path.startswith("/api/v1") and not path.startswith(PUBLIC)
        for method, operation in methods.items()
        if method == "get"
    }


def api_operations_with_input() -> set[str]:
    spec = api_spec()
    return {
        operation["operationId"]
        for path, methods in spec["paths"].items()
        if path.startswith("/api/v1")
        for method, operation in methods.items()
        if method == "post" or "requestBody" in operation
    }


def cli_commands() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()

    def walk(command: Any, path: tuple[str, ...]) -> None:  # a Typer group has .commands, a command not
        found.add(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def expected_command(operation: str) -> tuple[str, ...]:
    if operation in EQUIVALENTS:
        return EQUIVALENTS[operation]
    if operation in CLI_NAMES:
        return ("holds", CLI_NAMES[operation])
    return ("records", operation.replace("_", "-"))


def test_every_api_operation_with_input_has_a_cli_command() -> None:
    operations = api_operations_with_input()
    assert len(operations) > 40  # the API was read
    commands = cli_commands()
    missing = sorted(
        f"{op} (wso {' '.join(expected_command(op))})" for op in operations if expected_command(op) not in commands
    )
    assert missing == [], "API operations without a CLI command: " + ", ".join(missing)


def test_every_records_read_has_a_cli_command() -> None:
    reads = api_reads() - READS_WITHOUT_COMMAND
    assert {"officer_roster", "list_complaints", "list_holds"} <= reads  # the API was read
    commands = cli_commands()
    missing = sorted(
        f"{op} (wso {' '.join(expected_command(op))})" for op in reads if expected_command(op) not in commands
    )
    assert missing == [], "API reads without a CLI command: " + ", ".join(missing)


def test_the_check_notices_a_missing_command() -> None:
    assert ("records", "record-exam-attempt") in cli_commands()
    assert ("records", "no-such-operation") not in cli_commands()
