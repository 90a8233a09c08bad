"""The public pages as a reader uses them (issue 15, items 7 and 8), over a real database holding ICE's July sheets.

Florida's page pages through its agreements 50 at a time and filters them; its CSV downloads with the state's name;
Excel's "#N/A" never shows; every link says what it opens; no project shorthand reaches a reader; responses are
compressed and static files cached; charts are SVG drawn on the server (no plotly.js), use a colour-blind-safe
palette, start at zero and carry their numbers in a data table; what depends only on the sheets is remembered until
the next import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from html import unescape

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.publicdata import memo
from wso.publicdata.charts import OKABE_ITO
from wso.publicdata.exports import COLUMNS
from wso.publicdata.importer import import_sheets
from wso.publicdata.sheets import read_sheet
from wso.store.db import make_engine
from wso.web.app import create_app

JULY = [ICE_SHEETS / "participatingAgencies07182025pm.xlsx", ICE_SHEETS / "pendingAgencies07182025pm.xlsx"]

pytestmark = requires_ice_sheets


@pytest.fixture
def public(database_url: str) -> TestClient:
    engine = make_engine(database_url)
    try:
        import_sheets(engine=engine, paths=JULY, now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    return TestClient(create_app(database_url))


def _in_force_rows(html: str) -> list[str]:
    """The rows of the "in force" table of a state page, as HTML."""
    section = html.split('<section id="in-force"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in section else ""
    return re.findall(r"<tr>.*?</tr>", body, flags=re.S)


def _florida_in_force(public: TestClient) -> list[dict[str, object]]:
    return public.get("/api/v1/public/states/FL").json()["active"]


def test_state_page_shows_50_agreements_a_page(public: TestClient) -> None:
    total = len(_florida_in_force(public))
    pages = math.ceil(total / 50)
    assert total > 100 and pages >= 3  # Florida: one page was 27,420 px tall
    first = public.get("/public/states/FL")
    assert first.status_code == 200
    assert len(_in_force_rows(first.text)) == 50
    assert f"Showing 1–50 of {total}." in first.text and f"Page 1 of {pages}" in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    last = public.get("/public/states/FL", params={"page": pages})
    assert len(_in_force_rows(last.text)) == total - 50 * (pages - 1)
    assert f"Page {pages} of {pages}" in last.text and 'rel="next"' not in last.text
    beyond = public.get("/public/states/FL", params={"page": 999})  # a list that shrank: its last page
    assert beyond.status_code == 200 and f"Page {pages} of {pages}" in beyond.text
    assert public.get("/public/states/FL", params={"page": 0}).status_code == 422
    second = public.get("/public/states/FL", params={"page": 2}).text
    assert set(_in_force_rows(second)).isdisjoint(_in_force_rows(first.text))  # page 2 is other agreements


def test_state_page_filters_by_agency_words_and_model(public: TestClient) -> None:
    expected = [
        a
        for a in _florida_in_force(public)
        if a["model"] == "JEM" and "sheriff" in f"{a['agency']} {a['county']}".casefold()
    ]
    assert 0 < len(expected) < 50
    page = public.get("/public/states/FL", params={"q": "SHERIFF", "model": "jem"})
    assert page.status_code == 200
    rows = _in_force_rows(page.text)
    assert len(rows) == len(expected)
    assert all("Jail Enforcement Model" in r and "sheriff" in unescape(r).casefold() for r in rows)
    assert f"Filtered: {len(expected)} of {len(_florida_in_force(public))}" in page.text
    assert 'value="SHERIFF"' in page.text and '<option value="JEM" selected>' in page.text  # the form keeps it
    none = public.get("/public/states/FL", params={"q": "no such agency anywhere"})
    assert _in_force_rows(none.text) == [] and "In force (latest participating sheet): 0" in none.text
    bad = public.get("/public/states/FL", params={"model": "XX"})
    assert bad.status_code == 422 and "model" in bad.text and "'XX' is not one of WSO, JEM, TFM" in unescape(bad.text)


def test_state_csv_downloads_the_state_with_its_name(public: TestClient) -> None:
    everything = public.get("/api/v1/public/agreements", params={"state": "FL"}).json()
    response = public.get("/public/states/FL.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="ice-287g-agreements-FL.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == len(everything) and {r["state"] for r in rows} == {"FL"}
    assert sorted(r["id"] for r in rows) == sorted(a["id"] for a in everything)
    filtered = public.get("/public/states/fl.csv", params={"model": "JEM"})
    assert filtered.headers["content-disposition"] == 'attachment; filename="ice-287g-agreements-FL-filtered.csv"'
    jem = list(csv.DictReader(io.StringIO(filtered.text)))
    assert jem and len(jem) == sum(a["model"] == "JEM" for a in everything) and {r["model"] for r in jem} == {"JEM"}
    assert public.get("/public/states/ZZ.csv").status_code == 404
    page = public.get("/public/states/FL").text
    assert 'href="/public/states/FL.csv"' in page  # the page offers it


def test_excel_na_is_read_and_shown_as_missing(public: TestClient) -> None:
    sheet = openpyxl.load_workbook(JULY[0], read_only=True).active
    raw = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str) and c.strip() == "#N/A"]
    assert raw, "the July sheet has #N/A cells (else this test proves nothing)"
    read = read_sheet(JULY[0])
    assert all(r.county.upper() != "#N/A" and r.agency_type.upper() != "#N/A" for r in read.rows)
    blank_unflagged = [r for r in read.rows if r.county == "" and not any(f.field == "COUNTY" for f in r.flags)]
    assert len(blank_unflagged) >= len([c for c in raw if c]) - sum(1 for r in read.rows if r.agency_type == "")
    assert all(a["county"] != "#N/A" for a in public.get("/api/v1/public/agreements").json())
    for path in ("/public", "/public/states/FL", "/public/states/FL.csv", "/public/states/TX", "/public/changes"):
        assert "#N/A" not in public.get(path).text, path
    assert "no county given" in public.get("/public/states/FL").text


def _link_texts(html: str) -> list[str]:
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", "", t)).split()) for t in re.findall(r"<a\b[^>]*>(.*?)</a>", html, re.S)
    ]


def test_links_say_what_they_open(public: TestClient) -> None:
    agency = public.get("/api/v1/public/states/FL").json()["active"][0]
    for path in (
        "/public",
        "/public/states/FL",
        "/public/states/TX",
        f"/public/agencies/{agency['agency_id']}",
        f"/public/agreements/{agency['id']}",
        "/public/changes",
        "/public/compare",
    ):
        texts = _link_texts(public.get(path).text)
        vague = [t for t in texts if t.casefold() in ("link", "addendum", "here", "link pending", "")]
        assert texts and vague == [], (path, vague[:5])
    florida = public.get("/public/states/FL").text
    moa = [t for t in _link_texts(florida) if t.startswith("MOA for ")]
    assert len(moa) >= 40 and all(t.endswith("(PDF)") for t in moa if ".pdf" in florida)
    assert any(t.startswith("MOA for ") and "Sheriff" in t for t in moa)


def test_no_project_shorthand_on_public_pages(public: TestClient) -> None:
    compare = public.get("/public/compare").text
    costs = public.get("/public/costs").text
    state = public.get("/public/states/CA").text
    for page in (compare, costs, state, public.get("/public/changes").text):
        assert "PROGRAM.md" not in page and "holds_per_year" not in page and "data/ice/" not in page
        assert "src/wso" not in page
    assert "holds for ice a year: 120" in compare.casefold()
    assert "Holds for ICE a year: 120" in costs


def test_rules_page_has_contents_search_and_readable_values(public: TestClient) -> None:
    everything = public.get("/rules")
    assert everything.status_code == 200
    assert 'aria-labelledby="toc-title"' in everything.text and 'href="#rule-A1"' in everything.text
    assert 'id="rule-A1"' in everything.text
    assert "anchor=first_class_certified" not in everything.text and "from_months=9" not in everything.text
    assert "<dt>Anchor</dt><dd>first class certified</dd>" in everything.text
    assert "<dt>From (months)</dt><dd>9</dd>" in everything.text
    assert "PROGRAM.md" not in everything.text and "data/ice/" not in everything.text  # sources in plain words
    assert "the program's list of sources" in unescape(everything.text)
    total = everything.text.count('<tbody id="rule-')
    found = public.get("/rules", params={"q": "48 hours"})
    shown = found.text.count('<tbody id="rule-')
    assert 0 < shown < total and f"{shown} of {total} rules mention “48 hours”" in found.text
    assert 'value="48 hours"' in found.text
    nothing = public.get("/rules", params={"q": "zebra unicorn"})
    assert '<tbody id="rule-' not in nothing.text and "No rule mentions" in nothing.text


def test_responses_are_compressed_static_files_cached_and_no_plotly(public: TestClient) -> None:
    page = public.get("/public/states/FL", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert "<script" not in page.text and "plotly" not in page.text  # the charts are SVG in the page itself
    assert int(page.headers["content-length"]) < 60_000  # what crossed the wire, compressed, charts included
    assert public.get("/static/vendor/plotly/plotly-basic.min.js").status_code == 404  # no longer shipped
    assert "max-age=86400" in public.get("/static/wso.css").headers["cache-control"]
    assert "max-age" in public.get("/public/static/public.css").headers["cache-control"]
    identity = public.get("/public", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers  # a client that asks for none gets none


SVG = "{http://www.w3.org/2000/svg}"
PAINT_OK = {"#fff", "#ffffff", "#1d2430", "#4a5361", "#d9dde3", "none", *(c.lower() for c in OKABE_ITO)}


def _svgs(html: str) -> dict[str, ET.Element]:
    """Every chart on the page, parsed as XML (so it is well-formed), by id."""
    found = [ET.fromstring(block) for block in re.findall(r"<svg .*?</svg>", html, flags=re.S)]
    return {svg.get("id", ""): svg for svg in found if "svg-chart" in svg.get("class", "")}


def test_charts_are_svg_colour_blind_safe_from_zero_with_source_and_data_table(public: TestClient) -> None:
    html = public.get("/public").text
    svgs = _svgs(html)
    names = {"chart-models", "chart-growth", "chart-monthly", "chart-states"}
    assert set(svgs) == names | {f"{n}-narrow" for n in names}  # each drawn wide and for a phone
    for name, svg in svgs.items():
        assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("viewBox", "").startswith("0 0 ")
        labelled = svg.get("aria-labelledby", "").split()
        assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled, name  # type: ignore[union-attr]
        texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
        assert any(t.startswith("Source: ICE's 287(g) agency sheets") for t in texts), name  # inside the drawing
        paints = {e.get(a, "none").lower() for e in svg.iter() for a in ("fill", "stroke")}
        assert paints <= PAINT_OK, (name, paints - PAINT_OK)  # Okabe-Ito and greys: no red against green
        axes = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "y-axis"]
        ranges = [(float(g.get("data-from", "")), float(g.get("data-to", ""))) for g in axes]
        assert ranges and all(low == 0 < high for low, high in ranges), name  # counts: every y axis from zero
    for monthly in (svgs["chart-monthly"], svgs["chart-monthly-narrow"]):
        assert len([g for g in monthly.iter(f"{SVG}g") if g.get("class") == "y-axis"]) == 2  # two panels, an axis each
        steps = [p.get("d", "") for g in monthly.iter(f"{SVG}g") if g.get("class") == "series step" for p in g]
        assert len(steps) == 3 and all(re.fullmatch(r"M[\d. ]+([HV][\d.]+)+", d) for d in steps)  # flat, then up
    assert "style=" not in html  # presentation attributes only: the strict CSP allows no inline style
    assert html.count('<table class="chart-table">') == 4 and html.count("<caption>Agreements") >= 4
    growth_table = html.split('aria-label="Data table: Agreements on each ICE sheet"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">ICE sheet date</th>' in growth_table and "Task Force Model" in growth_table
    bars = [r for g in svgs["chart-models"].iter(f"{SVG}g") if g.get("class") == "series bar" for r in g]
    heights = [float(r.get("height", 0)) for r in bars if r.tag == f"{SVG}rect"]
    counts = json.loads(public.get("/api/v1/public/summary").text)["agreements_by_model"]
    assert len(heights) == len(counts) and heights == sorted(heights, reverse=True)  # drawn from the same numbers


def test_a_new_import_changes_the_remembered_pages(public: TestClient, database_url: str) -> None:
    """The overview and a state page are remembered between requests, and an import shows on the next one."""
    client = public
    before = client.get("/api/v1/public/summary").json()
    assert client.get("/api/v1/public/summary").json() == before  # the second answer comes from memory
    hits = memo.stats["hits"]
    client.get("/public")
    client.get("/public")
    assert memo.stats["hits"] > hits
    engine = make_engine(database_url)
    try:
        june = ICE_SHEETS / "participatingAgencies06202025am.xlsx"
        import_sheets(engine=engine, paths=[june], now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    after = client.get("/api/v1/public/summary").json()
    assert len(after["snapshots"]) == len(before["snapshots"]) + 1
    assert after["changes"] != before["changes"]  # the link between sheets recomputed with the new sheet
    assert "2025-06-20" in client.get("/public").text  # the page, not only the API
    assert "2025-06-20" in client.get("/public/states/FL").text


def test_cost_form_submitted_as_shown_is_an_estimate(public: TestClient) -> None:
    """The form's own default submit sends the IGSA field empty ("blank: no IGSA"): an estimate, not a 422."""
    form = {
        "holds_per_month": "10", "officers": "4", "hourly_wage_usd": "35", "hours_per_hold": "24",
        "staff_hours_per_hold": "1", "lea_daily_cost_usd": "0", "igsa_bed_rate_usd": "",
    }  # fmt: skip
    page = public.get("/public/costs", params=form)
    assert page.status_code == 200 and 'id="cost-table"' in page.text and "IGSA" not in _link_texts(page.text)
    assert public.get("/public/costs", params={**form, "igsa_bed_rate_usd": "abc"}).status_code == 422
    with_igsa = public.get("/public/costs", params={**form, "igsa_bed_rate_usd": "90"})
    assert with_igsa.status_code == 200 and '<th scope="row">IGSA</th>' in with_igsa.text
