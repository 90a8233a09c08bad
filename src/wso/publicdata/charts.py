"""Plotly charts for the public-data pages, rendered offline.

Pages load plotly.js once from this app (`/public/assets/plotly.min.js`, the copy inside the
plotly package); `wso publicdata report --html` inlines it instead, so the file stands alone.
No chart ever asks a CDN for anything.

On a page a chart is an empty <div> and its figure as data, `<script type="application/json">`,
which /static/charts.js draws: the Content-Security-Policy allows no inline script (issue 14,
item 6), and data in a JSON block is never run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from wso.publicdata.sheets import MODEL_NAMES

COLORS = {"WSO": "#1f77b4", "JEM": "#d62728", "TFM": "#2ca02c", "BOA": "#9467bd", "IGSA": "#8c564b"}
_LAYOUT: dict[str, Any] = {"margin": {"l": 50, "r": 20, "t": 40, "b": 40}, "height": 360, "template": "plotly_white"}


CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}


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
    figure.update_layout(title=title, xaxis_title="ICE sheet date", yaxis_title="agreements", **_LAYOUT)
    return figure


def monthly_chart(rows: Sequence[dict[str, Any]], *, title: str) -> go.Figure:
    """Agreements signed per month (bars) and their running total (lines), per model."""
    dated = [r for r in rows if r["month"] != "undated"]
    figure = go.Figure()
    for model in ("TFM", "WSO", "JEM"):
        points = [r for r in dated if r["model"] == model]
        figure.add_trace(
            go.Bar(x=[r["month"] for r in points], y=[r["signed"] for r in points], name=f"{model} signed",
                   marker_color=COLORS[model], opacity=0.55)
        )  # fmt: skip
        figure.add_trace(
            go.Scatter(x=[r["month"] for r in points], y=[r["cumulative"] for r in points], name=f"{model} total",
                       mode="lines", line={"color": COLORS[model]}, yaxis="y2")
        )  # fmt: skip
    figure.update_layout(
        title=title, barmode="stack", xaxis_title="month signed", yaxis_title="signed that month",
        yaxis2={"title": "running total", "overlaying": "y", "side": "right"}, **_LAYOUT,
    )  # fmt: skip
    return figure


def states_chart(rows: Sequence[dict[str, Any]], *, title: str) -> go.Figure:
    """Agreements per state, stacked by model."""
    figure = go.Figure()
    for model in ("TFM", "WSO", "JEM"):
        figure.add_trace(go.Bar(x=[r["state"] for r in rows], y=[r[model] for r in rows], name=MODEL_NAMES[model],
                                marker_color=COLORS[model]))  # fmt: skip
    figure.update_layout(title=title, barmode="stack", yaxis_title="agreements", **_LAYOUT)
    return figure


def models_chart(counts: dict[str, int], *, title: str) -> go.Figure:
    """Agreements per model, as ICE names them."""
    codes = {name: code for code, name in MODEL_NAMES.items()}
    figure = go.Figure(
        go.Bar(
            x=list(counts),
            y=list(counts.values()),
            marker_color=[COLORS.get(codes.get(n, ""), "#777") for n in counts],
               text=list(counts.values()), textposition="auto")
    )  # fmt: skip
    figure.update_layout(title=title, yaxis_title="agreements", **_LAYOUT)
    return figure


def cost_chart(programs: dict[str, dict[str, float]], *, title: str) -> go.Figure:
    """Yearly net cost to the agency under each program, split into what it pays and what ICE pays back."""
    names = list(programs)
    figure = go.Figure()
    for part, label in (
        ("training_usd", "training"),
        ("officer_time_usd", "officer time"),
        ("detention_usd", "detention"),
    ):
        figure.add_trace(go.Bar(x=names, y=[programs[n][part] for n in names], name=label))
    figure.add_trace(go.Bar(x=names, y=[-programs[n]["reimbursement_usd"] for n in names], name="paid by ICE"))
    figure.add_trace(
        go.Scatter(x=names, y=[programs[n]["net_usd"] for n in names], mode="markers+text", name="net cost",
                   text=[f"${programs[n]['net_usd']:,.0f}" for n in names], textposition="top center",
                   marker={"size": 12, "color": "#000"})
    )  # fmt: skip
    figure.update_layout(title=title, barmode="relative", yaxis_title="USD per year", **_LAYOUT)
    return figure
