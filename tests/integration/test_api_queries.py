"""Issue 11 item 5, for reads: a GET's query string is its query class (wso.<area>.queries), so it is
validated like a body: a naive `at`, a word for a boolean or an unknown parameter is a 422 naming the
parameter, never ignored; and the departures of a record, until now only in the POST's answer, are
a read of their own (`GET /departures?entity=&entity_id=`, `wso records departures-view`)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_api_officers import nominate
from tests.integration.web_support import World, ago


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"at": "2026-01-05T10:00:00"}, "at"),  # no UTC offset
        ({"at": "12345"}, "at"),  # a number is no instant
        ({"open_only": "perhaps"}, "open_only"),
        ({"openonly": "true"}, "openonly"),  # a misspelt parameter is refused, not silently ignored
    ],
)
def test_a_bad_query_parameter_is_a_422_naming_it(
    client: TestClient, world: World, params: dict[str, str], field: str
) -> None:
    answer = client.get(
        f"/api/v1/agencies/{world.agency['a']}/complaints", params=params, headers=world.headers("coord_a")
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_a_read_without_at_refuses_one(client: TestClient, world: World) -> None:
    answer = client.get("/api/v1/agencies", params={"at": ago(hours=1)}, headers=world.headers("coord_a"))
    assert answer.status_code == 422 and answer.json()["field"] == "at"  # list_agencies is not "as of"
    assert client.get("/api/v1/agencies", headers=world.headers("coord_a")).status_code == 200


def test_open_only_reaches_the_service(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    for summary in ("rough handling", "a lost property form"):
        received = client.post(
            "/api/v1/complaints",
            json={"received_at": ago(hours=2), "source": "inmate", "summary": summary, "officer_id": officer["id"]},
            headers=world.headers("coord_a"),
        )
        assert received.status_code == 201, received.text
    every = client.get(f"/api/v1/agencies/{world.agency['a']}/complaints", headers=world.headers("coord_a")).json()
    assert len(every) == 2
    closed = client.post(
        f"/api/v1/complaints/{every[0]['id']}/resolution",
        json={"resolution": "Unfounded after review.", "resolved_at": ago(minutes=5)},
        headers=world.headers("coord_a"),
    )
    assert closed.status_code == 200, closed.text
    still_open = client.get(
        f"/api/v1/agencies/{world.agency['a']}/complaints",
        params={"open_only": "true"},
        headers=world.headers("coord_a"),
    ).json()
    assert every[0]["id"] not in {c["id"] for c in still_open}
    assert len(still_open) == len(every) - 1


def test_a_records_departures_are_a_read_of_their_own(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    query = {"entity": "officer", "entity_id": officer["id"]}
    shown = client.get("/api/v1/departures", params=query, headers=world.headers("auditor"))  # auditors read
    assert shown.status_code == 200, shown.text
    assert shown.json()["entity_id"] == officer["id"] and shown.json()["departures"] == []
    other = client.get("/api/v1/departures", params=query, headers=world.headers("coord_b"))
    assert other.status_code == 404  # another agency's record stays hidden
    wrong = client.get("/api/v1/departures", params={**query, "entity": "hold"}, headers=world.headers("coord_a"))
    assert wrong.status_code == 422 and wrong.json()["field"] == "entity"
