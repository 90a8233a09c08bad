"""The records CLI: bootstrap, sign-in, a refusal's exit code and message, --json output."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from wso.cli.main import app

runner = CliRunner()


def wso(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # noqa: ANN201
    return runner.invoke(app, list(args), input=input, env=env)


def test_first_admin_demo_and_a_clerks_refusal(database_url: str) -> None:
    db = ("--database", database_url)
    created = wso(
        "users",
        "create",
        "--username",
        "root-admin",
        "--role",
        "admin",
        "--password-stdin",
        *db,
        "--json",
        input="a long admin password\n",
    )
    assert created.exit_code == 0, created.output
    assert json.loads(created.output)["role"] == "admin"

    loaded = wso("demo", "load", *db)
    assert loaded.exit_code == 0 and "loaded" in loaded.output
    again = wso("demo", "load", *db)
    assert again.exit_code == 0 and "nothing changed" in again.output

    coordinator = {"WSO_PASSWORD": "wso-demo-password"}
    agencies = json.loads(
        wso("records", "list-agencies", "--user", "demo-coordinator", "--json", *db, env=coordinator).output
    )
    agency_id = agencies[0]["id"]
    roster = json.loads(
        wso(
            "records",
            "officer-roster",
            "--agency-id",
            agency_id,
            "--user",
            "demo-clerk",
            "--json",
            *db,
            env=coordinator,
        ).output
    )
    okafor = next(o for o in roster if o["name"] == "Officer B. Okafor")
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert okafor["authorization"]["status"] == "not_authorized"

    exam = ("records", "record-exam-attempt", "--officer-id", okafor["id"], "--score-percent", "90")
    refused = wso(*exam, "--taken-at", an_hour_ago, "--user", "demo-clerk", *db, env=coordinator)
    assert refused.exit_code == 1
    assert "forbidden" in refused.output + refused.stderr

    bad = wso(*exam, "--taken-at", "2026-11-25T10:00", "--user", "demo-coordinator", *db, env=coordinator)
    assert bad.exit_code == 2
    assert "taken_at" in bad.output + bad.stderr

    passed = wso(*exam, "--taken-at", an_hour_ago, "--user", "demo-coordinator", "--json", *db, env=coordinator)
    assert passed.exit_code == 0, passed.output
    assert json.loads(passed.output)["exam"]["status"] == "certified"

    letter = wso(
        "records", "record-authorization-letter", "--officer-id", okafor["id"],
        "--signed-at", datetime.now(UTC).isoformat(), "--user", "demo-coordinator", *db, env=coordinator,
    )  # fmt: skip
    assert letter.exit_code == 0, letter.output

    wrong = wso("records", "list-agencies", "--user", "demo-coordinator", *db, env={"WSO_PASSWORD": "not it at all"})
    assert wrong.exit_code == 1

    token = wso("users", "token", "--username", "demo-auditor", *db).output.strip()
    listed = wso("records", "list-agencies", "--token", token, "--json", *db)
    assert listed.exit_code == 0 and json.loads(listed.output)[0]["id"] == agency_id

    assert wso("ledger", "verify", *db).exit_code == 0
