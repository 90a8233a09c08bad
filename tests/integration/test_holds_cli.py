"""`wso holds ...` on the demo county: the board, a person page, a refusal's exit code, the CSV feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from wso.cli.main import app

runner = CliRunner()
CLERK = {"WSO_PASSWORD": "wso-demo-password"}


def wso(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return runner.invoke(app, list(args), env=env or CLERK)


def test_the_demo_board_the_person_page_a_refusal_and_the_csv_feed(database_url: str, tmp_path: Path) -> None:
    db = ("--database", database_url)
    assert wso("demo", "load", *db).exit_code == 0
    board = json.loads(wso("holds", "list", "--user", "demo-clerk", "--json", *db).output)
    statuses = {h["status"] for h in board}
    assert {"in_criminal_custody", "release_processing", "held_for_ice", "release_required"} <= statuses
    assert board[0]["flag_past_deadline"] is True  # most urgent first
    assert any(h["flag_citizenship_open"] for h in board) and any(h["flag_ice_not_notified"] for h in board)
    now = datetime.now(UTC)
    deadlines = [datetime.fromisoformat(h["binding_deadline_at"]) for h in board if h["status"] == "held_for_ice"]
    assert deadlines and all(now < d <= now + timedelta(hours=48) for d in deadlines)
    ended = json.loads(wso("holds", "list", "--all", "--user", "demo-auditor", "--json", *db).output)
    assert {"transferred", "igsa_detention", "released"} <= {h["status"] for h in ended}

    overdue = board[0]
    page = json.loads(wso("holds", "show", overdue["id"], "--user", "demo-supervisor", "--json", *db).output)
    assert page["events"][0]["type"] == "booked" and any(not r["satisfied"] for r in page["decision"]["reasons"])

    refused = wso("holds", "release", overdue["id"], "--reason", "deadline", "--user", "demo-wso", *db)
    assert refused.exit_code == 1 and "forbidden" in refused.output + refused.stderr
    bad = wso("holds", "release", overdue["id"], "--reason", "bored", "--user", "demo-clerk", *db)
    assert bad.exit_code == 2 and "reason" in bad.output + bad.stderr
    released = wso("holds", "release", overdue["id"], "--reason", "deadline", "--user", "demo-clerk", "--json", *db)
    assert released.exit_code == 0, released.output
    assert json.loads(released.output)["status"] == "released"

    release = (now + timedelta(days=3)).replace(microsecond=0).isoformat()
    feed = tmp_path / "bookings.csv"
    feed.write_text(
        "booking_number,person_name,booking_date,scheduled_release,date_of_birth\n"
        f"DC-26-09001,Casey Fenwick,2026-11-20,{release},1990-04-01\n"
        "DC-26-09002,Drew Halsey,2026-11-20,not a date,\n"
        f",Ellis Norcross,2026-11-21,{release},\n"
        f"DC-26-04411,Avery Quillfeather,2026-11-01,{release},\n",
        encoding="utf-8",
    )
    imported = wso("holds", "import", str(feed), "--user", "demo-clerk", "--json", *db)
    assert imported.exit_code == 2  # some rows were bad: reported, the good ones kept
    report = json.loads(imported.output)
    assert (report["booked"], report["changed"], report["unchanged"]) == (1, 1, 0)
    assert [(p["line"], p["field"]) for p in report["problems"]] == [(3, "scheduled_release"), (4, "booking_number")]
    again = json.loads(wso("holds", "import", str(feed), "--user", "demo-clerk", "--json", *db).output)
    assert (again["booked"], again["changed"], again["unchanged"]) == (0, 0, 2)
