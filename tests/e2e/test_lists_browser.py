"""In Chromium: a coordinator works the roster of 60 officers through its controls alone (the search and filter
form, a column header, the pages), and every view is an address; at 1280 and 390 px wide the controls and the
pages fit (no sideways scroll) and axe-core finds no violation of any impact."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.integration.web_support import ZONE, World, sign_in_page
from wso.demo.crowd import add_officers
from wso.store.uow import Store

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live(live: tuple[LiveServer, World], database_url: str) -> tuple[LiveServer, World]:
    """The two counties served live, with 60 officers on the first county's roster (three pages of 25)."""
    store = Store(database_url)
    try:
        add_officers(store, agreement_id=live[1].agreement["a"], count=60, at=datetime.now(UTC))
    finally:
        store.dispose()
    return live


def _clean(page: Any) -> dict[str, Any]:
    from axe_playwright_python.sync_playwright import Axe

    problems: dict[str, Any] = {}
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if wide > 0:
            problems[f"scrolls sideways at {size['width']}"] = wide
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(Axe().axe_script)
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        if found:
            problems[f"axe at {size['width']}"] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    page.set_viewport_size(WIDE)
    return problems


# The controls are the browser's part; the lists' queries behind them run on both databases in
# tests/integration/test_records_lists.py, so the browser walks them on SQLite only.
@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_the_roster_is_worked_through_its_controls_on_a_desk_and_a_phone(
    browser: Any, live: tuple[LiveServer, World]
) -> None:
    server, world = live
    page = browser.new_context(timezone_id=ZONE).new_page()
    page.set_default_timeout(15_000)
    sign_in_page(page, server.base_url, world, "coord_a")
    page.wait_for_url("**/agencies/*/officers")
    assert "Showing 1-25 of 60 officers" in page.inner_text(".list-summary")
    assert _clean(page) == {}

    page.click("nav.usa-pagination >> text=Next")
    page.wait_for_url("**/officers?page=2")
    assert "Showing 26-50 of 60 officers" in page.inner_text(".list-summary")
    assert page.locator('nav.usa-pagination [aria-current="page"]').inner_text() == "2"
    assert _clean(page) == {}

    page.fill("#roster-q", "synthetic")
    page.select_option("#roster-status", "authorized")
    page.click("form.list-controls button[type=submit]")
    page.wait_for_load_state()
    assert "q=synthetic" in page.url and "status=authorized" in page.url and "page=" not in page.url
    statuses = page.locator("#roster td.authorization").all_inner_texts()
    assert statuses and {s.strip() for s in statuses} == {"authorized"}

    page.click("#roster th >> text=Badge")
    page.wait_for_load_state()
    assert page.locator('#roster th[aria-sort="ascending"]').inner_text().startswith("Badge")
    page.click("#roster th >> text=Badge")
    page.wait_for_load_state()
    assert "order=desc" in page.url and "status=authorized" in page.url
    badges = [b.strip() for b in page.locator('#roster td[data-label="Badge"]').all_inner_texts()]
    assert badges == sorted(badges, reverse=True)
    assert _clean(page) == {}
