"""Issue 14, item 6, in Chromium: the main pages, public and records, raise no Content-Security-Policy
violation (no inline script or style, no outside asset), and still work: charts draw, Swagger UI
renders /docs from local assets, the records pages sign in and show the roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.integration.web_support import World, sign_in_page
from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.publicdata.importer import import_sheets
from wso.store.db import make_engine

pytestmark = [pytest.mark.browser, requires_ice_sheets]


@pytest.fixture
def live(live: tuple[LiveServer, World], database_url: str) -> tuple[LiveServer, World]:
    """The two counties served live, with ICE's four shipped sheets imported for the public pages."""
    engine = make_engine(database_url)
    try:
        import_sheets(engine=engine, paths=sorted(Path(ICE_SHEETS).glob("*.xlsx")), now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    return live


WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


# The policy and the markup are the same whichever database serves them: SQLite only (the pages' queries run on both
# databases in tests/integration).
@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_item6_no_csp_violation_on_the_main_pages(browser: object, live: tuple[LiveServer, World]) -> None:
    server, world = live
    context = browser.new_context()  # type: ignore[attr-defined]
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)

    def visit(path: str, ready: str) -> None:
        page.goto(server.base_url + path)
        page.wait_for_selector(ready)
        page.wait_for_timeout(300)  # let late scripts (charts) run and report
        seen = page.evaluate("window.__csp")
        assert seen == [] and console == [], (path, seen, console)

    visit("/", "main")
    visit("/rules", "table")
    visit("/public", "svg#chart-models g.series")
    visit("/public/compare", "svg#chart-costs g.series")
    visit("/public/costs", "form")
    visit("/public/states/FL", "svg#chart-state-growth g.series")
    visit("/docs", ".swagger-ui .info")
    visit("/login", "form.login")
    sign_in_page(page, server.base_url, world, "coord_a")
    page.wait_for_url("**/agencies/*/officers")
    visit(f"/agencies/{world.agency['a']}/officers", "#roster")
    visit(f"/agreements/{world.agreement['a']}", "h1")
    visit(f"/agencies/{world.agency['a']}/complaints", "h1")
    visit(f"/agencies/{world.agency['a']}/due", "h1")
    visit("/account", "#tokens")
    context.close()
