"""Plotly charts for the public-data pages, rendered offline.

Pages load plotly.js once from this app: the *basic* bundle (bars and lines only, 1.2 MB instead of the full
4.8 MB; `static/vendor/plotly/VENDOR.md`); `wso publicdata report --html` inlines the plotly package's own copy
instead, so the file stands alone. No chart ever asks a CDN for anything.

On a page a chart is an empty <div> and its figure as data, `<script type="application/json">`,
which /static/charts.js draws: the Content-Security-Policy allows no inline script (issue 14,
item 6), and data in a JSON block is never run.

Every chart (issue 15, item 7) names its source under its title, starts its y axis at zero, uses the Okabe-Ito
palette (told apart with any colour vision, no red against green), hides plotly's toolbar (it covered titles on
a phone) and comes with the same numbers as a real <table> (`data_table`), for screen readers and for copying.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wso.publicdata.sheets import MODEL_NAMES

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, reddish purple, sky blue.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
COLORS = {"TFM": "#0072B2", "WSO": "#E69F00", "JEM": "#009E73", "BOA": "#CC79A7", "IGSA": "#56B4E9"}
SOURCE_SHEETS = "Source: ICE's 287(g) agency sheets (ice.gov)"
SOURCE_COSTS = "Source: this site's estimate, from cited rates"
_LAYOUT: dict[str, Any] = {
    "margin": {"l": 50, "r": 20, "t": 70, "b": 40},
    "height": 380,
    "template": "plotly_white",
    "colorway": list(OKABE_ITO),
    "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.18, "yanchor": "top"},
    "font": {"size": 12},
}
_ZERO = {"rangemode": "tozero"}

CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def _title(title: str, source: str) -> dict[str, Any]:
    """The title with the source line under it, inside the chart (it goes wherever the chart goes)."""
    return {"text": title, "font": {"size": 15}, "subtitle": {"text": source, "font": {"size": 11}}, "x": 0.01}


def to_div(figure: go.Figure, *, div_id: str, inline_js: bool = False) -> str:
    """The chart as an HTML fragment; `inline_js` embeds plotly.js and its call (standalone files only)."""
    if inline_js:
        return figure.to_html(full_html=False, include_plotlyjs=True, div_id=div_id, config=CONFIG)
    data = json.dumps({"figure": json.loads(figure.to_json()), "config": CONFIG}, separators=(",", ":"))
    # "<" escaped, so no value (an agency name, say) can close the block and start markup.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        f'<div id="{div_id}" class="plotly-chart"></div>'
        f'<script type="application/json" class="chart-data" data-for="{div_id}">{data}</script>'
    )


def data_table(figure: go.Figure, *, x_label: str | None = None) -> dict[str, Any]:
    """The figure's numbers as a table: one row per x value, one column per trace (what a screen reader reads).

    Read back from the figure itself, so the table can never disagree with the chart it stands beside.
    """
    layout = figure.layout
    title = layout.title.text or ""
    source = layout.title.subtitle.text if layout.title.subtitle else ""
    meta = layout.meta if isinstance(layout.meta, dict) else {}
    x_label = x_label or meta.get("x_label") or ""
    traces = [t for t in figure.data if getattr(t, "x", None) is not None and getattr(t, "y", None) is not None]
    order: list[Any] = []
    values: dict[str, dict[Any, Any]] = {}
    for trace in traces:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        column = values.setdefault(meta.get("column") or trace.name or "", {})
        for x, y in zip(trace.x, trace.y, strict=False):
            if x not in column and x not in order:
                order.append(x)
            column[x] = y
    columns = list(values)
    rows = [[x, *(_cell(values[c].get(x)) for c in columns)] for x in order]
    return {"caption": title, "source": source, "columns": [x_label or "", *columns], "rows": rows}


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if value != int(value) else f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def chart(figure: go.Figure, *, div_id: str, x_label: str | None = None) -> dict[str, Any]:
    """What a page shows for one chart: the drawing and its data table (rendered by `_macros.html`)."""
    return {"div": to_div(figure, div_id=div_id), "id": div_id, **data_table(figure, x_label=x_label)}


def growth_chart(rows: Sequence[dict[str, Any]], *, title: str) -> go.Figure:
    """Agreements per model on each participating snapshot."""
    figure = go.Figure()
    for model in ("TFM", "WSO", "JEM"):
        points = [r for r in rows if r["model"] == model]
        figure.add_trace(
            go.Scatter(
                x=[r["as_of"] for r in points], y=[r["agreements"] for r in points],
                mode="lines+markers", name=MODEL_NAMES[model], line={"color": COLORS[model]},
            )
        )  # fmt: skip
    figure.update_layout(
        title=_title(title, SOURCE_SHEETS), yaxis={"title": "agreements", **_ZERO},
        meta={"x_label": "ICE sheet date"}, **_LAYOUT,
    )  # fmt: skip
    return figure


def monthly_chart(rows: Sequence[dict[str, Any]], *, title: str) -> go.Figure:
    """Agreements signed per month (bars, above) and their running total (below), per model, on one time axis.

    Two panels, each with its own y axis from zero, instead of one panel with two y axes (whose right axis showed a
    negative tick for a running total). The running total is a step line: flat through months with no signing,
    never a slope drawn across empty years. The legend (one entry per model, for both panels) sits under the chart,
    clear of every axis.
    """
    dated = [r for r in rows if r["month"] != "undated"]
    months = sorted({r["month"] for r in dated})
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.5, 0.5])
    for model in ("TFM", "WSO", "JEM"):
        signed = {r["month"]: r["signed"] for r in dated if r["model"] == model}
        if not signed:
            continue
        totals, total = [], 0
        for month in months:  # every month any model signed: a zero bar, and the total carried (flat)
            total += signed.get(month, 0)
            totals.append(total)
        figure.add_trace(
            go.Bar(x=months, y=[signed.get(m, 0) for m in months], name=MODEL_NAMES[model], legendgroup=model,
                   marker_color=COLORS[model], meta={"column": f"{MODEL_NAMES[model]}: signed that month"}),
            row=1, col=1,
        )  # fmt: skip
        figure.add_trace(
            go.Scatter(x=months, y=totals, name=MODEL_NAMES[model], legendgroup=model, showlegend=False,
                       mode="lines", line={"color": COLORS[model], "shape": "hv"},
                       meta={"column": f"{MODEL_NAMES[model]}: running total"}),
            row=2, col=1,
        )  # fmt: skip
    layout = {**_LAYOUT, "height": 560, "legend": {**_LAYOUT["legend"], "y": -0.08}}
    figure.update_layout(
        title=_title(title, SOURCE_SHEETS), barmode="stack", meta={"x_label": "month signed"}, **layout
    )
    figure.update_yaxes(title_text="signed that month", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(title_text="running total", rangemode="tozero", row=2, col=1)
    return figure


def states_chart(rows: Sequence[dict[str, Any]], *, title: str) -> go.Figure:
    """Agreements per state, stacked by model."""
    figure = go.Figure()
    for model in ("TFM", "WSO", "JEM"):
        figure.add_trace(go.Bar(x=[r["state"] for r in rows], y=[r[model] for r in rows], name=MODEL_NAMES[model],
                                marker_color=COLORS[model]))  # fmt: skip
    figure.update_layout(
        title=_title(title, SOURCE_SHEETS), barmode="stack",
        yaxis={"title": "agreements", **_ZERO}, meta={"x_label": "state"}, **_LAYOUT,
    )  # fmt: skip
    return figure


def models_chart(counts: dict[str, int], *, title: str) -> go.Figure:
    """Agreements per model, as ICE names them."""
    codes = {name: code for code, name in MODEL_NAMES.items()}
    figure = go.Figure(
        go.Bar(x=list(counts), y=list(counts.values()), name="agreements", text=list(counts.values()),
               marker_color=[COLORS.get(codes.get(n, ""), "#777") for n in counts], textposition="auto")
    )  # fmt: skip
    figure.update_layout(
        title=_title(title, SOURCE_SHEETS),
        yaxis={"title": "agreements", **_ZERO},
        meta={"x_label": "model"},
        **_LAYOUT,
    )
    return figure


def cost_chart(programs: dict[str, dict[str, float]], *, title: str) -> go.Figure:
    """Yearly net cost to the agency under each program, split into what it pays and what ICE pays back."""
    names = list(programs)
    figure = go.Figure()
    for part, label, color in (
        ("training_usd", "training", COLORS["TFM"]),
        ("officer_time_usd", "officer time", COLORS["WSO"]),
        ("detention_usd", "detention", COLORS["IGSA"]),
    ):
        figure.add_trace(go.Bar(x=names, y=[programs[n][part] for n in names], name=label, marker_color=color))
    figure.add_trace(go.Bar(x=names, y=[-programs[n]["reimbursement_usd"] for n in names], name="paid by ICE",
                            marker_color=COLORS["JEM"]))  # fmt: skip
    figure.add_trace(
        go.Scatter(x=names, y=[programs[n]["net_usd"] for n in names], mode="markers+text", name="net cost",
                   text=[f"${programs[n]['net_usd']:,.0f}" for n in names], textposition="top center",
                   marker={"size": 12, "color": "#000", "symbol": "diamond"}, cliponaxis=False)
    )  # fmt: skip
    figure.update_layout(
        title=_title(title, SOURCE_COSTS), barmode="relative",
        yaxis={"title": "USD per year", **_ZERO}, meta={"x_label": "program"}, **_LAYOUT,
    )  # fmt: skip
    return figure
