"""The coordinator's main task in the browser (issue 15, second "Done when"), using only the controls shown:
nominate an officer on the agreement's page, bring them to authorized step by step (each step's form is the
page's "Next step"), withdraw the authorization confirming on the confirmation page, correct it as recorded
in error (confirmed too), and see the officer authorized again. An auditor sees that page with no form.

The demo county on SQLite, served live; Chromium signs in through the password and TOTP code forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import LiveServer
from tests.integration.web_support import next_code
from wso.demo import DEFAULT_DEMO_PASSWORD, demo_totp_secrets, load_demo
from wso.store import tables
from wso.store.db import make_engine
from wso.store.migrate import upgrade
from wso.store.uow import Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory, signing_key_text: str) -> Iterator[dict[str, Any]]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WSO_SIGNING_KEY", signing_key_text)
        env.delenv("WSO_SIGNING_KEY_FILE", raising=False)
        url = f"sqlite:///{tmp_path_factory.mktemp('coordinator') / 'wso.sqlite3'}"
        engine = make_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        store = Store(url)
        try:
            load_demo(store, at=dt.datetime.now(dt.UTC))
            with store.unit_of_work() as uow:
                # An agreement in force: the one an officer of the demo was authorized under.
                agreement = uow.session.scalars(
                    select(tables.Officer.agreement_id).join(
                        tables.Credential, tables.Credential.officer_id == tables.Officer.id
                    )
                ).first()
                totp = demo_totp_secrets(uow)
        finally:
            store.dispose()
        live = LiveServer(url)
        try:
            yield {"server": live, "agreement": agreement, "totp": totp, "last_step": {}}
        finally:
            live.stop()


def _sign_in(browser: Any, site: dict[str, Any], username: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(f"{site['server'].base_url}/login")
    page.fill("#username", username)
    page.fill("#password", DEFAULT_DEMO_PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/login/code")
    page.fill("#code", next_code(site["totp"][username], site["last_step"], username))
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/officers")
    return page


def _checked(page: Any) -> dict[str, Any]:
    """The crawl's checks for a page it cannot reach by GET (the confirmation page answers a POST):
    axe-core violations of any impact at 1280 and 390 px, and no sideways scroll on a phone."""
    from axe_playwright_python.sync_playwright import Axe

    problems: dict[str, Any] = {}
    page.evaluate(Axe().axe_script)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        if found:
            problems[f"axe at {width}"] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if wide > 0:
        problems["scrolls sideways at 390"] = wide
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def _status(page: Any) -> str:
    return page.locator("#authorization-status .status").get_attribute("data-status") or ""


def _next_step(page: Any) -> str:
    heading = page.locator("#next-step-heading")
    return heading.inner_text() if heading.count() else ""


def test_the_coordinator_brings_an_officer_to_authorized_withdraws_and_corrects(
    browser: Any, demo_site: dict[str, Any]
) -> None:
    page = _sign_in(browser, demo_site, "demo-coordinator")
    page.goto(f"{demo_site['server'].base_url}/agreements/{demo_site['agreement']}")
    nominate = page.locator("#form-nominate_officer")
    nominate.locator("input[name=name]").fill("Officer Z. Browser")
    for box in ("citizen_attested", "experience_attested", "facility_training_attested", "inmate_conduct_attested"):
        nominate.locator(f"input[name={box}]").check()
    nominate.locator("button[type=submit]").click()
    page.wait_for_url("**/officers/*")
    officer_url = page.url
    assert page.locator("h1").inner_text().startswith("Officer Z. Browser")

    # Each step is the page's "Next step": the current segment of the step indicator and the form under it.
    assert "Background check" in _next_step(page)
    assert page.locator('[aria-current="step"]').get_attribute("data-step") == "record_background_check"
    page.select_option("#next-step select[name=status]", "cleared")
    page.click("#next-step button[type=submit]")
    page.wait_for_url(officer_url)
    assert "Exam" in _next_step(page)
    page.fill("#next-step input[name=score_percent]", "85")
    page.click("#next-step button[type=submit]")
    page.wait_for_url(officer_url)
    assert "FOD letter" in _next_step(page)
    page.click("#next-step button[type=submit]")
    page.wait_for_url(officer_url)
    assert "Form 70-006" in _next_step(page)
    page.click("#next-step button[type=submit]")
    page.wait_for_url(officer_url)
    assert "Credentials" in _next_step(page)
    page.fill("#next-step input[name=number]", "WSO-BR-1")
    page.click("#next-step button[type=submit]")
    page.wait_for_url(officer_url)
    assert _next_step(page) == "" and page.locator('[aria-current="step"]').count() == 0
    assert _status(page) == "authorized"

    # A withdrawal, from "Other records": the first POST shows its consequences; only Confirm records it.
    page.click("#other-records > summary")
    withdraw = page.locator("#form-withdraw_authorization")
    withdraw.locator("textarea[name=reason]").fill("FOD letter of withdrawal")
    withdraw.locator("button[type=submit]").click()
    page.wait_for_selector("#consequences")
    assert page.locator("h1").inner_text() == "Confirm: Withdraw authorization"
    consequences = page.locator("#consequences").inner_text()
    assert "O5" in consequences and "O6" in consequences
    assert "FOD letter of withdrawal" in page.locator("#entered").inner_text()
    assert _checked(page) == {}
    page.click("#form-confirm button[type=submit]")
    page.wait_for_url(officer_url)
    assert _status(page) != "authorized"

    # Recorded in error: corrected, confirmed, and the officer is authorized again; the entry stays, struck through.
    page.click("#withdrawals details.correct > summary")
    page.fill("#withdrawals textarea[name=reason]", "recorded on the wrong officer")
    page.click("#withdrawals details.correct button[type=submit]")
    page.wait_for_selector("#consequences")
    assert "recorded in error" in page.locator("#consequences").inner_text()
    page.click("#form-confirm button[type=submit]")
    page.wait_for_url(officer_url)
    assert _status(page) == "authorized"
    assert _checked(page) == {}  # the officer's page with a struck-through entry and the step indicator complete
    assert page.locator("#withdrawals del").count() == 1
    assert "recorded on the wrong officer" in page.locator("#withdrawals .voided").inner_text()
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()

    auditor = _sign_in(browser, demo_site, "demo-auditor")
    auditor.goto(officer_url)
    assert auditor.locator("main form[method=post]").count() == 0
    assert "changes to it are recorded by" in auditor.locator("#read-only").inner_text()
    auditor.context.close()
