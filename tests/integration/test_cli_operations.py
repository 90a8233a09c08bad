"""Issue 11 item 5: `wso records <operation>` runs every records use case at the terminal, with the
same command class as the API body, on a real database (the demo county)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from wso.cli.main import app

runner = CliRunner()
COORDINATOR = {"WSO_PASSWORD": "wso-demo-password"}


def hours_ago(hours: float) -> str:
    """The demo's dates are relative to its loading: an instant after them, before now."""
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


def wso(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def demo(database_url: str) -> dict[str, Any]:
    db = ("--database", database_url)
    assert wso("demo", "load", *db).exit_code == 0
    agency = json.loads(
        wso("records", "list-agencies", "--user", "demo-coordinator", "--json", *db, env=COORDINATOR).output
    )[0]
    roster = json.loads(
        wso(
            "records",
            "officer-roster",
            "--agency-id",
            agency["id"],
            "--user",
            "demo-coordinator",
            "--json",
            *db,
            env=COORDINATOR,
        ).output
    )
    return {"db": db, "agency": agency, "officers": {o["name"]: o for o in roster}}


def as_coordinator(demo: dict[str, Any], *args: str) -> Any:
    return wso("records", *args, "--user", "demo-coordinator", *demo["db"], env=COORDINATOR)


def test_a_records_operation_runs_its_service_and_prints_the_record(demo: dict[str, Any]) -> None:
    okafor = demo["officers"]["Officer B. Okafor"]
    done = as_coordinator(
        demo, "record-exam-attempt", "--officer-id", okafor["id"], "--taken-at", hours_ago(3),
        "--score-percent", "90", "--json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["exam"]["status"] == "certified"
    training = as_coordinator(
        demo, "record-training", "--officer-id", okafor["id"], "--name", "Use of force refresher",
        "--completed-at", hours_ago(2), "--json",
    )  # fmt: skip
    assert training.exit_code == 0, training.output
    assert "Use of force refresher" in training.output


def test_an_operation_the_old_cli_lacked_a_meeting_of_the_agreement(demo: dict[str, Any]) -> None:
    agreements = json.loads(
        wso("records", "list-agreements", "--agency-id", demo["agency"]["id"], "--user", "demo-coordinator", "--json",
            *demo["db"], env=COORDINATOR).output
    )  # fmt: skip
    held = as_coordinator(
        demo, "record-meeting", "--agreement-id", agreements[0]["id"], "--held-at", hours_ago(1),
        "--note", "annual review", "--json",
    )  # fmt: skip
    assert held.exit_code == 0, held.output
    assert json.loads(held.output)["id"] == agreements[0]["id"]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (("--taken-at", "2026-01-05T10:00", "--score-percent", "90"), "taken_at"),  # no UTC offset
        (("--taken-at", "12345", "--score-percent", "90"), "taken_at"),  # a number is no instant
        (("--taken-at", "2026-01-05T10:00:00-05:00", "--score-percent", "ninety"), "score_percent"),
        (("--taken-at", "2026-01-05T10:00:00-05:00", "--score-percent", "90", "--expected-version", "x"),
         "expected_version"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_exits_2(demo: dict[str, Any], arguments: tuple[str, ...], field: str) -> None:
    okafor = demo["officers"]["Officer B. Okafor"]
    bad = as_coordinator(demo, "record-exam-attempt", "--officer-id", okafor["id"], *arguments)
    assert bad.exit_code == 2, bad.output
    assert field in bad.output + bad.stderr


def test_a_refusal_exits_1_with_the_rule(demo: dict[str, Any]) -> None:
    lindqvist = demo["officers"]["Officer C. Lindqvist"]  # nominated, not certified: no letter yet (O3)
    refused = as_coordinator(
        demo, "record-authorization-letter", "--officer-id", lindqvist["id"], "--signed-at", "2026-01-05T10:00:00Z"
    )
    assert refused.exit_code == 1, refused.output
    assert "O3" in refused.output + refused.stderr


def test_reads_take_their_query_class_options(demo: dict[str, Any]) -> None:
    agency_id = demo["agency"]["id"]
    every = json.loads(as_coordinator(demo, "list-complaints", "--agency-id", agency_id, "--json").output)
    still_open = json.loads(
        as_coordinator(demo, "list-complaints", "--agency-id", agency_id, "--open-only", "--json").output
    )
    assert every and {c["id"] for c in still_open} <= {c["id"] for c in every}
    assert all(c["resolved_at"] is None for c in still_open)
    naive = as_coordinator(demo, "officer-roster", "--agency-id", agency_id, "--at", "2026-01-05T10:00")
    assert naive.exit_code == 2 and "at" in naive.output + naive.stderr
    shown = as_coordinator(demo, "agency-view", "--agency-id", agency_id)
    assert shown.exit_code == 0 and "Demo County" in shown.output
    no_as_of = as_coordinator(demo, "list-agencies", "--at", "2026-01-05T10:00:00Z")  # not an "as of" read
    assert no_as_of.exit_code == 2


def test_an_exam_attempt_recorded_in_error_is_corrected_at_the_terminal(demo: dict[str, Any]) -> None:
    okafor = demo["officers"]["Officer B. Okafor"]
    done = as_coordinator(
        demo, "record-exam-attempt", "--officer-id", okafor["id"], "--taken-at", hours_ago(3),
        "--score-percent", "90", "--json",
    )  # fmt: skip
    attempt = json.loads(done.output)["exam_attempts"][-1]
    voided = as_coordinator(
        demo, "void-officer-entry", "--officer-id", okafor["id"], "--entry", "exam_attempt",
        "--entry-id", attempt["id"], "--reason", "another candidate's score", "--json",
    )  # fmt: skip
    assert voided.exit_code == 0, voided.output
    view = json.loads(voided.output)
    assert view["exam"]["status"] != "certified"
    assert view["exam_attempts"][-1]["void_reason"] == "another candidate's score"
