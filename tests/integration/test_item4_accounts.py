"""Issue 14, item 4: accounts and sessions, on SQLite and PostgreSQL, through the pages and the API.

The cookie holds an opaque session id (never a token), sessions lock when idle and end at an
absolute limit, tokens expire and are listed and revoked by their owner and an admin, passwords
follow NIST SP 800-63B, users are deactivated and passwords changed or reset, and every role that
changes records signs in with a TOTP code.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.integration.web_support import PASSWORD, SYSTEM, World, csrf_of, sign_in
from wso.store.account_tables import WebSession
from wso.store.db import make_engine
from wso.store.tables import ApiToken
from wso.store.uow import Store
from wso.users import service as users


def cookie_payload(client: TestClient) -> dict[str, str]:
    """The signed session cookie's content (itsdangerous: base64 JSON, then a signature)."""
    raw = client.cookies["wso_session"].split(".", 1)[0]
    return json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4)))


def shift_sessions(world: World, **changes: timedelta) -> None:
    """Moves every session's `created_at` / `last_seen_at` back by the given amounts."""
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.begin() as connection:
            for row in connection.execute(select(WebSession.id, WebSession.created_at, WebSession.last_seen_at)).all():
                values = {name: getattr(row, name) - delta for name, delta in changes.items()}
                connection.execute(update(WebSession).where(WebSession.id == row.id).values(**values))
    finally:
        engine.dispose()


def test_item4_the_cookie_holds_an_opaque_session_id_that_is_no_api_token(client: TestClient, world: World) -> None:
    sign_in(client, world, "coord_a")
    payload = cookie_payload(client)
    assert set(payload) == {"sid", "csrf"}, payload
    sid = payload["sid"]
    # Not a bearer token: the API refuses it.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {sid}"}).status_code == 401
    # Only its hash is kept on the server.
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.connect() as connection:
            digests = set(connection.scalars(select(WebSession.sid_sha256)))
    finally:
        engine.dispose()
    assert hashlib.sha256(sid.encode()).hexdigest() in digests and sid not in digests


def test_item4_a_session_locks_after_30_idle_minutes_and_ends_at_the_absolute_limit(
    client: TestClient, world: World
) -> None:
    sign_in(client, world, "coord_a")
    shift_sessions(world, last_seen_at=timedelta(minutes=29), created_at=timedelta(minutes=29))
    assert client.get("/agencies").status_code == 200  # 29 minutes idle: still signed in (and now active again)
    shift_sessions(world, last_seen_at=timedelta(minutes=30, seconds=5))
    locked = client.get("/agencies")
    assert locked.status_code == 303 and locked.headers["location"].startswith("/login")
    sign_in(client, world, "coord_a")
    shift_sessions(world, created_at=timedelta(hours=12, seconds=1))
    assert client.get("/agencies").status_code == 303  # active, but past the absolute limit


def test_item4_signing_in_needs_the_totp_code_and_a_code_works_once(client: TestClient, world: World) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "coord_a", "password": PASSWORD, "csrf_token": token})
    assert response.headers["location"] == "/login/code"
    assert client.get("/agencies").status_code == 303  # the password alone is no session
    token = csrf_of(client.get("/login/code").text)
    wrong = client.post("/login/code", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401
    code = world.code("coord_a")
    assert client.post("/login/code", data={"code": code, "csrf_token": token}).status_code == 303
    assert client.get("/agencies").status_code == 200
    # The API: no code, a wrong code, and the code just used are all refused.
    for given in ("", "123456", code):
        refused = client.post("/api/v1/tokens", json={"username": "coord_a", "password": PASSWORD, "totp_code": given})
        assert refused.status_code == 401, (given, refused.text)


def test_item4_a_new_coordinator_must_enrol_with_a_qr_code_an_auditor_need_not(
    client: TestClient, world: World
) -> None:
    store = Store(world.app.state.database_url)
    try:
        with store.unit_of_work() as uow:
            users.create_user(
                uow,
                actor=SYSTEM,
                at=datetime.now(UTC),
                username="new_coord",
                password=PASSWORD,
                role="coordinator",
                agency_id=world.agency["a"],
            )
        with store.unit_of_work() as uow:
            users.create_user(
                uow, actor=SYSTEM, at=datetime.now(UTC), username="new_auditor", password=PASSWORD, role="auditor"
            )
    finally:
        store.dispose()
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "new_coord", "password": PASSWORD, "csrf_token": token, "next": "/agencies"}
    )
    assert response.headers["location"] == "/login/enrol"
    page = client.get("/login/enrol")
    assert "<svg" in page.text and "otpauth" not in page.headers.get("location", "")
    secret = page.text.split('id="totp-secret">', 1)[1].split("<", 1)[0]
    confirmed = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)})
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/agencies"
    assert client.get("/agencies").status_code == 200
    # An auditor without TOTP signs in with the password (optional for auditors, S2).
    with TestClient(world.app, follow_redirects=False) as auditor:
        token = csrf_of(auditor.get("/login").text)
        response = auditor.post(
            "/login", data={"username": "new_auditor", "password": PASSWORD, "csrf_token": token, "next": "/agencies"}
        )
        assert response.headers["location"] == "/agencies"


