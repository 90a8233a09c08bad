"""Every page type, as each of the six roles and anonymously, in Chromium at 1280 and 390 px (issue 15, first
"Done when"): no console error, no sideways scroll on a phone, no axe-core violation of any impact, and every
error path (an unknown page, a record that does not exist, a form's URL opened with GET, a page the
role may not see) an HTML page in the site's layout, showing who is signed in.

One server over the demo county (every role, officers at every stage, complaints, holds) and two of ICE's sheets;
the module's one Chromium and one signed-in context per role, reused by that role's page types. Each page is
loaded once: checked at 1280 px, then the same page resized to 390 px and checked again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from tests.conftest import LiveServer
from tests.integration.web_support import next_code
from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.demo import DEFAULT_DEMO_PASSWORD, DEMO_USERS, demo_totp_secrets, load_demo
from wso.holds.tables import Hold
from wso.publicdata.importer import import_sheets
from wso.publicdata.tables import Agreement as PublicAgreement
from wso.store import tables
from wso.store.db import make_engine
from wso.store.migrate import upgrade
from wso.store.uow import Store

# One worker runs the whole crawl (`make test` uses --dist loadgroup): one server, one browser, one sign-in per role.
pytestmark = [pytest.mark.browser, requires_ice_sheets, pytest.mark.xdist_group("crawl")]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MISSING = "00000000-0000-0000-0000-000000000000"
ROLES = tuple(role for _, role in DEMO_USERS)
ANONYMOUS = "anonymous"

# Page types anyone may open: (name, path); `{...}` is filled from the site's records.
PUBLIC_PAGES = (
    ("home", "/"),
    ("rules", "/rules"),
    ("rules-search", "/rules?q=exam"),
    ("public", "/public"),
    ("public-state", "/public/states/FL"),
    ("public-agency", "/public/agencies/{public_agency}"),
    ("public-agreement", "/public/agreements/{public_agreement}"),
    ("public-changes", "/public/changes"),
    ("public-compare", "/public/compare"),
    ("public-costs", "/public/costs"),
    ("login", "/login"),
)
# Page types behind sign-in (anonymously each ends on the sign-in form).
RECORD_PAGES = (
    ("agencies", "/agencies"),
    ("agency", "/agencies/{agency}"),
    ("agreement", "/agreements/{agreement}"),
    ("roster", "/agencies/{agency}/officers"),
    # The lists' views (issue 15 item 5): searched, filtered, sorted and "as of" an earlier instant.
    ("roster-search", "/agencies/{agency}/officers?q=a&status=not_authorized&sort=authorization&order=desc"),
    ("roster-as-of", "/agencies/{agency}/officers?at=2026-06-01T12:00"),
    ("officer", "/officers/{officer}"),
    ("complaints", "/agencies/{agency}/complaints"),
    ("complaints-filtered", "/agencies/{agency}/complaints?status=open&sort=deadline&order=desc&q=e"),
    ("agency-agreements-sorted", "/agencies/{agency}?sort=status&order=desc&at=2026-06-01T12:00"),
    ("due-as-of", "/agencies/{agency}/due?at=2026-06-01T12:00"),
    ("complaint", "/complaints/{complaint}"),
    ("due", "/agencies/{agency}/due"),
    ("holds", "/holds"),
    ("hold", "/holds/{hold}"),
    ("account", "/account"),
    ("officer-history", "/officers/{officer}/history"),
    ("agreement-history", "/agreements/{agreement}/history"),
    ("complaint-history", "/complaints/{complaint}/history"),
    ("hold-history", "/holds/{hold}/history"),
)
# Page types only some roles may open: (name, path, the status per role); anonymously each ends on the sign-in form.
ADMIN_ONLY = {ANONYMOUS: 200, "admin": 200} | dict.fromkeys(set(ROLES) - {"admin"}, 403)
ROLE_PAGES: tuple[tuple[str, str, dict[str, int]], ...] = (
    (
        "ledger",
        "/ledger",
        {ANONYMOUS: 200, "auditor": 200, "admin": 200} | dict.fromkeys(set(ROLES) - {"auditor", "admin"}, 403),
    ),
    (
        "ledger-check",
        "/ledger?check=1",
        {ANONYMOUS: 200, "auditor": 200, "admin": 200} | dict.fromkeys(set(ROLES) - {"auditor", "admin"}, 403),
    ),
    ("user", "/users/{user}", ADMIN_ONLY),  # with the forms to reset, the tokens and the issue form
    ("user-deactivate", "/users/{user}/deactivate", ADMIN_ONLY),  # the confirmation page
)
# Error paths: (name, path, the status every role gets, or a role -> status map).
ERROR_PAGES: tuple[tuple[str, str, int | dict[str, int]], ...] = (
    ("unknown-page", "/no-such-page", 404),
    ("unknown-public-page", "/public/no-such-page", 404),
    ("public-bad-query", "/public/costs?officers=abc&holds_per_month=-1", 422),
    ("public-unknown-state", "/public/states/ZZ", 404),
    ("public-missing-agreement", f"/public/agreements/{MISSING}", 404),
    ("missing-officer", f"/officers/{MISSING}", {ANONYMOUS: 200} | dict.fromkeys(ROLES, 404)),
    ("missing-officer-history", f"/officers/{MISSING}/history", {ANONYMOUS: 200} | dict.fromkeys(ROLES, 404)),
    ("missing-complaint", f"/complaints/{MISSING}", {ANONYMOUS: 200} | dict.fromkeys(ROLES, 404)),
    # Reloading a form's URL by address: a 303 to the record's page at the form (wso.http.page_routes), never a 405.
    ("reload-form", "/officers/{officer}/exam-attempts", 200),
    ("roster-bad-page", "/agencies/{agency}/officers?page=abc", {ANONYMOUS: 200} | dict.fromkeys(ROLES, 422)),
    (
        "complaints-bad-sort",
        "/agencies/{agency}/complaints?sort=nonsense",
        {ANONYMOUS: 200} | dict.fromkeys(ROLES, 422),
    ),
    ("users-forbidden", "/users", {ANONYMOUS: 200, "admin": 200} | dict.fromkeys(set(ROLES) - {"admin"}, 403)),
)

# The innermost elements reaching past the right edge: what makes a page scroll sideways.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const over = e => e.getBoundingClientRect().right > edge;
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  const inner = [...document.querySelectorAll("body *")].filter(e => over(e) && ![...e.children].some(over));
  return inner.slice(0, 5).map(name);
}"""

