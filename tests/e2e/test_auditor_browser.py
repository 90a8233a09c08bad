"""In Chromium, the auditor's main task (issue 15, second "Done when"): sign in, open an officer's page, follow
"History" and read who recorded what and when, then open the ledger page, run the check and read "intact".
Only controls shown on the pages are used (links and buttons by their accessible names).
"""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer
from tests.integration.web_support import ZONE, World, sign_in_page

pytestmark = pytest.mark.browser

OFFICER = "Jordan Reyes"


def test_the_auditor_reads_an_officers_history_and_checks_the_ledger(
    browser: object, live: tuple[LiveServer, World]
) -> None:
    server, world = live
    # The coordinator nominates an officer through the API: the history's first event, by them.
    made = httpx.post(
        f"{server.base_url}/api/v1/agreements/{world.agreement['a']}/officers",
        json={
            "name": OFFICER,
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
        headers=world.headers("coord_a"),
    )
    assert made.status_code == 201, made.text
    context = browser.new_context(timezone_id=ZONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_in_page(page, server.base_url, world, "auditor")
    page.wait_for_url("**/agencies/*/officers")
    page.get_by_role("link", name=OFFICER).click()
    page.wait_for_url("**/officers/*")
    page.get_by_role("link", name="History", exact=True).click()
    page.wait_for_url("**/officers/*/history")
    assert page.get_by_role("heading", level=1).inner_text() == f"History: Officer {OFFICER}"
    first = page.locator('#history tr[data-seq="1"]')
    assert first.locator(".who-did").inner_text() == "coord_a (coordinator)"
    assert "Officer nominated" in first.inner_text()
    assert first.locator("time").get_attribute("datetime")  # when: ISO in <time>, local time shown
    assert first.locator(".verifies").inner_text().startswith("✓")

    # On paper (print.css): no navigation, forms or buttons; record links with their address; who printed it.
    page.emulate_media(media="print")
    assert not page.locator("header.top nav").is_visible()
    assert not page.get_by_role("link", name="History", exact=True).is_visible()
    assert page.locator("footer .print-only").inner_text().startswith(" · printed ")
    assert "by auditor" in page.locator("footer .print-only").inner_text()
    back = page.locator("main p a").first
    after = back.evaluate("a => getComputedStyle(a, '::after').content")
    assert "/officers/" in after, after
    page.emulate_media(media="screen")
    assert not page.locator("footer .print-only").is_visible()

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Ledger").click()
    page.wait_for_url("**/ledger")
    page.get_by_role("button", name="Check the ledger").click()
    page.wait_for_url("**/ledger?check=1")
    result = page.locator("#ledger-result").inner_text()
    assert "Ledger intact" in result and "events in" in result, result
    context.close()
    assert errors == []