def test_item4_tokens_expire_and_are_listed_and_revoked_by_their_owner_and_by_an_admin(
    client: TestClient, world: World
) -> None:
    issued = client.post(
        "/api/v1/tokens",
        json={"username": "coord_a", "password": PASSWORD, "totp_code": world.code("coord_a"), "purpose": "script"},
    )
    assert issued.status_code == 201, issued.text
    expires = datetime.fromisoformat(issued.json()["expires_at"])
    assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
    too_long = (datetime.now(UTC) + timedelta(days=91)).isoformat()
    refused = client.post(
        "/api/v1/tokens",
        json={"username": "coord_a", "password": PASSWORD, "totp_code": world.code("coord_a"), "expires_at": too_long},
    )
    assert refused.status_code == 422 and refused.json()["rule_ids"] == ["S5"]
    mine = {"Authorization": f"Bearer {issued.json()['token']}"}
    listed = client.get("/api/v1/tokens", headers=mine).json()
    assert {t["purpose"] for t in listed} >= {"script", "test"} and all("token" not in t for t in listed)
    script = next(t for t in listed if t["purpose"] == "script")
    # Another agency's coordinator cannot see or revoke it (404), an admin can list and revoke it.
    other = client.post(f"/api/v1/tokens/{script['id']}/revoke", json={}, headers=world.headers("coord_b"))
    assert other.status_code == 404
    by_admin = client.get(f"/api/v1/tokens?user_id={world.user_ids['coord_a']}", headers=world.headers("admin")).json()
    assert script["id"] in {t["id"] for t in by_admin}
    revoked = client.post(f"/api/v1/tokens/{script['id']}/revoke", json={}, headers=world.headers("admin"))
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert client.get("/api/v1/me", headers=mine).status_code == 401
    # The owner revokes their own (the world's test token) by id.
    test_token = next(t for t in listed if t["purpose"] == "test")
    own = client.post(f"/api/v1/tokens/{test_token['id']}/revoke", json={}, headers=world.headers("coord_a"))
    assert own.status_code == 200
    assert client.get("/api/v1/me", headers=world.headers("coord_a")).status_code == 401


def test_item4_a_token_past_its_expiry_is_refused(client: TestClient, world: World) -> None:
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    finally:
        engine.dispose()
    assert client.get("/api/v1/me", headers=world.headers("clerk_a")).status_code == 401


def test_item4_passwords_follow_nist_800_63b_in_every_entry_point(client: TestClient, world: World) -> None:
    for password, why in (("short one", "at least 12"), ("Password2024!", "common"), ("i am clerk_a yes", "user name")):
        response = client.post(
            f"/api/v1/users/{world.user_ids['clerk_a']}/password",
            json={"new_password": password},
            headers=world.headers("admin"),
        )
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["field"] == "new_password" and why in body["reason"] and body["rule_ids"] == ["S3"]


def test_item4_change_reset_and_deactivate_end_sessions_through_api_and_pages(client: TestClient, world: World) -> None:
    # The user changes their own password on the account page: signed out everywhere.
    csrf = sign_in(client, world, "coord_a")
    with TestClient(world.app, follow_redirects=False) as second:
        sign_in(second, world, "coord_a")
        changed = client.post(
            "/account/password",
            data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": "a brand new passphrase"},
        )
        assert changed.status_code == 303 and changed.headers["location"] == "/login"
        assert second.get("/agencies").status_code == 303
    assert client.get("/agencies").status_code == 303
    sign_in(client, world, "coord_a", password="a brand new passphrase")
    # An admin resets it through the API; then deactivates the user on the users page.
    reset = client.post(
        f"/api/v1/users/{world.user_ids['coord_a']}/password",
        json={"new_password": "reset by the admin"},
        headers=world.headers("admin"),
    )
    assert reset.status_code == 200, reset.text
    assert client.get("/agencies").status_code == 303
    # Deactivation ends a user's sessions and tokens and refuses new ones. Another user of the same
    # agency (super_a) is deactivated, signed in, so that no user here needs a fourth TOTP code
    # within 30 seconds (each code works once; the replay test is the one above).
    with TestClient(world.app, follow_redirects=False) as admin, TestClient(world.app, follow_redirects=False) as dep:
        sign_in(dep, world, "super_a")
        admin_csrf = sign_in(admin, world, "admin")
        assert "super_a" in admin.get("/users").text
        done = admin.post(f"/users/{world.user_ids['super_a']}/deactivate", data={"csrf_token": admin_csrf})
        assert done.status_code == 303
        assert dep.get("/agencies").status_code == 303
    assert client.get("/api/v1/me", headers=world.headers("super_a")).status_code == 401
    refused = client.post(
        "/api/v1/tokens",
        json={"username": "super_a", "password": PASSWORD, "totp_code": world.code("super_a")},
    )
    assert refused.status_code == 401
    # An agency admin's reach: no user outside their agency (404), and the auditor manages no one (403).
    assert (
        client.post(
            f"/api/v1/users/{world.user_ids['admin']}/deactivate", json={}, headers=world.headers("auditor")
        ).status_code
        == 403
    )


def test_item4_an_auditor_lists_their_own_tokens_on_the_account_page_and_revokes_one(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, world, "auditor")
    page = client.get("/account")
    assert page.status_code == 200 and "test" in page.text and "enrolled" in page.text
    token_id = page.text.split('data-token="', 1)[1].split('"', 1)[0]
    revoked = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 303
    assert client.get("/api/v1/me", headers=world.headers("auditor")).status_code == 401
