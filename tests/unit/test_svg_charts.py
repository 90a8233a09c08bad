"""The server-drawn SVG charts (issue 15, items 7 and 8): well-formed, accessible, y from zero, numbers unchanged."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wso.publicdata import charts
from wso.publicdata.svg_charts import Chart, Panel, Series, nice_ticks, render, tick_label

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart: Chart, chart_id: str = "c") -> ET.Element:
    return ET.fromstring(render(chart, chart_id=chart_id))


def _axes(svg: ET.Element) -> list[tuple[float, float]]:
    return [
        (float(g.get("data-from", "")), float(g.get("data-to", "")))
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "y-axis"
    ]


def test_ticks_always_include_zero_and_cover_the_values() -> None:
    assert nice_ticks(37, 415) == [0, 100, 200, 300, 400, 500]
    assert nice_ticks(5, 9) == [0, 2, 4, 6, 8, 10]
    ticks = nice_ticks(-6000, 6440)
    assert 0 in ticks and ticks[0] <= -6000 and ticks[-1] >= 6440
    assert nice_ticks(0, 0) == [0, 1]  # nothing to show still draws an axis
    assert [tick_label(v) for v in (0, 1250, 15_000, -40_000, 1_200_000)] == ["0", "1,250", "15k", "-40k", "1.2M"]


def test_a_chart_is_an_accessible_svg_that_scales() -> None:
    chart = Chart("Agreements by state", "Source: ICE", "state", ("FL", "TX"), (Panel("agreements", (
        Series("Task Force Model", (10, 4), "#0072B2"), Series("Jail Enforcement Model", (3, None), "#009E73"),
    )),))  # fmt: skip
    svg = _parse(chart, "chart-states")
    assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("viewBox") == "0 0 560 380"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}" == "chart-states-title chart-states-desc"
    assert title.text == "Agreements by state" and "Source: ICE" in (desc.text or "")
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "Source: ICE" in texts and "Task Force Model" in texts and "FL" in texts  # source and legend drawn
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 3  # no bar for a missing value
    assert _axes(svg) == [(0, 15)]  # the tallest stack is 13: the axis ends on the next round tick


def test_text_from_the_sheets_is_escaped() -> None:
    chart = Chart('<script>alert("x")</script> & Co', "Source: ICE", "agency", ("A&B <County>",),
                  (Panel("agreements", (Series("Sheriff's <b>", (1,), "#0072B2"),)),))  # fmt: skip
    markup = render(chart, chart_id="c")
    assert "<script>" not in markup and "<b>" not in markup
    svg = ET.fromstring(markup)  # still well-formed XML
    assert svg.find(f"{SVG}title").text == '<script>alert("x")</script> & Co'  # type: ignore[union-attr]


def test_negative_bars_stack_down_from_zero_and_the_axis_covers_them() -> None:
    costs = {"WSO": {"training_usd": 2000.0, "officer_time_usd": 4000.0, "detention_usd": 0.0,
                     "reimbursement_usd": 0.0, "net_usd": 6000.0},
             "BOA": {"training_usd": 2000.0, "officer_time_usd": 4000.0, "detention_usd": 0.0,
                     "reimbursement_usd": 5500.0, "net_usd": 500.0}}  # fmt: skip
    chart = charts.cost_chart(costs, title="Yearly cost")
    svg = _parse(chart)
    ((low, high),) = _axes(svg)
    assert low <= -5500 and high >= 6000
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "$6,000" in texts and "$500" in texts  # the net cost written at its marker
    table = charts.data_table(chart)
    assert table["columns"] == ["program", "training", "officer time", "detention", "paid by ICE", "net cost"]
    assert table["rows"][1] == ["BOA", "2,000", "4,000", "0", "-5,500", "500"]


def test_monthly_chart_has_two_panels_from_zero_and_flat_steps() -> None:
    rows = [
        {"month": "2019-04", "model": "WSO", "signed": 2, "cumulative": 2},
        {"month": "2020-06", "model": "JEM", "signed": 5, "cumulative": 5},
        {"month": "2025-02", "model": "WSO", "signed": 7, "cumulative": 9},
        {"month": "undated", "model": "WSO", "signed": 1, "cumulative": None},
    ]
    chart = charts.monthly_chart(rows, title="Signed per month")
    svg = _parse(chart)
    assert [low for low, _ in _axes(svg)] == [0, 0] and len(_axes(svg)) == 2  # two panels, no second axis on one
    paths = [p.get("d", "") for g in svg.iter(f"{SVG}g") if g.get("class") == "series step" for p in g]
    assert len(paths) == 2 and all(re.fullmatch(r"M[\d. ]+([HV][\d.]+)+", d) for d in paths)
    table = charts.data_table(chart)
    assert [r[0] for r in table["rows"]] == ["2019-04", "2020-06", "2025-02"]  # undated: not placed in a month
    wso_total = table["columns"].index("Warrant Service Officer: running total")
    assert [r[wso_total] for r in table["rows"]] == ["2", "2", "9"]  # carried flat through the empty years
    years = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if re.fullmatch(r"\d{4}", "".join(t.itertext()))]
    assert years[0] == "2019" and years[-1] in ("2024", "2025")  # a time axis: empty years keep their width


def test_palette_is_okabe_ito() -> None:
    chart = charts.states_chart(
        [{"state": "FL", "TFM": 3, "WSO": 2, "JEM": 1}, {"state": "TX", "TFM": 1, "WSO": 0, "JEM": 4}], title="t"
    )
    fills = {r.get("fill") for g in _parse(chart).iter(f"{SVG}g") if g.get("class") == "series bar" for r in g}
    assert fills == {"#0072B2", "#E69F00", "#009E73"} and fills <= set(charts.OKABE_ITO)
