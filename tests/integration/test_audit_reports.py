"""What-if runs, bad input rows, the HTML report and the suppressed public tables."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from wso.audit.disclosure import pinned
from wso.audit.publish import SMALL, suppress
from wso.audit.synth import write_synthetic
from wso.cli.main import app

AS_OF = "2026-06-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    return out, write_synthetic(count=3000, seed=21, out=out)


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, ["audit", "run", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_H5_what_if_24_hours_adds_exactly_the_holds_that_ended_between_24_and_48_hours(synthetic) -> None:
    directory, manifest = synthetic
    report = _run("--source", str(directory), "--as-of", AS_OF, "--set", "hold.max_hours=24")
    planted = manifest["what_if"]["hold.max_hours=24"]
    assert planted["H5_added"] > 0
    assert report["what_if"]["difference"]["findings"]["H5"] == planted["H5_added"]
    assert report["what_if"]["findings"]["H5"] == report["findings"]["H5"] + planted["H5_added"]
    # The I-247A and C.F.R. holds now end past the earlier WSO clock: they move from H8 to H5.
    assert report["what_if"]["difference"]["findings"]["H8"] == -planted["H8_removed"]
    unchanged = {r for r in report["findings"] if r not in ("H5", "H8")}
    assert all(report["what_if"]["difference"]["findings"][r] == 0 for r in unchanged)


def test_what_if_refuses_an_unknown_parameter_naming_it(synthetic) -> None:
    directory, _ = synthetic
    result = CliRunner().invoke(app, ["audit", "run", "--source", str(directory), "--set", "hold.max_hourz=24"])
    assert result.exit_code == 2 and "hold.max_hourz" in result.output


def test_naive_from_is_refused(synthetic) -> None:
    directory, _ = synthetic
    result = CliRunner().invoke(app, ["audit", "run", "--source", str(directory), "--from", "2025-01-01T00:00:00"])
    assert result.exit_code == 2 and "--from" in result.output and "offset" in result.output


def test_bad_csv_rows_are_listed_and_counted_and_the_valid_rows_audited(synthetic, tmp_path: Path) -> None:
    directory, manifest = synthetic
    holds = pq.read_table(directory / "holds.parquet").slice(0, 300)
    clean = _csv_rows(holds)
    assert clean, "the slice has rows"
    header = list(clean[0])
    bad = [dict(clean[0]), dict(clean[1]), dict(clean[2]), dict(clean[3]), dict(clean[4])]
    bad[0]["booking_number"] = "BAD-naive"
    bad[0]["served_at"] = "2025-03-04T10:00:00"  # no offset
    bad[1]["booking_number"] = "BAD-missing"
    bad[1]["scheduled_release_at"] = ""
    bad[2]["booking_number"] = "BAD-order"
    bad[2]["ice_notified_at"] = "2000-01-01T00:00:00+00:00"  # notified before service
    bad[3]["booking_number"] = "BAD-bool"
    bad[3]["interpreter_used"] = "perhaps"
    bad[4]["booking_number"] = "BAD-template"
    bad[4]["template"] = "MOA-2030"
    with (tmp_path / "holds.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(clean + bad)
    with (tmp_path / "clean.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(clean)
    mixed = _run("--source", str(tmp_path / "holds.csv"), "--as-of", AS_OF)
    only_clean = _run("--source", str(tmp_path / "clean.csv"), "--as-of", AS_OF)
    assert mixed["rejected"] == 5
    assert mixed["holds"] == len(clean)
    assert mixed["findings"] == only_clean["findings"]
    listed = "\n".join(mixed["bad_rows"])
    assert f"line {len(clean) + 2}: served_at: '2025-03-04T10:00:00' has no UTC offset" in listed
    assert "BAD-missing: scheduled_release_at: required value is empty" in listed
    assert "BAD-order: ice_notified_at is before served_at" in listed
    assert "interpreter_used: 'perhaps' is not true or false" in listed
    assert "BAD-template: template: not one of MOA-2019, MOA-2025" in listed


def test_parquet_with_a_naive_column_and_a_missing_required_column(synthetic, tmp_path: Path) -> None:
    directory, _ = synthetic
    holds = pq.read_table(directory / "holds.parquet").slice(0, 50)
    naive = holds.set_column(
        holds.schema.get_field_index("ice_notified_at"),
        "ice_notified_at",
        holds["ice_notified_at"].cast(pa.timestamp("us")),
    )
    pq.write_table(naive, tmp_path / "naive.parquet")
    report = _run("--source", str(tmp_path / "naive.parquet"), "--as-of", AS_OF)
    notified = sum(v is not None for v in holds["ice_notified_at"].to_pylist())
    assert report["rejected"] == notified and report["holds"] == 50 - notified
    assert "ice_notified_at: timestamp has no UTC offset (naive)" in report["bad_rows"][0]
    pq.write_table(holds.drop_columns(["timezone"]), tmp_path / "no_tz.parquet")
    report = _run("--source", str(tmp_path / "no_tz.parquet"), "--as-of", AS_OF)
    assert report["rejected"] == 50 and report["holds"] == 0
    assert all("timezone: column missing from the input" in line for line in report["bad_rows"])


def _csv_rows(table: pa.Table) -> list[dict[str, str]]:
    rows = []
    for record in table.to_pylist():
        rows.append(
            {
                k: (
                    ""
                    if v is None
                    else v.isoformat()
                    if isinstance(v, datetime)
                    else str(v).lower()
                    if isinstance(v, bool)
                    else str(v)
                )
                for k, v in record.items()
            }
        )
    return rows


def test_html_report_is_offline_and_has_every_section(synthetic, tmp_path: Path) -> None:
    directory, _ = synthetic
    out = tmp_path / "audit.html"
    result = CliRunner().invoke(
        app,
        [
            "audit",
            "run",
            "--source",
            str(directory),
            "--as-of",
            AS_OF,
            "--format",
            "html",
            "--out",
            str(out),
            "--set",
            "hold.max_hours=24",
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    for heading in (
        "Totals per rule and modality",
        "Per month",
        "Per facility",
        "Per officer",
        "Worst cases first",
        "what-if findings",
    ):
        assert heading in html
    # plotly.js itself is inlined (megabytes), and no script is loaded from anywhere.
    assert "Plotly.newPlot" in html and len(html) > 1_000_000
    assert "<script src=" not in html and 'src="http' not in html


def test_findings_as_parquet_one_row_per_finding(synthetic, tmp_path: Path) -> None:
    directory, manifest = synthetic
    out = tmp_path / "findings.parquet"
    result = CliRunner().invoke(
        app, ["audit", "run", "--source", str(directory), "--as-of", AS_OF, "--format", "parquet", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    must = [r for r, m in zip(table["rule"].to_pylist(), table["modality"].to_pylist(), strict=True) if m == "must"]
    assert len(must) == sum(manifest["findings"].values())
    first = table.slice(0, 1).to_pylist()[0]
    assert first["evidence_stream"].startswith(("hold/", "complaint/")) and first["source"]


def test_publish_suppresses_small_cells_and_a_suppressed_cell_cannot_be_recovered(synthetic, tmp_path: Path) -> None:
    directory, _ = synthetic
    result = CliRunner().invoke(app, ["audit", "publish", "--source", str(directory), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((tmp_path / "findings.csv").open()))
    grid = [r[1:] for r in rows[1:]]
    cells = [c for row in grid for c in row]
    assert SMALL in cells
    assert not any(c.isdigit() and 1 <= int(c) <= 10 for c in cells)
    assert pinned(grid) == {}  # interval reasoning over the totals recovers nothing
    text = (tmp_path / "findings.csv").read_text() + (tmp_path / "findings.json").read_text()
    assert "SYN-" not in text and "officer-" not in text  # no booking number, no officer identity


def test_complementary_suppression_defeats_subtraction_by_exhaustive_search() -> None:
    """A small table where one small cell alone would be recovered from its row total: the attacker
    enumerates every table consistent with what is published and finds each hidden cell ambiguous."""
    inner = [[3, 40, 25], [30, 12, 50], [0, 22, 18]]
    values = [row + [sum(row)] for row in inner]
    values.append([sum(col) for col in zip(*values, strict=True)])
    names = ["a", "b", "c", "total"]
    table = suppress(names, ["r1", "r2", "r3", "total"], values)
    shown = [[table.shown(i, j) for j in range(4)] for i in range(4)]
    hidden = [(i, j) for i in range(4) for j in range(4) if (i, j) in table.hidden]
    assert len(hidden) >= 4 and all(shown[i][3].isdigit() for i in range(4))  # every total published
    solutions: dict[tuple[int, int], set[int]] = {p: set() for p in hidden}

    def row_options(i: int) -> list[dict[tuple[int, int], int]]:
        """Every filling of row i's hidden cells that adds up to its published total."""
        cells = [(i, j) for j in range(3) if (i, j) in table.hidden]
        known = sum(int(shown[i][j]) for j in range(3) if (i, j) not in table.hidden)
        rest = int(shown[i][3]) - known
        options = []
        for guess in itertools.product(*[_range(shown[i][j], rest) for _, j in cells[:-1]]):
            last = rest - sum(guess)
            if cells and last in _range(shown[i][cells[-1][1]], rest):
                options.append(dict(zip(cells, (*guess, last), strict=True)))
        return options if cells else [{}]

    for filling in itertools.product(*[row_options(i) for i in range(3)]):
        merged = {k: v for part in filling for k, v in part.items()}
        grid = [
            [merged.get((i, j), int(shown[i][j]) if shown[i][j].isdigit() else 0) for j in range(4)] for i in range(4)
        ]
        if all(sum(grid[i][j] for i in range(3)) == int(shown[3][j]) for j in range(3)):
            for p, v in merged.items():
                solutions[p].add(v)
    assert all(len(s) >= 2 for s in solutions.values()), solutions


def _range(text: str, top: int) -> range:
    return range(1, 11) if text == SMALL else range(0, top + 1)
