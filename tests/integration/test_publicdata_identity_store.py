"""Identities stored in real SQLite and PostgreSQL databases: the changes CLI, API, CSV and pages agree (issue 16)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from typer.testing import CliRunner

from tests.paths import requires_ice_sheets
from tests.unit.test_publicdata_identity import PARTICIPATING, PENDING, _expected, _raw
from wso.cli.main import app
from wso.publicdata import reports
from wso.publicdata.importer import import_sheets
from wso.publicdata.tables import Agreement, Identity
from wso.store.db import make_engine, session_factory
from wso.web.app import create_app

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
CLASSES = ("added", "ended", "renamed", "signing_date_corrected", "re_signed")
LOUISIANA = "LA-louisiana-state-patrol#TFM#2025-05-20"

pytestmark = requires_ice_sheets


@pytest.fixture
def imported(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        import_sheets(engine=engine, paths=[*PARTICIPATING, PENDING], now=NOW)
    finally:
        engine.dispose()
    return database_url


def _url(agreement_id: str) -> str:
    return "/public/agreements/" + quote(agreement_id, safe="")


def test_A1_changes_command_api_csv_and_page_show_the_same_five_classes(imported: str) -> None:
    result = CliRunner().invoke(app, ["publicdata", "changes", "--json", "--database", imported])
    assert result.exit_code == 0, result.output
    steps = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(s["list"], s["from"], s["to"]) for s in steps] == [
        ("participating", "2025-05-16 am", "2025-06-20 am"),
        ("participating", "2025-06-20 am", "2025-07-18 pm"),
    ]
    for step, before, after in zip(steps, PARTICIPATING[:-1], PARTICIPATING[1:], strict=True):
        assert {"from", "to", *CLASSES, "rows"} <= set(step)
        expected = _expected(before, after)
        assert step["renamed"] == len(expected["renamed"]) and step["ended"] == len(expected["ended"])
        assert step["signing_date_corrected"] == len(expected["signing_date_corrected"])
        assert step["added"] == len(expected["added"]) and step["re_signed"] == 0
        assert all(r["before"] or r["after"] for r in step["rows"])  # every row carries its cells
        assert {c for r in step["rows"] for c in r["classes"]} <= set(CLASSES)
    client = TestClient(create_app(imported))
    assert client.get("/api/v1/public/changes").json() == steps
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/public/changes.csv").text)))
    assert len(rows) == sum(len(s["rows"]) for s in steps)
    limestone = [r for r in rows if r["agreement_id"] == "AL-limestone-county-sheriffs-office#TFM#2025-06-12"]
    assert [
        (r["to"], r["class"], r["before_signed"], r["after_signed"], r["before_moa"], r["after_moa"]) for r in limestone
    ] == [
        ("2025-06-20 am", "added", "", "2025-06-12", "", "link pending"),
        ("2025-07-18 pm", "signing_date_corrected", "2025-06-12", "2025-06-11", "link pending", "link"),
    ]
    page = client.get("/public/changes")
    assert page.status_code == 200
    for c in CLASSES:
        assert f"<td>{steps[1][c]}</td>" in page.text
    assert "Louisiana State Patrol" in page.text and "LouisianaStatePolice_TFM_MOA_05202025.pdf" in page.text
    overview = client.get("/public").text
    assert "<td>118</td><td>5</td><td>11</td><td>17</td><td>0</td>" in overview


def test_A1_counts_over_time_use_identities(imported: str) -> None:
    engine = make_engine(imported)
    try:
        with session_factory(engine)() as session:
            growth = reports.growth(session)
            monthly = reports.signed_by_month(session)
            participating = list(session.scalars(select(Agreement).where(Agreement.listed_pending.is_(False))))
    finally:
        engine.dispose()
    per_sheet = {}
    for g in growth:
        per_sheet[g["as_of"]] = per_sheet.get(g["as_of"], 0) + g["agreements"]
    assert list(per_sheet.values()) == [len(_raw(p)) for p in PARTICIPATING]  # 571, then June, then 832
    # The first sheet's agreements and those added later: a renamed, re-dated or flipped-back one is one agreement.
    added = sum(len(_expected(a, b)["added"]) for a, b in pairwise(PARTICIPATING))
    assert len(participating) == len(_raw(PARTICIPATING[0])) + added
    assert len(participating) < len(set().union(*(_raw(p) for p in PARTICIPATING)))  # fewer than the printed keys
    assert sum(m["signed"] for m in monthly) == len(participating)  # each counted once, in one month


def test_A1_agreement_page_shows_every_sheet_name_date_moa_and_the_fix(imported: str) -> None:
    client = TestClient(create_app(imported))
    page = client.get(_url(LOUISIANA))
    assert page.status_code == 200
    assert "Louisiana State Patrol" in page.text and "Louisiana State Police Department" in page.text
    assert "LouisianaStatePolice_TFM_MOA_05202025.pdf" in page.text
    assert "Decisions from the fixes file" in page.text
    assert "no agency named Louisiana State Patrol exists" in page.text
    old_key = client.get(_url("LA-louisiana-state-police-department#TFM#2025-05-20"), follow_redirects=False)
    assert old_key.status_code == 307 and old_key.headers["location"] == _url(LOUISIANA)
    data = client.get(
        "/api/v1/public/agreements/" + quote("FL-indialantic-police-department#TFM#2025-05-13", safe="")
    ).json()
    assert [(s["as_of"], s["agency"]) for s in data["sightings"]] == [
        ("2025-05-16", "Indialantic Police Department"),
        ("2025-06-20", "Indiatlantic Police Department"),
        ("2025-07-18", "Indialantic Police Department"),
    ]
    assert data["names"] == ["Indialantic Police Department", "Indiatlantic Police Department"]
    ended = client.get(_url("MN-jackson-county-sheriffs-office#JEM#2025-03-07"))
    assert "no longer listed by the sheet of 2025-07-18" in ended.text
    assert client.get(_url("XX-nobody#WSO#2025-01-01")).status_code == 404
    renamed = client.get("/public/agencies/FL-ft-myers-police-department", follow_redirects=False)
    assert renamed.status_code == 307
    assert renamed.headers["location"] == "/public/agencies/FL-fort-myers-police-department"
    assert "Ft. Myers Police Department" in client.get(renamed.headers["location"]).text  # every row, old name too


def test_A1_relink_recomputes_the_same_identities(imported: str) -> None:
    def identities() -> list[tuple[Any, ...]]:
        engine = make_engine(imported)
        try:
            with session_factory(engine)() as session:
                return sorted(session.execute(select(Identity.snapshot_id, Identity.row, Identity.agreement_id)).all())
        finally:
            engine.dispose()

    before = identities()
    result = CliRunner().invoke(app, ["publicdata", "relink", "--database", imported])
    assert result.exit_code == 0, result.output
    assert f"relinked: {len({i[2] for i in before})} agreements from {len(before)} sheet rows" in result.stderr
    assert identities() == before


def test_the_shipped_sheets_are_ices_files_as_recorded_and_import_idempotently(database_url: str) -> None:
    from wso.publicdata.importer import SHIPPED_SHEETS_DIR, shipped_sheets

    provenance = (SHIPPED_SHEETS_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| (\S+\.xlsx) \|.*\| ([0-9a-f]{64}) \|$", provenance, flags=re.MULTILINE))
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in shipped_sheets()} == recorded
    command = ["publicdata", "import", "--shipped", "--json", "--database", database_url]
    runs = [CliRunner().invoke(app, command) for _ in range(2)]
    assert all(r.exit_code == 0 for r in runs), runs[0].output
    first, second = ([json.loads(line)["status"] for line in r.stdout.splitlines()] for r in runs)
    assert first == ["imported"] * 4 and second == ["unchanged"] * 4
    nothing = CliRunner().invoke(app, ["publicdata", "import", "--database", database_url])
    assert nothing.exit_code == 2 and "FILES: give at least one ICE sheet" in nothing.stderr


def test_a_database_imported_before_identities_is_relinked_by_the_next_import(imported: str) -> None:
    engine = make_engine(imported)
    try:
        with session_factory(engine).begin() as session:
            session.execute(delete(Identity))  # as after migration p0002 on a database imported before it
        summaries = import_sheets(engine=engine, paths=[PENDING], now=NOW)
        with session_factory(engine)() as session:
            assert [s.status for s in summaries] == ["unchanged"]
            pending = reports.latest(session, kind="pending")
            assert pending is not None and sum(reports.counts_by_model(session, snapshot_id=pending.id).values()) > 0
            assert session.get(Agreement, LOUISIANA) is not None
    finally:
        engine.dispose()


def test_A1_report_csv_and_html_carry_the_same_changes(imported: str, tmp_path: Path) -> None:
    folder, page = tmp_path / "csv", tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["publicdata", "report", "--database", imported, "--csv", str(folder), "--html", str(page)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((folder / "changes.csv").open(encoding="utf-8")))
    api = TestClient(create_app(imported)).get("/api/v1/public/changes").json()
    assert len(rows) == sum(len(s["rows"]) for s in api)
    assert sorted(r["class"] for r in rows if r["to"] == "2025-07-18 pm").count("signing_date_corrected") == 17
    assert "<td>118</td><td>5</td><td>11</td><td>17</td><td>0</td>" in page.read_text(encoding="utf-8")
