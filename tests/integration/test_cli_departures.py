"""`wso records departures-view|record-departure-reason` (issue 10 item 7) on the demo: a missed A6
meeting shows "no reason recorded", then the recorded reason; the auditor is refused;
`wso ledger verify` stays clean."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.test_cli_records import wso

LATE = "2031-01-15T12:00:00+00:00"  # years after the demo agreement's last meeting: A6 is missed


def test_A6_missed_meeting_reason_at_the_terminal(database_url: str) -> None:
    db = ("--database", database_url)
    assert wso("demo", "load", *db).exit_code == 0
    env = {"WSO_PASSWORD": "wso-demo-password"}
    agency_id = json.loads(
        wso("records", "list-agencies", "--user", "demo-coordinator", "--json", *db, env=env).output
    )[0]["id"]
    agreement = json.loads(
        wso(
            "records", "list-agreements", "--agency-id", agency_id, "--user", "demo-coordinator", "--json", *db, env=env
        ).output
    )[0]["id"]

    def departures_view() -> Any:
        return wso(
            "records", "departures-view", "--entity", "agreement", "--entity-id", agreement, "--at", LATE,
            "--user", "demo-coordinator", *db, env=env,
        )  # fmt: skip

    listed = departures_view()
    assert listed.exit_code == 0, listed.output
    assert "A6" in listed.output and "no reason recorded" in listed.output
    token = wso("users", "token", "--username", "demo-auditor", *db).output.strip()
    refused = wso(
        "records",
        "record-departure-reason",
        "--entity",
        "agreement",
        "--entity-id",
        agreement,
        "--rule",
        "A6",
        "--reason",
        "x",
        "--at",
        LATE,
        "--token",
        token,
        *db,
    )
    assert refused.exit_code == 1
    must = wso(
        "records",
        "record-departure-reason",
        "--entity",
        "agreement",
        "--entity-id",
        agreement,
        "--rule",
        "A2",
        "--reason",
        "x",
        "--at",
        LATE,
        "--user",
        "demo-coordinator",
        *db,
        env=env,
    )
    assert must.exit_code == 2 and "rule" in must.output + must.stderr
    recorded = wso(
        "records",
        "record-departure-reason",
        "--entity",
        "agreement",
        "--entity-id",
        agreement,
        "--rule",
        "A6",
        "--reason",
        "The FOD post was vacant.",
        "--at",
        LATE,
        "--user",
        "demo-coordinator",
        "--json",
        *db,
        env=env,
    )
    assert recorded.exit_code == 0, recorded.output + recorded.stderr
    # The demo misses both A6 meetings (first review and annual): the rule's reason is shown with each.
    assert {d["reason"] for d in json.loads(recorded.output)["departures"] if d["rule"] == "A6"} == {
        "The FOD post was vacant."
    }
    shown = departures_view()
    assert "The FOD post was vacant." in shown.output and "no reason recorded" not in shown.output
    assert wso("ledger", "verify", *db).exit_code == 0
