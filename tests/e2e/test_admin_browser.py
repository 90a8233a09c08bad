"""In Chromium, the admin's main task (issue 15, second "Done when"): sign in, create a clerk, see them listed,
deactivate them on the confirmation page, and the deactivated clerk cannot sign in.
Only controls shown on the pages are used (links, fields and buttons by their accessible names).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import LiveServer
from tests.integration.web_support import ZONE, World, sign_in_page

pytestmark = pytest.mark.browser

NEW_USER = "new.clerk"
NEW_PASSWORD = "a long initial passphrase"


def test_the_admin_creates_a_clerk_and_deactivates_them_who_then_cannot_sign_in(
    browser: object, live: tuple[LiveServer, World]
) -> None:
    server, world = live
    context = browser.new_context(timezone_id=ZONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_in_page(page, server.base_url, world, "admin")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Users").click()
    page.wait_for_url("**/users")
    page.get_by_label("User name").fill(NEW_USER)
    page.get_by_label("Role").select_option("clerk")
    page.get_by_label("Agency").select_option(label="Alpha County Sheriff's Office")
    page.get_by_label("Initial password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create user").click()
    page.wait_for_url("**/users/*")
    assert page.get_by_role("heading", level=1).inner_text() == f"User {NEW_USER}"

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Users").click()
    page.wait_for_url("**/users")
    row = page.locator(f'#users tr[data-user="{NEW_USER}"]')
    assert "clerk" in row.inner_text() and "active" in row.inner_text()
    row.get_by_role("link", name=NEW_USER).click()
    page.wait_for_url("**/users/*")
    page.get_by_role("link", name=f"Deactivate {NEW_USER}…").click()
    page.wait_for_url("**/users/*/deactivate")
    assert "end every web session" in page.locator("#consequences").inner_text()
    page.get_by_role("button", name=f"Yes, deactivate {NEW_USER}").click()
    page.wait_for_url(re.compile(r".*/users/[^/]+$"))  # back on the user's page, not the confirmation
    assert page.locator("#user-state").inner_text() == "deactivated"
    context.close()

    stranger = browser.new_context()  # type: ignore[attr-defined]
    login = stranger.new_page()
    login.goto(f"{server.base_url}/login")
    login.get_by_label("User name").fill(NEW_USER)
    login.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    login.get_by_role("button", name="Sign in").click()
    login.wait_for_load_state()
    assert "/login/code" not in login.url and "/login/enrol" not in login.url
    assert "wrong user name or password" in login.get_by_role("alert").inner_text()
    stranger.close()
    assert errors == []
