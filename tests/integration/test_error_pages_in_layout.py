"""Issue 15 item 1 and 4 without a browser: every page error off /api is an HTML page in the site's layout (JSON stays
for /api), and a signed-in user sees the records menu and their name on it, on the home page, /rules and /public."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.web_support import build_world, sign_in


def test_page_errors_are_html_in_the_layout_and_api_errors_stay_json(database_url: str) -> None:
    world = build_world(database_url)
    with TestClient(world.app) as client:
        cases = {
            "/no-such-page": 404,
            "/public/costs?officers=abc&holds_per_month=-1": 422,
        }
        for path, status in cases.items():
            page = client.get(path)
            assert page.status_code == status, path
            assert page.headers["content-type"].startswith("text/html"), path
            assert '<header class="top">' in page.text and 'href="/login">Sign in</a>' in page.text, path
        both = client.get("/public/costs?officers=abc&holds_per_month=-1").text
        assert "officers" in both and "holds_per_month" in both  # every field at once, not just the first
        # Reloading a form's URL by address (or a bookmark of it) is no 405: it leads to the record's page, at the form.
        reload = client.get(f"/agreements/{world.agreement['a']}/signatures", follow_redirects=False)
        assert reload.status_code == 303
        assert reload.headers["location"] == f"/agreements/{world.agreement['a']}#form-record_signature"
        api = client.get("/api/v1/no-such-thing")
        assert api.status_code == 404 and api.json()["error"] == "not_found"
        assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")


def test_a_signed_in_user_keeps_the_records_menu_on_every_page(database_url: str) -> None:
    world = build_world(database_url)
    with TestClient(world.app, follow_redirects=False) as client:
        sign_in(client, world, "clerk_a")
        for path in ("/", "/rules", "/public/costs", "/no-such-page", "/users"):
            page = client.get(path)
            assert 'class="whoami" href="/account">clerk_a · clerk</a>' in page.text, path
            assert '<a href="/officers">Officers</a>' in page.text and ">Sign in</a>" not in page.text, path
        assert client.get("/users").status_code == 403
        home = client.get("/").text
        assert '<a href="/officers">Program records</a>' in home and '<a href="/login">' not in home
