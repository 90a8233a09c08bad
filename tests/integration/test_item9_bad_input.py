"""Issue 14, item 9: bad input never gives a 500, and every API error has the documented shape.

Each case was a 500 or a silently wrong record before: a lone surrogate, an impossible date in a
form, a date before the programs' data, `"score_percent": true` read as 1 %, `due_at: 12345` read
as 1970, duplicate JSON keys, and a wall-clock time that a DST night skips or repeats.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.web_support import World, ago, sign_in

SHAPE = {"error", "field", "reason", "rule_ids"}


def nominate(client: TestClient, world: World) -> str:
    response = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers",
        json={
            "name": "Strict Case",
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
        headers=world.headers("coord_a"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def assert_shape(response: object, status: int, field: str | None = "?") -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) >= SHAPE, body
    if field != "?":
        assert body["field"] == field, body
    return body


def test_item9_a_lone_surrogate_is_refused_naming_the_field_even_unauthenticated(
    client: TestClient, world: World
) -> None:
    raw = '{"username": "\\ud800", "password": "x"}'
    response = client.post("/api/v1/tokens", content=raw, headers={"content-type": "application/json"})
    assert_shape(response, 422, "username")
    raw = '{"username": "coord_a", "password": "\\ud800"}'
    response = client.post("/api/v1/tokens", content=raw, headers={"content-type": "application/json"})
    assert_shape(response, 422, "password")
    raw = (
        '{"name": "\\ud800", "citizen_attested": true, "experience_attested": true,'
        ' "facility_training_attested": true, "inmate_conduct_attested": true}'
    )
    response = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers",
        content=raw,
        headers={**world.headers("coord_a"), "content-type": "application/json"},
    )
    assert_shape(response, 422, "name")


def test_item9_a_date_before_the_programs_data_is_a_422_not_a_500(client: TestClient, world: World) -> None:
    assert_shape(client.get("/api/v1/public/comparison?on=1899-01-01"), 422, "on")


def test_item9_unknown_routes_405s_and_unparsable_bodies_have_the_documented_shape(
    client: TestClient, world: World
) -> None:
    assert assert_shape(client.get("/api/v1/no-such-thing"), 404)["error"] == "not_found"
    body = assert_shape(client.put("/api/v1/tokens", json={}), 405)
    assert body["error"] == "method_not_allowed"
    broken = client.post(
        "/api/v1/complaints",
        content=b'{"summary": ',
        headers={**world.headers("coord_a"), "content-type": "application/json"},
    )
    assert_shape(broken, 422)
    assert_shape(client.get("/api/v1/public/agencies/no-such-agency"), 404, "agency")
    assert_shape(client.get("/api/v1/public/states/ZZ"), 404, "state")
    # Pages keep HTML error pages.
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_item9_strict_json_refuses_true_as_a_score_a_number_as_a_date_and_duplicate_keys(
    client: TestClient, world: World
) -> None:
    officer = nominate(client, world)
    headers = world.headers("coord_a")
    body = assert_shape(
        client.post(
            f"/api/v1/officers/{officer}/exam-attempts",
            json={"taken_at": ago(hours=1), "score_percent": True},
            headers=headers,
        ),
        422,
    )
    assert body["field"] == "score_percent"
    body = assert_shape(
        client.post(
            f"/api/v1/officers/{officer}/exam-attempts",
            json={"taken_at": ago(hours=1), "score_percent": "69"},
            headers=headers,
        ),
        422,
    )
    assert body["field"] == "score_percent"
    assert_shape(
        client.post(
            f"/api/v1/officers/{officer}/required-trainings",
            json={"name": "Refresher", "due_at": 12345},
            headers=headers,
        ),
        422,
        "due_at",
    )
    duplicated = (f'{{"taken_at": "{ago(hours=1)}", "score_percent": 90, "score_percent": 10}}').encode()
    body = assert_shape(
        client.post(
            f"/api/v1/officers/{officer}/exam-attempts",
            content=duplicated,
            headers={**headers, "content-type": "application/json"},
        ),
        422,
        "score_percent",
    )
    assert "twice" in str(body["reason"])
    # Nothing of the above was recorded: the officer has no exam attempt.
    shown = client.get(f"/api/v1/officers/{officer}", headers=headers).json()
    assert shown["exam_attempts"] == [], shown
    # A plain good body still passes (an integer is a valid percentage).
    good = client.post(
        f"/api/v1/officers/{officer}/exam-attempts",
        json={"taken_at": ago(hours=1), "score_percent": 90},
        headers=headers,
    )
    assert good.status_code == 200, good.text


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2026-02-30T10:00", "is not a real date"),
        ("2026-03-08T02:30", "does not exist"),
        ("2026-11-01T01:30", "happens twice"),
    ],
)
def test_item9_a_form_refuses_an_impossible_date_and_a_local_time_a_dst_night_skips_or_repeats(
    client: TestClient, world: World, typed: str, reason: str
) -> None:
    csrf = sign_in(client, world, "coord_a")
    officer = nominate(client, world)
    response = client.post(
        f"/officers/{officer}/exam-attempts", data={"csrf_token": csrf, "taken_at": typed, "score_percent": "90"}
    )
    assert response.status_code == 422, response.text
    assert reason in response.text
    shown = client.get(f"/api/v1/officers/{officer}", headers=world.headers("coord_a")).json()
    assert shown["exam_attempts"] == []
