"""The server-rendered pages over HTTP: sign-in, CSRF on every form, each page, forms that refuse."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.web_support import PASSWORD, World, csrf_of
from tests.integration.web_support import sign_in as sign_in_with_code


def sign_in(client: TestClient, username: str, world: World) -> str:
    """Signs in through the login form and the code form; returns a CSRF token of the session."""
    return sign_in_with_code(client, world, username)


def nominate_through_the_form(client: TestClient, world: World, csrf: str, *, name: str = "Lee Park") -> str:
    response = client.post(
        f"/agreements/{world.agreement['a']}/officers",
        data={
            "csrf_token": csrf,
            "name": name,
            "citizen_attested": "true",
            "experience_attested": "true",
            "facility_training_attested": "true",
            "inmate_conduct_attested": "true",
        },
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_pages_need_a_session_and_send_the_visitor_to_sign_in(client: TestClient, world: World) -> None:
    response = client.get(f"/agreements/{world.agreement['a']}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fagreements%2F{world.agreement['a']}"


def test_a_wrong_password_is_refused_without_saying_whether_the_user_exists(client: TestClient, world: World) -> None:
    for username in ("coord_a", "nobody"):
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": username, "password": "wrong password", "csrf_token": token})
        assert response.status_code == 401
        assert "wrong user name or password" in response.text
    assert client.get("/agencies", follow_redirects=False).status_code == 303


def test_login_does_not_redirect_off_site(client: TestClient, world: World) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "coord_a", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/login/code"
    token = csrf_of(client.get("/login/code").text)
    response = client.post("/login/code", data={"code": world.code("coord_a"), "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/officers"


def test_a_post_without_the_csrf_token_or_with_a_wrong_one_is_refused_and_writes_nothing(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, "coord_a", world)
    fields = {
        "name": "Forged Nominee",
        "citizen_attested": "true",
        "experience_attested": "true",
        "facility_training_attested": "true",
        "inmate_conduct_attested": "true",
    }
    missing = client.post(f"/agreements/{world.agreement['a']}/officers", data=fields)
    assert missing.status_code == 403 and "expired or did not come from this site" in missing.text
    wrong = client.post(f"/agreements/{world.agreement['a']}/officers", data={**fields, "csrf_token": csrf[:-2] + "xx"})
    assert wrong.status_code == 403
    roster = client.get(f"/agencies/{world.agency['a']}/officers")
    assert "Forged Nominee" not in roster.text
    # The login form is protected too (login CSRF): a forged sign-in is refused.
    assert client.post("/login", data={"username": "coord_a", "password": PASSWORD}).status_code == 403


def test_logout_revokes_the_session_so_a_copied_cookie_stops_working(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "coord_a", world)
    copied = dict(client.cookies)
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    with TestClient(world.app, cookies=copied, follow_redirects=False) as thief:
        assert thief.get("/agencies", follow_redirects=False).status_code == 303


def test_every_page_draws_for_a_coordinator(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "coord_a", world)
    officer_page = nominate_through_the_form(client, world, csrf)
    a = world.agency["a"]
    for path in (
        "/agencies",
        f"/agencies/{a}",
        f"/agreements/{world.agreement['a']}",
        f"/agencies/{a}/officers",
        officer_page,
        f"/agencies/{a}/complaints",
        f"/agencies/{a}/due",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
    for shortcut in ("/officers", "/complaints", "/due"):
        assert client.get(shortcut, follow_redirects=False).headers["location"] == f"/agencies/{a}{shortcut}"
    roster = client.get(f"/agencies/{a}/officers").text
    assert "Lee Park" in roster and "not authorized" in roster


def test_a_refused_form_is_drawn_again_with_the_field_the_reason_and_the_input(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, "coord_a", world)
    officer_page = nominate_through_the_form(client, world, csrf)
    # Letter before certification: refused by O3, nothing recorded.
    refused = client.post(
        officer_page + "/authorization-letter", data={"csrf_token": csrf, "signed_at": "2026-01-05T10:00"}
    )
    assert refused.status_code == 409
    assert 'data-error="refused"' in refused.text and "signed_at" in refused.text and ">O3<" in refused.text
    assert 'value="2026-01-05T10:00"' in refused.text  # the user's input is kept
    # A score out of range: the field is named.
    invalid = client.post(
        officer_page + "/exam-attempts",
        data={"csrf_token": csrf, "taken_at": "2026-01-05T10:00", "score_percent": "170"},
    )
    assert invalid.status_code == 422 and "score_percent" in invalid.text and 'value="170"' in invalid.text
    page = client.get(officer_page).text
    assert "No attempt recorded." in page and "2026-01-05" not in page


def test_a_form_time_is_read_in_the_agencys_zone(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "coord_a", world)
    officer_page = nominate_through_the_form(client, world, csrf)
    response = client.post(
        officer_page + "/exam-attempts",
        data={"csrf_token": csrf, "taken_at": "2026-11-02T09:15", "score_percent": "55"},
    )
    assert response.status_code == 303, response.text
    officer_id = officer_page.rsplit("/", 1)[1]
    with TestClient(world.app) as api:
        body = api.get(f"/api/v1/officers/{officer_id}", headers=world.headers("coord_a")).json()
    # 09:15 in Chicago on 2 November 2026 (CST, after the clocks went back on 1 November) is 15:15 UTC.
    assert body["exam_attempts"][0]["taken_at"] == "2026-11-02T15:15:00Z"
    assert ">2 Nov 2026 09:15 CST</time>" in client.get(officer_page).text  # one date format: local time, zone


@pytest.mark.parametrize("username", ["auditor", "clerk_a"])
def test_roles_that_may_not_certify_get_403_on_the_page_and_nothing_changes(
    client: TestClient, world: World, username: str
) -> None:
    with TestClient(world.app, follow_redirects=False) as coordinator:
        officer_page = nominate_through_the_form(coordinator, world, sign_in(coordinator, "coord_a", world))
    csrf = sign_in(client, username, world)
    assert client.get(officer_page).status_code == 200  # they may read it
    response = client.post(
        officer_page + "/exam-attempts",
        data={"csrf_token": csrf, "taken_at": "2026-11-02T09:15", "score_percent": "90"},
    )
    assert response.status_code == 403 and 'data-error="forbidden"' in response.text
    assert "No attempt recorded." in client.get(officer_page).text


def test_a_user_of_agency_a_sees_nothing_of_agency_b_through_the_pages(client: TestClient, world: World) -> None:
    with TestClient(world.app, follow_redirects=False) as other:
        officer_page_b = nominate_through_the_form_b(other, world)
    csrf = sign_in(client, "coord_a", world)
    b = world.agency["b"]
    assert "Bravo County" not in client.get("/agencies").text
    for path in (
        f"/agencies/{b}",
        f"/agreements/{world.agreement['b']}",
        f"/agencies/{b}/officers",
        officer_page_b,
        f"/agencies/{b}/complaints",
        f"/agencies/{b}/due",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Bravo" not in response.text and "Kim Bravo" not in response.text
    post = client.post(officer_page_b + "/background-check", data={"csrf_token": csrf, "status": "failed"})
    assert post.status_code == 404


def nominate_through_the_form_b(client: TestClient, world: World) -> str:
    csrf = sign_in(client, "coord_b", world)
    response = client.post(
        f"/agreements/{world.agreement['b']}/officers",
        data={
            "csrf_token": csrf,
            "name": "Kim Bravo",
            "citizen_attested": "true",
            "experience_attested": "true",
            "facility_training_attested": "true",
            "inmate_conduct_attested": "true",
        },
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]
