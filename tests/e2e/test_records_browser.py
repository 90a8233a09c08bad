"""In Chromium: a coordinator signs in and takes an officer from nomination to "authorized",
sees the roster say so with its reasons, then records ICE's withdrawal and sees "not authorized"
with the O5 reason. Every step goes through the real forms (CSRF included) of a live server.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import LiveServer
from tests.integration.web_support import ZONE, World, sign_in_page

pytestmark = pytest.mark.browser

OFFICER = "Jordan Reyes"


def local(days_ago: float) -> str:
    """A `datetime-local` value in the agency's zone, as a person types it."""
    return f"{datetime.now(ZoneInfo(ZONE)) - timedelta(days=days_ago):%Y-%m-%dT%H:%M}"


def submit(page: object, form: str, fields: dict[str, str]) -> None:
    """Fill one command form on the current page and post it; the next page must not be an error. A form
    that is not the officer's next step is under "Other records" (opened as a user would); a serious act
    answers with its confirmation page, confirmed here."""
    if page.locator(f"#other-records #form-{form}").count() and not page.locator("#other-records[open]").count():  # type: ignore[attr-defined]
        page.click("#other-records > summary")  # type: ignore[attr-defined]
    for name, value in fields.items():
        page.fill(f"#form-{form} [name={name}]", value)  # type: ignore[attr-defined]
    page.click(f"#form-{form} button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    if page.locator("#form-confirm").count():  # type: ignore[attr-defined]
        page.click("#form-confirm button[type=submit]")  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.locator("[role=alert]").count() == 0, page.locator("[role=alert]").first.inner_text()  # type: ignore[attr-defined]


def roster_row(page: object) -> object:
    page.click("nav >> text=Officers")  # type: ignore[attr-defined]
    return page.locator(f'#roster tr[data-officer="{OFFICER}"]')  # type: ignore[attr-defined]


def test_officer_from_nomination_to_authorized_then_withdrawn(browser: object, live: tuple[LiveServer, World]) -> None:
    server, world = live
    context = browser.new_context(timezone_id=ZONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)

    sign_in_page(page, server.base_url, world, "coord_a")
    page.wait_for_url("**/agencies/*/officers")

    page.click("#roster >> text=WSO agreement")
    page.fill("#form-nominate_officer [name=name]", OFFICER)
    for attestation in (
        "citizen_attested",
        "experience_attested",
        "facility_training_attested",
        "inmate_conduct_attested",
    ):
        page.check(f"#form-nominate_officer [name={attestation}]")
    page.click("#form-nominate_officer button[type=submit]")
    page.wait_for_url("**/officers/*")
    assert page.inner_text("h1").startswith(OFFICER)
    assert page.inner_text("#authorization-status").strip() == "not authorized"

    submit(page, "record_exam_attempt", {"taken_at": local(6), "score_percent": "64"})
    assert "retake allowed" in page.inner_text("ol.path")
    submit(page, "record_exam_attempt", {"taken_at": local(5), "score_percent": "88"})
    assert "certified" in page.inner_text("ol.path")
    submit(page, "record_authorization_letter", {"signed_at": local(4)})
    submit(page, "record_form_70_006", {"signed_at": local(3)})
    submit(page, "issue_credentials", {"issued_at": local(2), "number": "WSO-0042"})
    assert page.inner_text("#authorization-status").strip() == "authorized"

    row = roster_row(page)
    assert row.locator(".authorization").inner_text().strip() == "authorized"  # type: ignore[attr-defined]
    reasons = row.locator("ul.reasons").inner_text()  # type: ignore[attr-defined]
    assert "O4" in reasons, reasons

    row.locator("a").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/officers/*")
    submit(
        page,
        "withdraw_authorization",
        {"notice_at": local(1), "effective_at": local(1), "reason": "FOD letter of withdrawal"},
    )
    assert page.inner_text("#authorization-status").strip() == "not authorized"

    row = roster_row(page)
    assert row.locator(".authorization").inner_text().strip() == "not authorized"  # type: ignore[attr-defined]
    assert "O5" in row.locator("ul.reasons").inner_text()  # type: ignore[attr-defined]
    context.close()
