"""A member of the public in Chromium (issue 15, "Done when"): opens Florida's page, filters its agreements and
downloads the state's CSV; and at 390 px wide the public pages scroll only downwards, log no console error, and
axe-core finds no violation of any impact on them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.publicdata.importer import import_sheets
from wso.store.db import make_engine
from wso.store.migrate import upgrade

pytestmark = [pytest.mark.browser, requires_ice_sheets]

PHONE = {"width": 390, "height": 844}
PAGES = ("/public", "/public/states/FL", "/public/compare", "/public/costs", "/rules")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app over SQLite holding every shipped ICE sheet."""
    url = f"sqlite:///{tmp_path_factory.mktemp('public') / 'wso.sqlite3'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        import_sheets(engine=engine, paths=sorted(ICE_SHEETS.glob("*.xlsx")), now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    live = LiveServer(url)
    try:
        yield live
    finally:
        live.stop()


def _console_errors(page: object) -> list[str]:
    """Console errors and uncaught exceptions of a page; the browser's own favicon request is not the page's."""
    errors: list[str] = []

    def on_console(message: object) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):  # type: ignore[attr-defined]
            errors.append(f"{message.text} at {message.location.get('url')}")  # type: ignore[attr-defined]

    page.on("console", on_console)  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: errors.append(str(exc)))  # type: ignore[attr-defined]
    return errors


def test_a_member_of_the_public_filters_florida_and_downloads_its_csv(
    browser: object, server: LiveServer, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    errors = _console_errors(page)
    page.goto(f"{server.base_url}/public")
    page.get_by_role("link", name="Florida", exact=True).first.click()
    page.wait_for_url("**/public/states/FL")
    page.wait_for_selector("svg#chart-state-growth[role=img]")
    assert page.locator("#in-force table.agreements tbody tr").count() == 50
    assert "Page 1 of " in page.inner_text("nav.pagination")

    page.get_by_label("Agency or county contains").fill("sheriff")
    page.get_by_label("Model").select_option("JEM")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/public/states/FL?*q=sheriff*")
    rows = page.locator("#in-force table.agreements tbody tr")
    assert 0 < rows.count() < 50
    for text in rows.all_inner_texts():
        assert "Jail Enforcement Model" in text and "sheriff" in text.casefold()
    shown = rows.count()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download these agreements (CSV)").click()
    download = info.value
    assert download.suggested_filename == "ice-287g-agreements-FL-filtered.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    lines = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    # The CSV holds every agreement ever listed that the filter keeps; the page's "in force" list is among them.
    assert len(lines) >= shown and {r["state"] for r in lines} == {"FL"} and {r["model"] for r in lines} == {"JEM"}

    with page.expect_download() as info:
        page.get_by_role("link", name="Download all of Florida's agreements (CSV)").click()
    assert info.value.suggested_filename == "ice-287g-agreements-FL.csv"
    whole = tmp_path / info.value.suggested_filename
    info.value.save_as(whole)
    state_rows = list(csv.DictReader(io.StringIO(whole.read_text(encoding="utf-8"))))
    # That state's rows only, and all of them (more than the filtered download held).
    assert len(state_rows) > len(lines) and {r["state"] for r in state_rows} == {"FL"}
    context.close()
    assert errors == []


def test_public_pages_fit_a_phone_log_no_error_and_pass_axe(browser: object, server: LiveServer) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    errors = _console_errors(page)
    problems: dict[str, object] = {}
    for path in PAGES:
        page.goto(server.base_url + path)
        page.wait_for_load_state("load")
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if wide > 0:
            problems[f"{path}: scrolls sideways"] = wide
        for chart in page.locator("svg.svg-chart").all():  # drawn on the server: the phone drawing, at about 1:1
            box = chart.bounding_box()
            if box is None:  # the wide drawing, hidden at this width
                if "wide" not in (chart.get_attribute("class") or ""):
                    problems[f"{path}: phone chart {chart.get_attribute('id')} hidden"] = True
                continue
            figure = chart.locator("xpath=ancestor::figure").bounding_box()
            if figure is None or box["width"] > figure["width"] or box["width"] < 0.8 * 340:
                problems[f"{path}: chart {chart.get_attribute('id')} does not fit or its text shrinks"] = (box, figure)
        if page.locator("script[src*=plotly]").count():
            problems[f"{path}: plotly.js loaded"] = True
        violations = axe.run(page).response["violations"]
        if violations:
            problems[f"{path}: axe"] = [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]
        if errors:
            problems[f"{path}: console"] = list(errors)
            errors.clear()
    context.close()
    assert problems == {}
