"""The audit of the demo county's live database (flattened from its ledger by the holds area's fold) and
of its exported Parquet give identical findings, on SQLite and PostgreSQL; so does the export loaded back
into the database and audited by the database engine."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wso.audit.load import load_records
from wso.audit.run import run_audit
from wso.audit.sources import open_source
from wso.cli.main import app
from wso.demo import load_demo
from wso.params import default_params
from wso.store.uow import Store

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 11, 28, 15, 0, tzinfo=timezone.utc)  # three days on: open holds are past 48 h


def _findings(source: str, *, as_of: datetime) -> list[tuple]:
    result = run_audit(open_source(source), params=default_params(), as_of=as_of)
    assert result.rejected == 0, [str(x) for x in result.errors]
    t = result.findings
    return sorted(zip(*(t[c].to_pylist() for c in ("booking_number", "rule", "modality", "excess_minutes",
                                                 "evidence_stream", "evidence_from_seq", "evidence_to_seq"))))


@pytest.mark.parametrize("as_of", [NOW, LATER], ids=["now", "three_days_later"])
def test_live_demo_database_and_its_parquet_export_give_identical_findings(database_url: str, tmp_path: Path,
                                                                           as_of: datetime) -> None:
    store = Store(database_url)
    try:
        load_demo(store, at=NOW)
    finally:
        store.dispose()
    live = _findings(database_url, as_of=as_of)
    export = CliRunner().invoke(app, ["audit", "export", "--database", database_url, "--out", str(tmp_path)])
    assert export.exit_code == 0, export.output
    exported = _findings(str(tmp_path), as_of=as_of)
    assert live == exported
    if as_of == LATER:
        assert {rule for _, rule, *_ in live} >= {"H5"}  # the open holds have run past their deadline
    load_records(database_url, tmp_path)  # the export in the database itself, audited by its engine
    assert _findings(database_url, as_of=as_of) == live