# The public pages' charts are SVG drawn on the server (no script): each must fit the phone's width.
FITTED = """() => [...document.querySelectorAll("svg.svg-chart")]
  .every(svg => svg.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)"""

# The site's header as the checks need it, read in one evaluation: the brand link, who is signed in (the visible
# text, as Playwright's inner_text gives it), the records menu's "Officers" link, and any "Sign in" text (both
# matched as Playwright's has_text matches: ignoring case).
HEADER = """() => {
  const header = document.querySelector("header.top");
  const links = header ? [...header.querySelectorAll("nav a")] : [];
  return {
    brands: document.querySelectorAll("header.top a.brand").length,
    who: header ? [...header.querySelectorAll(".whoami")].map(e => e.innerText) : [],
    officers_links: links.filter(a => a.textContent.toLowerCase().includes("officers")).length,
    sign_in: header ? /sign\\s+in/i.test(header.textContent) : false,
  };
}"""

# Known problems the crawl found and that are not fixed yet: (role, page) -> what. Strict: fixing one fails its xfail.
KNOWN: dict[tuple[str, str], str] = {}


@dataclass
class Site:
    server: LiveServer
    ids: dict[str, str]
    totp: dict[str, str]
    last_step: dict[str, int] = field(default_factory=dict)
    contexts: dict[str, Any] = field(default_factory=dict)
    tabs: dict[str, Any] = field(default_factory=dict)  # role -> the one tab its page types are opened in
    code_page: dict[str, Any] = field(default_factory=dict)  # role -> what the sign-in code page showed


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, signing_key_text: str) -> Iterator[Site]:
    """The demo county and two of ICE's sheets on SQLite, served live (the ledger signed with the session's key)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WSO_SIGNING_KEY", signing_key_text)
        env.delenv("WSO_SIGNING_KEY_FILE", raising=False)
        yield from _site(tmp_path_factory)


def _site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('crawl') / 'wso.sqlite3'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        import_sheets(engine=engine, paths=sorted(ICE_SHEETS.glob("*.xlsx"))[-2:], now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    store = Store(url)
    try:
        load_demo(store, at=dt.datetime.now(dt.UTC))
        with store.unit_of_work() as uow:
            s = uow.session
            public = s.scalars(select(PublicAgreement).where(PublicAgreement.state == "FL")).first()
            assert public is not None
            ids = {
                "agency": s.scalars(select(tables.Agency.id)).one(),
                "agreement": s.scalars(select(tables.Agreement.id)).first(),
                "officer": s.scalars(select(tables.Officer.id)).first(),
                "complaint": s.scalars(select(tables.Complaint.id)).first(),
                "hold": s.scalars(select(Hold.id)).first(),
                "user": s.scalars(select(tables.User.id).where(tables.User.username == "demo-clerk")).one(),
                "public_agency": public.agency_id,
                "public_agreement": quote(public.id, safe=""),
            }
            totp = demo_totp_secrets(uow)
    finally:
        store.dispose()
    live = LiveServer(url)
    try:
        yield Site(server=live, ids=ids, totp=totp)  # its contexts close with the module's Chromium
    finally:
        live.stop()


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def context_for(site: Site, chromium: Any, axe: Any, role: str) -> Any:
    """The role's browser context, signed in through the password and code forms on first use."""
    if role not in site.contexts:
        context = chromium.new_context(viewport=WIDE, timezone_id="America/New_York")
        context.set_default_timeout(15_000)
        context.add_init_script(script=axe.axe_script)  # axe-core in every document the role opens, sent once
        if role != ANONYMOUS:
            username = f"demo-{role}"
            page = context.new_page()
            page.goto(f"{site.server.base_url}/login")
            page.fill("#username", username)
            page.fill("#password", DEFAULT_DEMO_PASSWORD)
            page.click("form.login button[type=submit]")
            page.wait_for_url("**/login/code")
            site.code_page[role] = {
                "axe": _violations(page),
                "wide": page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
            }
            page.fill("#code", next_code(site.totp[username], site.last_step, username))
            page.click("form.login button[type=submit]")
            page.wait_for_url("**/officers")  # after sign-in: the roster of the home agency
            page.close()
        site.contexts[role] = context
    return site.contexts[role]


