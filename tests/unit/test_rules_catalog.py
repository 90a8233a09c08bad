"""`wso rules`: the catalog from params, and docs/rules.md kept in sync with it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from wso.cli.main import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
runner = CliRunner()


def test_docs_rules_md_is_generated_from_params() -> None:
    result = runner.invoke(app, ["rules", "--markdown"])
    assert result.exit_code == 0
    assert DOCS.read_text() == result.stdout, "docs/rules.md is stale: run `make docs`"


def test_catalog_json_lists_every_rule_with_its_parameters() -> None:
    rows = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    ids = {row["id"] for row in rows}
    assert {"A2", "A3", "O3", "H5", "H7", "C1", "K2"} <= ids
    h5 = [row for row in rows if row["id"] == "H5" and row["value"]]
    assert {row["validity"] for row in h5} >= {"MOA-2019", "MOA-2025"} and all(
        row["value"] == "48 hour" for row in h5 if row["rule"].startswith("hold.max_hours")
    )


def test_rules_check_finds_no_gap_in_shipped_params() -> None:
    result = runner.invoke(app, ["rules", "--check"])
    assert result.exit_code == 0, result.output
