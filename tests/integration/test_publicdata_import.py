"""Importing ICE's sheets into real SQLite and PostgreSQL databases: counts, history, idempotence, refusals."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.cli.main import app
from wso.publicdata import reports
from wso.publicdata.importer import ImportRefused, import_sheets
from wso.publicdata.tables import Agreement, Identity, Sighting, Snapshot
from wso.store.db import make_engine, session_factory

SHEETS = ICE_SHEETS
PARTICIPATING = [SHEETS / f"participatingAgencies{d}.xlsx" for d in ("05162025am", "06202025am", "07182025pm")]
PENDING = SHEETS / "pendingAgencies07182025pm.xlsx"
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)

pytestmark = requires_ice_sheets


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, ["publicdata", *args])


def _json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every public-data row, without the import instant, to compare two databases' content."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return {
                "snapshots": sorted(
                    (s.sha256, s.kind, s.as_of, s.rows_read) for s in session.scalars(select(Snapshot))
                ),
                "sightings": sorted(
                    (s.agreement_id, s.row, s.county, s.flags.__repr__()) for s in session.scalars(select(Sighting))
                ),
                "agreements": sorted(
                    tuple(getattr(a, c.name) for c in Agreement.__table__.columns if c.name != "flags")
                    for a in session.scalars(select(Agreement))
                ),
                # Each sheet row's agreement (identity.py), by file content and row, not by import-order ids.
                "identities": sorted(
                    session.execute(
                        select(Snapshot.sha256, Identity.row, Identity.agreement_id, Identity.reached).join(
                            Snapshot, Snapshot.id == Identity.snapshot_id
                        )
                    ).all()
                ),
            }
    finally:
        engine.dispose()


def _count(url: str, table: type) -> int:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0
    finally:
        engine.dispose()


def test_july_sheet_gives_832_agreements_and_may_571_via_the_cli(database_url: str) -> None:
    result = _cli("import", "--json", "--database", database_url, str(PARTICIPATING[2]), str(PARTICIPATING[0]))
    assert result.exit_code == 0, result.output
    july, may = _json_lines(result.stdout)
    assert july["agreements"] == 832 and july["states"] == 40
    assert july["agreements_by_model"] == {
        "Task Force Model": 415,
        "Warrant Service Officer": 300,
        "Jail Enforcement Model": 117,
    }
    assert july["rows_rejected"] == []
    assert may["agreements"] == 571
    assert may["agreements_by_model"] == {
        "Task Force Model": 275,
        "Warrant Service Officer": 205,
        "Jail Enforcement Model": 91,
    }
    # The stored record agrees with the summary.
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            latest = reports.latest(session, kind="participating")
            assert latest is not None and latest.as_of == dt.date(2025, 7, 18)
            assert sum(reports.counts_by_model(session, snapshot_id=latest.id).values()) == 832
            assert len(reports.counts_by_state(session, snapshot_id=latest.id)) == 40
    finally:
        engine.dispose()


def test_importing_the_same_file_twice_changes_nothing(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        first = import_sheets(engine=engine, paths=[PARTICIPATING[2], PENDING], now=NOW)
        before = _dump(database_url)
        again = import_sheets(engine=engine, paths=[PARTICIPATING[2], PENDING], now=NOW + dt.timedelta(days=1))
    finally:
        engine.dispose()
    assert [s.status for s in first] == ["imported", "imported"]
    assert [s.status for s in again] == ["unchanged", "unchanged"]
    assert _dump(database_url) == before


def _raw_keys(path: Path) -> set[tuple[str, str, str, str]]:
    """Agreements of one sheet straight from its cells: state, agency, model, signed (trimmed only)."""
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c else "" for c in next(rows)]
    col = {name: header.index(name) for name in ("STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED")}
    keys = set()
    for row in rows:
        if row[col["STATE"]] is None:
            continue
        signed = row[col["SIGNED"]]
        signed_key = signed.date().isoformat() if isinstance(signed, dt.datetime) else str(signed).strip()
        keys.add((
            row[col["STATE"]].strip(),
            " ".join(row[col["LAW ENFORCEMENT AGENCY"]].split()).casefold().replace("'", ""),
            row[col["SUPPORT TYPE"]].strip(),
            signed_key,
        ))  # fmt: skip
    return keys


def test_three_sheets_in_order_account_for_every_key_that_appeared_or_left(database_url: str) -> None:
    """Every printed key new on a sheet is an added, renamed, re-dated or re-signed agreement; every key that
    left is an ended one or the before side of such a change (the classes themselves: test_publicdata_identity)."""
    engine = make_engine(database_url)
    try:
        import_sheets(engine=engine, paths=PARTICIPATING, now=NOW)
        with session_factory(engine)() as session:
            found = reports.snapshot_changes(session)
    finally:
        engine.dispose()
    raw = [_raw_keys(p) for p in PARTICIPATING]
    appeared = [sum(1 for r in step.rows if r.after is not None) for step in found]
    left = [sum(1 for r in step.rows if r.before is not None) for step in found]
    assert appeared == [len(raw[1] - raw[0]), len(raw[2] - raw[1])]
    assert left == [len(raw[0] - raw[1]), len(raw[1] - raw[2])]
    assert [(c.before.as_of, c.after.as_of) for c in found] == [
        (dt.date(2025, 5, 16), dt.date(2025, 6, 20)),
        (dt.date(2025, 6, 20), dt.date(2025, 7, 18)),
    ]


def test_history_does_not_depend_on_import_order(tmp_path: Path) -> None:
    in_order, reversed_order = f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
    for url, paths in ((in_order, [*PARTICIPATING, PENDING]), (reversed_order, [PENDING, *reversed(PARTICIPATING)])):
        assert _cli("import", "--database", url, "--json", *map(str, paths)).exit_code == 1  # not migrated yet
        assert CliRunner().invoke(app, ["db", "upgrade", "--database", url]).exit_code == 0
        assert _cli("import", "--database", url, *map(str, paths)).exit_code == 0
    a, b = _dump(in_order), _dump(reversed_order)
    assert a["agreements"] == b["agreements"]
    assert a["identities"] == b["identities"] and len(a["identities"]) == len(a["sightings"])
    status = [c.name for c in Agreement.__table__.columns if c.name != "flags"].index("status")
    # No re-signing among these sheets: a corrected date is the same agreement, not a superseded one (issue 16).
    assert {row[status] for row in a["agreements"]} == {"active", "removed", "pending"}


# ---- corrupted copies: a clear error or a per-row report, and nothing half-written ----------


def _corrupt(tmp_path: Path, edit: Any) -> Path:
    """A copy of the July sheet, under ICE's file name, changed by `edit(worksheet)`."""
    workbook = openpyxl.load_workbook(PARTICIPATING[2])
    edit(workbook.worksheets[0])
    target = tmp_path / PARTICIPATING[2].name
    workbook.save(target)
    return target