def tab_for(site: Site, chromium: Any, axe: Any, role: str) -> Any:
    """The role's one tab: each page type is a navigation in it, not a new tab (a new renderer each time)."""
    if role not in site.tabs:
        site.tabs[role] = context_for(site, chromium, axe, role).new_page()
    return site.tabs[role]


# Everything is crawled anonymously and as the coordinator, axe-core run at both widths. The public pages and the
# error page differ by role only in the header, so the other roles open the home page, every records page and the
# error paths whose answer depends on the role, with axe-core run at 390 px (the same markup, the narrower layout).
FULL = (ANONYMOUS, "coordinator")
ANONYMOUS_RECORD_PAGES = {"officer", "holds"}  # every records page sends a stranger to the same sign-in form
OTHER_ROLES_PAGES = {
    "home",
    *(name for name, _ in RECORD_PAGES),
    "missing-officer",
    "users-forbidden",
    *(name for name, _, _ in ROLE_PAGES),
}


def _cases() -> Iterator[Any]:
    pages: list[tuple[str, str, int | dict[str, int] | None]] = [(n, p, None) for n, p in PUBLIC_PAGES + RECORD_PAGES]
    for role in (ANONYMOUS, *ROLES):
        for name, path, status in pages + list(ROLE_PAGES) + list(ERROR_PAGES):
            if role == ANONYMOUS and name in dict(RECORD_PAGES) and name not in ANONYMOUS_RECORD_PAGES:
                continue
            if role not in FULL and name not in OTHER_ROLES_PAGES:
                continue
            if role != ANONYMOUS and name == "login":
                continue  # a signed-in user has no sign-in form to look at
            expected = status.get(role) if isinstance(status, dict) else status
            marks = []
            if (role, name) in KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[(role, name)]))
            yield pytest.param(role, name, path, expected, id=f"{role}-{name}", marks=marks)


def _violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """axe-core's violations of any impact, run in the page as it is drawn now (at either width); the script is in
    every document already (context_for's init script), so nothing is sent but the call."""
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


