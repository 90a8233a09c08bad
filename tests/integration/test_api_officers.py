"""The officer's path to authorization through /api/v1, and the shape of every kind of error."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.web_support import PASSWORD, World, ago


def nominate(client: TestClient, world: World, *, name: str = "Dana Ortiz") -> dict:
    response = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers",
        json={
            "name": name,
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
        headers=world.headers("coord_a"),
    )
    assert response.status_code == 201, response.text
    return response.json()


def post(client: TestClient, world: World, path: str, body: dict, *, user: str = "coord_a") -> dict:
    response = client.post(f"/api/v1{path}", json=body, headers=world.headers(user))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_token_from_username_and_password_identifies_the_user(client: TestClient, world: World) -> None:
    issued = client.post(
        "/api/v1/tokens", json={"username": "coord_a", "password": PASSWORD, "totp_code": world.code("coord_a")}
    )
    assert issued.status_code == 201, issued.text
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued.json()['token']}"})
    assert me.json() == {
        **issued.json()["actor"],
        "username": "coord_a",
        "role": "coordinator",
        "agency_id": world.agency["a"],
    }


def test_a_wrong_password_and_a_missing_or_revoked_token_get_401_in_the_error_shape(
    client: TestClient, world: World
) -> None:
    wrong = client.post("/api/v1/tokens", json={"username": "coord_a", "password": "not the password"})
    assert wrong.status_code == 401
    assert set(wrong.json()) >= {"error", "field", "reason", "rule_ids", "reasons"}
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.delete("/api/v1/tokens/current", headers=world.headers("clerk_a")).status_code == 204
    assert client.get("/api/v1/me", headers=world.headers("clerk_a")).status_code == 401


def test_nominee_to_authorized_officer_then_withdrawn_with_the_rules_reasons(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    o = f"/officers/{officer['id']}"
    assert officer["authorization"]["status"] == "not_authorized"

    failed = post(client, world, o + "/exam-attempts", {"taken_at": ago(days=9), "score_percent": 60})
    assert failed["exam"]["status"] == "retake_allowed"
    passed = post(client, world, o + "/exam-attempts", {"taken_at": ago(days=8), "score_percent": 82.5})
    assert passed["exam"]["status"] == "certified"
    post(client, world, o + "/authorization-letter", {"signed_at": ago(days=7)})
    post(client, world, o + "/form-70-006", {"signed_at": ago(days=6)})
    authorized = post(client, world, o + "/credentials", {"issued_at": ago(days=5), "number": "WSO-17"})

    decision = authorized["authorization"]
    assert decision["allowed"] is True and decision["status"] == "authorized"
    assert "O4" in decision["rule_ids"] and decision["reasons"], decision
    roster = client.get(f"/api/v1/agencies/{world.agency['a']}/officers", headers=world.headers("coord_a")).json()
    assert [(r["name"], r["authorization"]["status"]) for r in roster] == [("Dana Ortiz", "authorized")]

    withdrawn = post(
        client,
        world,
        o + "/withdrawals",
        {"notice_at": ago(hours=2), "effective_at": ago(hours=1), "reason": "FOD letter"},
    )
    assert withdrawn["authorization"]["status"] == "not_authorized"
    assert "O5" in withdrawn["authorization"]["rule_ids"]
    # The as-of read still says what was true before the withdrawal took effect.
    before = client.get(f"/api/v1{o}", params={"at": ago(hours=3)}, headers=world.headers("coord_a")).json()
    assert before["authorization"]["status"] == "authorized"


def test_a_letter_before_certification_is_refused_with_the_field_and_the_rule_ids(
    client: TestClient, world: World
) -> None:
    officer = nominate(client, world)
    response = client.post(
        f"/api/v1/officers/{officer['id']}/authorization-letter",
        json={"signed_at": ago(days=1)},
        headers=world.headers("coord_a"),
    )
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["error"] == "refused" and body["field"] == "signed_at"
    assert "O3" in body["rule_ids"] and all({"rule", "text", "source", "confidence"} <= set(r) for r in body["reasons"])
    again = client.get(f"/api/v1/officers/{officer['id']}", headers=world.headers("coord_a")).json()
    assert again["letter_signed_at"] is None and again["version"] == officer["version"]


def test_bad_input_names_the_field_both_from_fastapi_and_from_the_service(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    naive = client.post(
        f"/api/v1/officers/{officer['id']}/exam-attempts",
        json={"taken_at": "2026-11-20T09:00:00", "score_percent": 80},
        headers=world.headers("coord_a"),
    )
    assert naive.status_code == 422
    assert naive.json()["error"] == "invalid_input" and naive.json()["field"] == "taken_at"
    out_of_range = client.post(
        f"/api/v1/officers/{officer['id']}/exam-attempts",
        json={"taken_at": ago(days=1), "score_percent": 170},
        headers=world.headers("coord_a"),
    )
    assert out_of_range.status_code == 422 and out_of_range.json()["field"] == "score_percent"
    bad_id = client.get("/api/v1/officers/not-an-id", headers=world.headers("coord_a"))
    assert bad_id.status_code == 422 and bad_id.json()["field"] == "officer_id"


def test_a_stale_expected_version_is_a_conflict(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    o = f"/api/v1/officers/{officer['id']}/background-check"
    first = client.post(
        o, json={"status": "pending", "expected_version": officer["version"]}, headers=world.headers("coord_a")
    )
    assert first.status_code == 200, first.text
    second = client.post(
        o, json={"status": "cleared", "expected_version": officer["version"]}, headers=world.headers("coord_a")
    )
    assert second.status_code == 409 and second.json()["error"] == "conflict"
