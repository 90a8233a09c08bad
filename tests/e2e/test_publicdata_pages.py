"""The Florida state page and the program comparison show their SVG charts, with no request leaving 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import LiveServer
from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.publicdata.importer import import_sheets
from wso.store.db import make_engine
from wso.store.migrate import upgrade

SHEETS = ICE_SHEETS

pytestmark = [pytest.mark.browser, requires_ice_sheets]


def test_florida_and_comparison_pages_render_charts_offline(browser: object, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wso.sqlite3'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        import_sheets(engine=engine, paths=sorted(SHEETS.glob("*.xlsx")), now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    server = LiveServer(url)
    outside: list[str] = []
    try:
        page = browser.new_page()  # type: ignore[attr-defined]

        def watch(route: object) -> None:
            request_url = route.request.url  # type: ignore[attr-defined]
            if urlparse(request_url).hostname != "127.0.0.1":
                outside.append(request_url)
                route.abort()  # type: ignore[attr-defined]
            else:
                route.continue_()  # type: ignore[attr-defined]

        page.route("**/*", watch)
        page.goto(f"{server.base_url}/public/states/FL")
        page.wait_for_selector("svg#chart-state-growth", timeout=20_000)
        page.wait_for_selector("svg#chart-state-monthly", timeout=20_000)
        assert "requires" in page.inner_text("table.law")
        assert page.locator("#in-force table.agreements tbody tr").count() == 50  # Florida's 309 in force, 50 to a page
        assert "Page 1 of 7" in page.inner_text("nav.pagination")

        page.goto(f"{server.base_url}/public/compare")
        page.wait_for_selector("svg#chart-models", timeout=20_000)
        page.wait_for_selector("svg#chart-costs", timeout=20_000)
        assert page.locator("#aspect-powers td").count() == 5  # WSO, JEM, TFM, BOA and the sources
        assert page.locator("#chart-models g.series rect").count() == 3  # one bar per model
        assert page.locator("#chart-models").get_attribute("role") == "img"
        assert page.locator("script[src]").count() == 0  # no script needed to draw a chart
        page.close()
    finally:
        server.stop()
    assert outside == []
