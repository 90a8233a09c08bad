"""Issue 15 item 6 in the pages: an admin's users (create, deactivate confirmed, tokens shown once, revoke
confirmed) and agencies (create); a record's history from the ledger; the ledger check in the browser.

On SQLite and PostgreSQL (the `world` fixture), through the pages as a browser posts them (CSRF, sign-in).
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from tests.integration.test_api_officers import nominate
from tests.integration.web_support import PASSWORD, World, csrf_of, sign_in
from wso.store.db import make_engine
from wso.store.ledger import LedgerEvent
from wso.store.tables import AccessLog


def _rows(world: World, model: type, *where: object) -> list:
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(model).where(*where)))
    finally:
        engine.dispose()


# ---- record history ----------------------------------------------------------------------------------------


def test_an_officers_history_lists_each_event_with_who_when_and_a_verified_signature(
    client: TestClient, world: World
) -> None:
    officer = nominate(client, world, name="Dana Ortiz")
    sign_in(client, world, "auditor")
    record = client.get(f"/officers/{officer['id']}")
    assert f'href="/officers/{officer["id"]}/history"' in record.text
    page = client.get(f"/officers/{officer['id']}/history")
    assert page.status_code == 200, page.text
    assert "History: Officer Dana Ortiz" in page.text
    assert 'data-seq="1" data-type="officer.nominated"' in page.text
    assert "coord_a (coordinator)" in page.text and "Officer nominated" in page.text
    assert "<time datetime=" in page.text and "✓ yes" in page.text and "✗ no" not in page.text
    # An officer is a person: reading the history is a logged read, by the auditor, of that officer.
    reads = _rows(world, AccessLog, AccessLog.entity_id == officer["id"], AccessLog.actor == "auditor (auditor)")
    assert reads, "the history read was not logged"


def test_another_agencys_record_history_is_not_found_and_an_unknown_kind_too(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    sign_in(client, world, "coord_b")
    assert client.get(f"/officers/{officer['id']}/history").status_code == 404
    assert client.get(f"/agreements/{world.agreement['a']}/history").status_code == 404
    assert client.get(f"/agreements/{world.agreement['b']}/history").status_code == 200


def test_a_rewritten_event_shows_as_not_verifying_in_the_history(client: TestClient, world: World) -> None:
    officer = nominate(client, world, name="Dana Ortiz")
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("ALTER TABLE ledger_events DISABLE TRIGGER USER"))
            conn.execute(
                text("UPDATE ledger_events SET actor = 'someone else' WHERE stream = :s AND seq = 1"),
                {"s": f"officer:{officer['id']}"},
            )
            if conn.dialect.name == "postgresql":
                conn.execute(text("ALTER TABLE ledger_events ENABLE TRIGGER USER"))
    finally:
        engine.dispose()
    sign_in(client, world, "auditor")
    page = client.get(f"/officers/{officer['id']}/history")
    assert "Some events do not verify" in page.text and "hash does not match its content" in page.text
    # ... and the ledger check names the first broken link.
    checked = client.get("/ledger?check=1")
    assert checked.status_code == 200
    assert "Ledger broken" in checked.text and f"stream officer:{officer['id']}, seq 1" in checked.text


# ---- the ledger page ---------------------------------------------------------------------------------------


def test_the_auditor_checks_the_ledger_and_reads_intact_with_the_count_and_time(
    client: TestClient, world: World
) -> None:
    nominate(client, world)
    events = len(_rows(world, LedgerEvent))
    sign_in(client, world, "auditor")
    page = client.get("/ledger")
    assert page.status_code == 200 and "Check the ledger" in page.text and "Last checkpoint" in page.text
    assert f"{events} in " in page.text and 'id="ledger-check"' not in page.text
    checked = client.get("/ledger?check=1")
    assert checked.status_code == 200
    assert "Ledger intact" in checked.text and f"{events} events in" in checked.text and " s.</p>" in checked.text


def test_only_auditors_and_admins_open_the_ledger_page(client: TestClient, world: World) -> None:
    sign_in(client, world, "coord_a")
    assert client.get("/ledger").status_code == 403
    assert 'href="/ledger"' not in client.get("/agencies").text
    with TestClient(world.app, follow_redirects=False) as admin:
        sign_in(admin, world, "admin")
        assert admin.get("/ledger?check=1").status_code == 200
        assert 'href="/ledger"' in admin.get("/agencies").text


# ---- users -------------------------------------------------------------------------------------------------


def test_an_admin_creates_a_clerk_who_is_listed_and_signs_in_with_the_initial_password(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, world, "admin")
    made = client.post(
        "/users",
        data={
            "csrf_token": csrf,
            "username": "new.clerk",
            "role": "clerk",
            "agency_id": world.agency["a"],
            "password": "a long initial passphrase",
        },
    )
    assert made.status_code == 303 and made.headers["location"].startswith("/users/"), made.text
    assert 'data-user="new.clerk"' in client.get("/users").text
    page = client.get(made.headers["location"])
    assert "User new.clerk" in page.text and "Alpha County" in page.text and "not enrolled" in page.text
    created = _rows(world, LedgerEvent, LedgerEvent.type == "user.created")
    assert any('"new.clerk"' in row.payload and "password" not in row.payload for row in created)
    with TestClient(world.app, follow_redirects=False) as newcomer:
        token = csrf_of(newcomer.get("/login").text)
        first = newcomer.post(
            "/login",
            data={"username": "new.clerk", "password": "a long initial passphrase", "csrf_token": token},
        )
        assert first.status_code == 303 and first.headers["location"] == "/login/enrol"  # TOTP set up at first sign-in


def test_a_bad_new_user_is_refused_naming_the_field_and_nothing_is_written(client: TestClient, world: World) -> None:
    csrf = sign_in(client, world, "admin")
    base = {"csrf_token": csrf, "username": "new.clerk", "role": "clerk", "agency_id": world.agency["a"]}
    short = client.post("/users", data={**base, "password": "short"})
    assert short.status_code == 422
    assert '<strong class="field">password</strong>' in short.text and "12" in short.text
    assert 'value="new.clerk"' in short.text and 'value="short"' not in short.text  # input kept, password not
    no_agency = client.post("/users", data={**base, "agency_id": "", "password": "a long initial passphrase"})
    assert no_agency.status_code == 422 and '<strong class="field">agency</strong>' in no_agency.text
    assert not _rows(world, LedgerEvent, LedgerEvent.type == "user.created", LedgerEvent.payload.contains("new.clerk"))


def test_deactivation_is_confirmed_on_its_own_page_and_then_the_user_cannot_sign_in(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, world, "admin")
    clerk = world.user_ids["clerk_a"]
    page = client.get(f"/users/{clerk}")
    assert f'href="/users/{clerk}/deactivate"' in page.text
    assert f'action="/users/{clerk}/deactivate"' not in page.text  # no one-click deactivation on the user's page
    confirm = client.get(f"/users/{clerk}/deactivate")
    assert confirm.status_code == 200 and "Deactivate clerk_a?" in confirm.text
    assert "end every web session" in confirm.text and f'action="/users/{clerk}/deactivate"' in confirm.text
    done = client.post(f"/users/{clerk}/deactivate", data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == f"/users/{clerk}"
    assert "deactivated" in client.get(f"/users/{clerk}").text
    with TestClient(world.app, follow_redirects=False) as clerk_client:
        token = csrf_of(clerk_client.get("/login").text)
        refused = clerk_client.post("/login", data={"username": "clerk_a", "password": PASSWORD, "csrf_token": token})
        assert refused.status_code != 303 and "wrong user name or password" in refused.text


def test_a_token_is_shown_once_works_and_is_revoked_after_confirmation(client: TestClient, world: World) -> None:
    csrf = sign_in(client, world, "admin")
    clerk = world.user_ids["clerk_a"]
    issued = client.post(f"/users/{clerk}/tokens", data={"csrf_token": csrf, "purpose": "nightly export"})
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert "shown only this once" in issued.text
    token = issued.text.split('id="token-value" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["username"] == "clerk_a"
    page = client.get(f"/users/{clerk}")
    assert token not in page.text and "nightly export" in page.text
    token_id = page.text.split("nightly export", 1)[0].rsplit('data-token="', 1)[1].split('"', 1)[0]
    confirm = client.get(f"/users/{clerk}/tokens/{token_id}/revoke")
    assert confirm.status_code == 200 and "Yes, revoke the token" in confirm.text
    assert client.get(f"/users/{clerk}/tokens/{world.user_ids['clerk_a']}/revoke").status_code == 404
    revoked = client.post(f"/users/{clerk}/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 303
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_user_page_is_for_admins_only(client: TestClient, world: World) -> None:
    sign_in(client, world, "coord_a")
    assert client.get(f"/users/{world.user_ids['clerk_a']}").status_code == 403
    assert client.get(f"/users/{world.user_ids['clerk_a']}/deactivate").status_code == 403


# ---- agencies ----------------------------------------------------------------------------------------------


def test_an_admin_creates_an_agency_with_its_jail(client: TestClient, world: World) -> None:
    csrf = sign_in(client, world, "admin")
    assert 'action="/agencies"' in client.get("/agencies").text
    made = client.post(
        "/agencies",
        data={
            "csrf_token": csrf,
            "name": "Charlie County Sheriff's Office",
            "state": "FL",
            "timezone": "America/New_York",
            "facility_name": "Charlie County Jail",
        },
    )
    assert made.status_code == 303, made.text
    page = client.get(made.headers["location"])
    assert "Charlie County Sheriff&#39;s Office" in page.text and "Charlie County Jail" in page.text
    bad = client.post("/agencies", data={"csrf_token": csrf, "name": "Delta", "state": "FL", "timezone": "Mars/Base"})
    assert bad.status_code == 422 and 'data-field="timezone"' in bad.text  # named in the error summary
    assert 'value="Delta"' in bad.text


def test_a_coordinator_sees_no_agency_form_and_may_not_post_one(client: TestClient, world: World) -> None:
    csrf = sign_in(client, world, "coord_a")
    assert 'action="/agencies"' not in client.get("/agencies").text
    refused = client.post("/agencies", data={"csrf_token": csrf, "name": "X", "state": "FL", "timezone": "UTC"})
    assert refused.status_code == 403
