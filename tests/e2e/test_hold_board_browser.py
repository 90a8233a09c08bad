"""In Chromium: a hold from booking to "release required", through the real forms of a live server.

A clerk signs in through the login form, books a person, records an I-200 and clears the person for
release; an authorized WSO serves the warrant and notifies ICE; the board shows the 48-hour countdown
in the facility's zone; a citizenship claim recorded at another desk raises its flag on the open board
without a reload; then the clock is moved past the deadline (WSO_CLOCK_OFFSET, read by the pages and
the worker alike), the worker fires, and the board (signed in again: 49 hours ended the session, S1)
demands release. SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pyotp
import pytest

from tests.conftest import LiveServer
from tests.integration.board_support import PASSWORD, BoardJail, make_board_jail
from wso import settings
from wso.holds import commands as c
from wso.holds import service as s
from wso.holds.commands import ClaimCitizenship
from wso.holds.service import claim_citizenship
from wso.store.uow import Store
from wso.worker.delivery import WorkerConfig
from wso.worker.hooks import default_hooks
from wso.worker.loop import tick
from wso.worker.producers import default_producers

pytestmark = pytest.mark.browser

ZONE = "America/New_York"  # the test jail's facility (tests/integration/records_support.py)
NOW = datetime.now(UTC)


@pytest.fixture
def live(database_url: str) -> Iterator[tuple[LiveServer, BoardJail, Store]]:
    store = Store(database_url)
    jail = make_board_jail(store, at=NOW - timedelta(days=40))
    with store.unit_of_work() as uow:  # the agency's written release-processing standard (H3)
        s.set_release_standard(
            uow,
            actor=jail.jail.coordinator,
            now=NOW - timedelta(days=30),
            command=c.SetReleaseStandard(
                agency_id=jail.jail.county.agency_id,
                minutes=60,
                source="Jail policy 4.2 (test)",
                effective_at=NOW - timedelta(days=30),
            ),
        )
        uow.commit()
    server = LiveServer(database_url)
    try:
        yield server, jail, store
    finally:
        server.stop()
        store.dispose()


def sign_in(page: object, base: str, jail: BoardJail, username: str, *, code: str | None = None) -> None:
    """The password form, then the TOTP code form (every role on the board signs in with a code, S2)."""
    page.goto(f"{base}/login?next=/holds")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("form.login button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/login/code")  # type: ignore[attr-defined]
    page.fill("#code", code or jail.code(username))  # type: ignore[attr-defined]
    page.click("form.login button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/holds")  # type: ignore[attr-defined]


def act(page: object, slug: str, fields: dict[str, str] | None = None, selects: dict[str, str] | None = None) -> None:
    """Fill one action form on the person page and post it; the next page must show no error."""
    for name, value in (fields or {}).items():
        page.fill(f"#action-{slug} [name={name}]", value)  # type: ignore[attr-defined]
    for name, value in (selects or {}).items():
        page.select_option(f"#action-{slug} [name={name}]", value)  # type: ignore[attr-defined]
    invalid = page.evaluate(  # type: ignore[attr-defined]
        "s => [...document.querySelectorAll(s + ' :invalid')].map(e => e.name + ': ' + e.validationMessage)",
        f"#action-{slug}",
    )
    assert not invalid, invalid
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(f"#action-{slug} button[type=submit]")  # type: ignore[attr-defined]
    alerts = page.locator("[role=alert]")  # type: ignore[attr-defined]
    assert alerts.count() == 0, alerts.first.inner_text()


def test_a_hold_from_booking_to_release_required_on_the_live_board(
    browser: object, live: tuple[LiveServer, BoardJail, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, jail, store = live
    base = server.base_url
    context = browser.new_context(timezone_id="Europe/Berlin")  # type: ignore[attr-defined]  # not the jail's zone
    page = context.new_page()
    page.set_default_timeout(20_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    sign_in(page, base, jail, "clerk_1")
    here = datetime.now(ZoneInfo(ZONE))
    page.click("details.book summary")
    page.fill("#book-number", "BK-E2E-1")
    page.fill("#book-name", "Alex Sample")
    page.fill("#book-date", f"{here - timedelta(days=3):%Y-%m-%d}")
    page.fill("#book-release", f"{here - timedelta(minutes=10):%Y-%m-%dT%H:%M}")
    page.click("#book-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/holds/[0-9a-f-]{36}$"))
    person_url = page.url
    act(
        page,
        "warrant",
        {"number": "W-E2E-1", "issuing_officer": "SDDO R. Vance", "issued_on": f"{here - timedelta(days=1):%Y-%m-%d}"},
        {"form": "I-200"},
    )
    assert "I-200" in page.locator("#summary").inner_text()
    act(page, "clear")
    assert "cleared for release" in page.locator("#timeline").inner_text()
    with page.expect_navigation():
        page.click("text=Sign out")

    sign_in(page, base, jail, "wso_1")
    page.goto(person_url)
    act(page, "serve", {"warrant_number": "W-E2E-1"})
    assert page.locator("#status").inner_text() == "held for ice"
    assert "ICE not notified" in page.locator("#summary").inner_text()
    act(page, "notify-ice", {"to": "ERO Miami duty officer"}, {"how": "phone"})
    assert "ICE not notified" not in page.locator("#summary").inner_text()

    page.goto(f"{base}/holds")
    row = page.locator("tr.hold", has_text="Alex Sample")
    assert "America/New_York" in row.inner_text()
    countdown = row.locator(".countdown")
    first = countdown.inner_text()
    assert re.fullmatch(r"in 4[67] h \d\d min \d\d s", first), first
    page.wait_for_function("t => document.querySelector('tr.hold .countdown').textContent !== t", arg=first)

    # A claim recorded elsewhere (another desk) reaches the open board in place: no reload, no navigation.
    hold_id = person_url.rsplit("/", 1)[1]
    with store.unit_of_work() as uow:
        claim_citizenship(
            uow, actor=jail.jail.supervisor, hold_id=hold_id, command=ClaimCitizenship(), now=settings.now()
        )
        uow.commit()
    page.locator("tr.hold", has_text="citizenship claim open").wait_for()
    row = page.locator("tr.hold", has_text="Alex Sample")
    assert "citizenship claim open" in row.inner_text()
    assert "release required" not in row.inner_text()

    # Forty-nine hours later (the pages' and the worker's one clock), the worker fires the deadline.
    monkeypatch.setenv("WSO_CLOCK_OFFSET", str(49 * 3600))
    config = WorkerConfig(worker_id="e2e", clock=settings.now, on_fired=default_hooks())
    fired, _ = tick(store, config, default_producers(), reconcile_every=timedelta(0))
    assert fired >= 1
    # 49 hours on, the clerk's session has ended (S1: idle lock and absolute limit): sign in again.
    sign_in(page, base, jail, "clerk_1", code=pyotp.TOTP(jail.totp["clerk_1"]).at(settings.now()))
    page.locator("tr.hold.past-deadline", has_text="Alex Sample").wait_for()
    row = page.locator("tr.hold", has_text="Alex Sample")
    text = row.inner_text()
    assert "release required" in text and "past deadline" in text and "release now" in text
    assert re.search(r"\d+ h \d\d min \d\d s past", row.locator(".countdown").inner_text())
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
    context.close()