def test_a_missing_column_refuses_the_file_and_writes_nothing(database_url: str, tmp_path: Path) -> None:
    broken = _corrupt(tmp_path, lambda ws: ws.delete_cols(5))  # SUPPORT TYPE
    result = _cli("import", "--database", database_url, str(PENDING), str(broken))
    assert result.exit_code == 1
    assert f"{broken.name}: missing column SUPPORT TYPE" in result.stderr
    assert _count(database_url, Snapshot) == 0 and _count(database_url, Sighting) == 0


def test_text_in_signed_is_reported_per_row_and_the_row_kept(database_url: str, tmp_path: Path) -> None:
    def edit(ws: Any) -> None:
        ws.cell(row=7, column=6).value = "last spring"

    broken = _corrupt(tmp_path, edit)
    result = _cli("import", "--json", "--database", database_url, str(broken))
    assert result.exit_code == 0, result.output
    [summary] = _json_lines(result.stdout)
    assert summary["agreements"] == 832
    assert {
        "row": 7,
        "field": "SIGNED",
        "reason": "text 'last spring' is not a date; kept as typed, no signing date",
    } in summary["rows_flagged"]
    assert _count(database_url, Sighting) == 832


def test_a_row_without_a_model_is_rejected_by_row_and_nothing_written_unless_asked(
    database_url: str, tmp_path: Path
) -> None:
    def edit(ws: Any) -> None:
        ws.cell(row=9, column=5).value = "Border Patrol Model"

    broken = _corrupt(tmp_path, edit)
    refused = _cli("import", "--json", "--database", database_url, str(broken))
    assert refused.exit_code == 1
    assert "row 9, SUPPORT TYPE: 'Border Patrol Model' is not one of ICE's models" in refused.stderr
    assert _count(database_url, Snapshot) == 0
    accepted = _cli("import", "--json", "--skip-bad-rows", "--database", database_url, str(broken))
    assert accepted.exit_code == 0, accepted.output
    [summary] = _json_lines(accepted.stdout)
    assert summary["agreements"] == 831 and summary["rows_read"] == 832
    assert summary["rows_rejected"][0]["row"] == 9
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            [snapshot] = session.scalars(select(Snapshot))
            assert snapshot.rejected[0]["field"] == "SUPPORT TYPE"  # recorded, not dropped silently
    finally:
        engine.dispose()


@pytest.mark.parametrize("content", [b"", b"STATE,AGENCY\nAL,x\n"], ids=["empty", "not-xlsx"])
def test_an_empty_or_non_xlsx_file_is_refused_with_the_others(
    database_url: str, tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "participatingAgencies08012025am.xlsx"
    bad.write_bytes(content)
    good = tmp_path / PENDING.name
    shutil.copy(PENDING, good)
    engine = make_engine(database_url)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_sheets(engine=engine, paths=[good, bad], now=NOW)
    finally:
        engine.dispose()
    [problem] = refused.value.problems
    assert problem.startswith(bad.name + ": ")
    assert ("empty (0 bytes)" if not content else "not a readable .xlsx workbook") in problem
    assert _count(database_url, Snapshot) == 0
