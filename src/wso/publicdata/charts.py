"""The public pages' charts: report rows turned into `svg_charts.Chart`s, drawn on the server as SVG.

No chart needs JavaScript (issue 15, item 8: plotly.js was 0.4 MB of a 0.41 MB first visit and most of its load
time). Every chart (issue 15, item 7) names its source under its title, starts its y axes at zero, uses the
Okabe-Ito palette (told apart with any colour vision, no red against green), draws the monthly signings as two
panels (bars, then the running total as a step line) instead of one panel with two y axes, and comes with the same
numbers as a real <table> (`data_table`), for screen readers and for copying. `wso publicdata report --html`
embeds the same SVG, so its file stands alone without any script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wso.publicdata.sheets import MODEL_NAMES
from wso.publicdata.svg_charts import NARROW, Chart, Panel, Series, render

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, reddish purple, sky blue.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
COLORS = {"TFM": "#0072B2", "WSO": "#E69F00", "JEM": "#009E73", "BOA": "#CC79A7", "IGSA": "#56B4E9"}
SOURCE_SHEETS = "Source: ICE's 287(g) agency sheets (ice.gov)"
SOURCE_COSTS = "Source: this site's estimate, from cited rates"
MODELS_DRAWN = ("TFM", "WSO", "JEM")


def data_table(figure: Chart) -> dict[str, Any]:
    """The chart's numbers as a table: one row per x value, one column per series (what a screen reader reads).

    Read from the chart itself, so the table can never disagree with the drawing it stands beside.
    """
    columns: list[str] = []
    values: dict[str, tuple[float | None, ...]] = {}
    for panel in figure.panels:
        for s in panel.series:
            name = s.column or s.name
            if name not in values:
                columns.append(name)
            values[name] = s.values
    rows = [[x, *(_cell(values[c][i]) for c in columns)] for i, x in enumerate(figure.x)]
    return {"caption": figure.title, "source": figure.source, "columns": [figure.x_label, *columns], "rows": rows}


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if value != int(value) else f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def to_svg(figure: Chart, *, div_id: str) -> str:
    """The drawing alone (the CLI's standalone report, which has no data table beside each chart)."""
    return render(figure, chart_id=div_id, note="")


def chart(figure: Chart, *, div_id: str) -> dict[str, Any]:
    """What a page shows for one chart: the drawing and its data table (rendered by `_macros.html`).

    Two drawings of the same chart: one laid out for a wide screen, one for a phone (public.css shows one of them
    by the screen's width, `display: none` hides the other from screen readers too), so text on a phone stays
    legible instead of shrinking with a wide drawing. A few kilobytes more HTML, before gzip.
    """
    drawings = render(figure, chart_id=div_id, css_class="wide") + render(
        figure, chart_id=f"{div_id}-narrow", width=NARROW, css_class="narrow"
    )
    return {"svg": drawings, "id": div_id, **data_table(figure)}


def growth_chart(rows: Sequence[dict[str, Any]], *, title: str) -> Chart:
    """Agreements per model on each participating sheet, placed by the sheet's date."""
    dates = sorted({r["as_of"] for r in rows})
    counts = {(r["as_of"], r["model"]): r["agreements"] for r in rows}  # two parts of one day: the later one
    series = tuple(
        Series(MODEL_NAMES[m], tuple(counts.get((d, m)) for d in dates), COLORS[m], kind="line")
        for m in MODELS_DRAWN
        if any((d, m) in counts for d in dates)
    )
    return Chart(title, SOURCE_SHEETS, "ICE sheet date", tuple(dates), (Panel("agreements", series),), time_axis=True)


def monthly_chart(rows: Sequence[dict[str, Any]], *, title: str) -> Chart:
    """Agreements signed per month (bars, above) and their running total (below), per model, on one time axis.

    Two panels, each with its own y axis from zero, instead of one panel with two y axes (whose right axis showed a
    negative tick for a running total). The running total is a step line: flat through months with no signing,
    never a slope drawn across empty years. Months are placed by time, so empty years show as gaps.
    """
    dated = [r for r in rows if r["month"] != "undated"]
    months = sorted({r["month"] for r in dated})
    bars, totals = [], []
    for model in MODELS_DRAWN:
        signed = {r["month"]: r["signed"] for r in dated if r["model"] == model}
        if not signed:
            continue
        running, total = [], 0
        for month in months:  # every month any model signed: the total carried (flat)
            total += signed.get(month, 0)
            running.append(total)
        name = MODEL_NAMES[model]
        bars.append(Series(name, tuple(signed.get(m, 0) for m in months), COLORS[model],
                           column=f"{name}: signed that month"))  # fmt: skip
        totals.append(Series(name, tuple(running), COLORS[model], kind="step", column=f"{name}: running total"))
    return Chart(
        title, SOURCE_SHEETS, "month signed", tuple(months),
        (Panel("signed that month", tuple(bars)), Panel("running total", tuple(totals))),
        time_axis=True, height=520,
    )  # fmt: skip


def states_chart(rows: Sequence[dict[str, Any]], *, title: str) -> Chart:
    """Agreements per state, stacked by model."""
    series = tuple(
        Series(MODEL_NAMES[m], tuple(r[m] for r in rows), COLORS[m], column=MODEL_NAMES[m]) for m in MODELS_DRAWN
    )
    return Chart(title, SOURCE_SHEETS, "state", tuple(r["state"] for r in rows), (Panel("agreements", series),))


def models_chart(counts: dict[str, int], *, title: str) -> Chart:
    """Agreements per model, as ICE names them; each bar in its model's colour, its count written over it."""
    codes = {name: code for code, name in MODEL_NAMES.items()}
    series = Series(
        "agreements", tuple(counts.values()), OKABE_ITO[0], labels=tuple(f"{n:,}" for n in counts.values()),
        colors=tuple(COLORS.get(codes.get(n, ""), "#000000") for n in counts), legend=False,
    )  # fmt: skip
    return Chart(title, SOURCE_SHEETS, "model", tuple(counts), (Panel("agreements", (series,)),))


def cost_chart(programs: dict[str, dict[str, float]], *, title: str) -> Chart:
    """Yearly net cost to the agency under each program: what it pays (up), what ICE pays back (down), the net."""
    names = tuple(programs)
    series = [
        Series(label, tuple(programs[n][part] for n in names), color)
        for part, label, color in (
            ("training_usd", "training", COLORS["TFM"]),
            ("officer_time_usd", "officer time", COLORS["WSO"]),
            ("detention_usd", "detention", COLORS["IGSA"]),
        )
    ]
    series.append(Series("paid by ICE", tuple(-programs[n]["reimbursement_usd"] for n in names), COLORS["JEM"]))
    series.append(
        Series("net cost", tuple(programs[n]["net_usd"] for n in names), "#000000", kind="marker",
               labels=tuple(f"${programs[n]['net_usd']:,.0f}" for n in names))
    )  # fmt: skip
    return Chart(title, SOURCE_COSTS, "program", names, (Panel("USD per year", tuple(series)),))
