"""Reports of one audit run: counts as JSON (the manifest's shape), findings as CSV or Parquet, and an
HTML report for people (totals per rule and modality, per month, facility and officer, worst cases
first, a Plotly chart with plotly.js inlined so it works offline).

Why the what-if sits beside the baseline: a reform is judged by its difference, rule by rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from jinja2 import Environment, FileSystemLoader, select_autoescape

from wso.audit.modality import AUDITED_RULES, MUST
from wso.audit.run import AuditResult

LISTED_BAD_ROWS = 1000
WORST = 100


def json_report(
    result: AuditResult, *, what_if: AuditResult | None = None, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Counts by rule id (findings and departures apart), what was audited, and the bad rows."""
    report: dict[str, Any] = {
        **result.counts(),
        "holds": result.holds,
        "complaints": result.complaints,
        "rejected": result.rejected,
        "bad_rows": [str(e) for e in result.errors[:LISTED_BAD_ROWS]],
    }
    if what_if is not None:
        base, alt = result.counts(), what_if.counts()
        report["what_if"] = {
            "set": overrides or {},
            **alt,
            "difference": {
                kind: {r: alt[kind].get(r, 0) - base[kind].get(r, 0) for r in sorted(set(alt[kind]) | set(base[kind]))}
                for kind in ("findings", "departures")
            },
        }
    return report


def write_findings(result: AuditResult, *, fmt: str, out: Path | None) -> None:
    """Every finding and departure, one row each, as CSV (stdout when no --out) or Parquet."""
    table = result.findings
    if fmt == "parquet":
        assert out is not None
        pq.write_table(table, out)
    elif out is None:
        import sys

        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink)
        sys.stdout.write(sink.getvalue().to_pybytes().decode("utf-8"))
    else:
        pacsv.write_csv(table, out)


def _frame(result: AuditResult) -> Any:
    frame = result.findings.select(
        [
            "booking_number",
            "rule",
            "modality",
            "excess_minutes",
            "agency",
            "facility",
            "officer",
            "at",
            "evidence_stream",
            "evidence_from_seq",
            "evidence_to_seq",
            "source",
        ]
    ).to_pandas()
    frame["month"] = frame["at"].dt.strftime("%Y-%m")
    return frame


def _pivot(frame: Any, index: str) -> dict[str, Any]:
    musts = frame[frame["modality"] == MUST]
    if musts.empty:
        return {"columns": [], "rows": []}
    table = musts.pivot_table(index=index, columns="rule", values="booking_number", aggfunc="count", fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    return {
        "columns": [str(c) for c in table.columns],
        "rows": [(str(i), [int(v) for v in row]) for i, row in zip(table.index, table.to_numpy(), strict=True)],
    }


def write_html(result: AuditResult, *, what_if: AuditResult | None, overrides: dict[str, Any], source: str) -> str:
    """The HTML report, self-contained (plotly.js inlined: no CDN, no internet)."""
    import plotly.graph_objects as go

    frame = _frame(result)
    counts = result.counts()
    alt = what_if.counts() if what_if is not None else None
    totals = []
    for rule in AUDITED_RULES:
        row = {
            "rule": rule,
            "findings": counts["findings"].get(rule, 0),
            "departures": counts["departures"].get(rule, 0),
            "source": result.sources.get(rule, ""),
        }
        if alt is not None:
            row["what_if"] = alt["findings"].get(rule, 0)
            row["difference"] = row["what_if"] - row["findings"]
        totals.append(row)
    by_month = _pivot(frame, "month")
    by_month["rows"].sort()
    fig = go.Figure()
    musts = frame[frame["modality"] == MUST]
    for rule in sorted(musts["rule"].unique()):
        per = musts[musts["rule"] == rule].groupby("month").size()
        fig.add_bar(name=rule, x=list(per.index), y=[int(v) for v in per.to_numpy()])
    fig.update_layout(barmode="stack", title="Findings (must) per month, by rule", height=420)
    chart = fig.to_html(full_html=False, include_plotlyjs=True)
    worst = frame.sort_values("excess_minutes", ascending=False).head(WORST)
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape())
    return env.get_template("report.html").render(
        source=source,
        result=result,
        totals=totals,
        what_if=alt is not None,
        overrides=overrides,
        by_month=by_month,
        by_facility=_pivot(frame, "facility"),
        by_officer=_pivot(frame, "officer"),
        worst=worst.to_dict("records"),
        chart=chart,
        bad_rows=[str(e) for e in result.errors[:LISTED_BAD_ROWS]],
    )