@pytest.mark.parametrize(("role", "name", "path", "status"), list(_cases()))
def test_page_as_role_at_desk_and_phone(
    site: Site, chromium: Any, axe: Any, role: str, name: str, path: str, status: int | None
) -> None:
    page = tab_for(site, chromium, axe, role)
    errors: list[str] = []
    target = site.server.base_url + path.format(**site.ids)

    def on_console(message: Any) -> None:
        # Chromium logs every non-2xx document as "Failed to load resource"; an error path's own status is expected.
        if message.type == "error" and not (status and status >= 400 and message.location.get("url") == target):
            errors.append(f"{message.text} at {message.location.get('url')}")

    def on_page_error(exc: Any) -> None:
        errors.append(str(exc))

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    problems: dict[str, Any] = {}
    try:
        page.set_viewport_size(WIDE)
        response = page.goto(target)
        assert response is not None
        page.wait_for_load_state("load")
        expected = status if status is not None else 200
        if response.status != expected:
            problems["status"] = (response.status, expected)
        if "text/html" not in (response.headers.get("content-type") or ""):
            problems["content-type"] = response.headers.get("content-type")
        header = page.evaluate(HEADER)  # one round trip to the browser for every check of the site's header
        if header["brands"] != 1:
            problems["site header"] = "missing"
        signed_in = header["who"]
        if role == ANONYMOUS:
            if signed_in:
                problems["who"] = signed_in
        else:
            if not signed_in or role not in signed_in[0]:
                problems["who"] = signed_in or "no signed-in user shown"
            if header["officers_links"] != 1:
                problems["records menu"] = "missing"
            if header["sign_in"]:
                problems["sign in link"] = "shown to a signed-in user"
        if role in FULL and (violations := _violations(page)):
            problems["axe at 1280"] = violations

        page.set_viewport_size(PHONE)
        if not page.evaluate(FITTED):
            problems["chart wider than 390"] = True
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if wide > 0:
            problems[f"scrolls sideways at 390 by {wide} px"] = page.evaluate(WIDEST)
        if violations := _violations(page):
            problems["axe at 390"] = violations
        if errors:
            problems["console"] = errors
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
    assert not problems, f"{role} {path}: {problems}"


def test_the_sign_in_code_page_passes_axe(site: Site, chromium: Any, axe: Any) -> None:
    """The second sign-in step (only reachable between the password and the code) is checked on the way in."""
    context_for(site, chromium, axe, "clerk")
    assert site.code_page["clerk"] == {"axe": [], "wide": 0}


def test_a_refused_form_shows_the_error_summary_focused_and_passes_axe(site: Site, chromium: Any, axe: Any) -> None:
    """Issue 15 item 4 in the browser: a form refused for two fields at once (nothing is written) draws the error
    summary, focused, each link moving focus to its field; axe-core, the console and the phone width stay clean."""
    context = context_for(site, chromium, axe, "coordinator")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "422" not in m.text else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.set_viewport_size(WIDE)
        officer = f"{site.server.base_url}/officers/{site.ids['officer']}"
        page.goto(officer)
        if not page.is_visible("#form-record_exam_attempt"):  # not the officer's next step: under "Other records"
            page.get_by_text("Other records", exact=True).click()
        page.fill("#record_exam_attempt-taken_at", "")
        page.fill("#record_exam_attempt-score_percent", "")
        page.click("#form-record_exam_attempt button[type=submit]")
        page.wait_for_load_state("load")
        summary = page.locator("[data-error-summary]")
        assert summary.count() == 1 and "There is a problem" in summary.inner_text()
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
        )
        links = summary.locator("a[data-field]")
        assert links.all_inner_texts() == [
            "Enter the date and time the exam was taken",
            "Enter the exam score as a number from 0 to 100",
        ]
        links.nth(1).click()
        assert page.evaluate("document.activeElement.id") == "record_exam_attempt-score_percent"
        assert page.get_attribute("#record_exam_attempt-score_percent", "aria-invalid") == "true"
        problems: dict[str, Any] = {}
        if violations := _violations(page):
            problems["axe at 1280"] = violations
        page.set_viewport_size(PHONE)
        if wide := page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"):
            problems["scrolls sideways at 390"] = (wide, page.evaluate(WIDEST))
        if violations := _violations(page):
            problems["axe at 390"] = violations
        if errors:
            problems["console"] = errors
        assert not problems, problems
    finally:
        page.close()
