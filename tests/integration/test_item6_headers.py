"""Issue 14, item 6: security headers on pages, API and public answers; Secure cookies and HSTS over
HTTPS (or when WSO_HTTPS=1 says so); no-store on records and API; /docs without a CDN; no inline
script, style attribute or event handler in any page the app serves."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.integration.web_support import World, sign_in
from wso.web.app import create_app

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def test_item6_every_answer_carries_the_security_headers(client: TestClient, world: World) -> None:
    for path in ("/", "/login", "/rules", "/docs", "/api/v1/me", "/api/v1/no-such-route", "/static/wso.css"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in response.headers  # plain HTTP: no HSTS
    assert client.get("/static/wso.css").headers.get("cache-control") != "no-store"


def test_item6_records_pages_and_api_answers_are_not_stored(client: TestClient, world: World) -> None:
    sign_in(client, world, "coord_a")
    for path in ("/agencies", f"/agencies/{world.agency['a']}/officers", "/account"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    api = client.get(f"/api/v1/agencies/{world.agency['a']}/officers", headers=world.headers("coord_a"))
    assert api.status_code == 200 and api.headers["cache-control"] == "no-store"


def test_item6_over_https_the_session_cookie_is_secure_and_hsts_is_sent(world: World) -> None:
    with TestClient(world.app, base_url="https://testserver", follow_redirects=False) as secure:
        page = secure.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        cookie = page.headers["set-cookie"]
        assert "; secure" in cookie.lower() and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    with TestClient(world.app, follow_redirects=False) as plain:
        assert "secure" not in plain.get("/login").headers["set-cookie"].lower()


def test_item6_WSO_HTTPS_marks_cookies_secure_behind_a_tls_proxy(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WSO_HTTPS", "1")
    app = create_app(world.app.state.database_url)
    with TestClient(app, follow_redirects=False) as behind_proxy:
        page = behind_proxy.get("/login")
        assert "; secure" in page.headers["set-cookie"].lower() and "strict-transport-security" in page.headers
    app.state.engine.dispose()


def test_item6_docs_load_swagger_ui_from_this_site_only(client: TestClient, world: World) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in docs.text.lower()


def test_item6_no_page_has_inline_script_style_attributes_or_handlers(client: TestClient, world: World) -> None:
    pages = ["/", "/rules", "/login", "/docs", "/public", "/public/compare", "/public/costs"]
    for path in pages:
        html = client.get(path).text
        assert not INLINE_SCRIPT.search(html), path
        assert not STYLE_ATTRIBUTE.search(html), path
        assert not HANDLER.search(html), path
    sign_in(client, world, "coord_a")
    for path in (
        "/agencies",
        f"/agencies/{world.agency['a']}/officers",
        f"/agreements/{world.agreement['a']}",
        f"/agencies/{world.agency['a']}/complaints",
        f"/agencies/{world.agency['a']}/due",
        "/account",
    ):
        html = client.get(path).text
        assert not INLINE_SCRIPT.search(html) and not STYLE_ATTRIBUTE.search(html) and not HANDLER.search(html), path
