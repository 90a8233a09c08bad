"""Holds through /api/v1 (bearer tokens, the one JSON error shape) and the booking feed's JSON form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.integration.records_support import County, authorize, nominate
from tests.integration.web_support import SYSTEM, World
from wso.holds.operations import CLI_NAMES
from wso.services.permissions import Actor
from wso.store.uow import Store
from wso.users import service as users
from wso.users.auth import issue_api_token


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(world.app, follow_redirects=False) as test_client:
        yield test_client


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def setup(world: World, database_url: str, client: TestClient) -> dict[str, str]:
    """A WSO user with a token, an authorized officer and the facility of agency A."""
    agency = client.get(f"/api/v1/agencies/{world.agency['a']}", headers=world.headers("coord_a")).json()
    facility_id = agency["facilities"][0]["id"]
    store = Store(database_url)
    try:
        with store.unit_of_work() as uow:
            user = users.create_user(
                uow,
                actor=SYSTEM,
                at=_now(),
                username="wso_a",
                password="holds api test passphrase",
                role="wso",
                agency_id=world.agency["a"],
            )
        actor = Actor(user_id=user.id, username="wso_a", role="wso", agency_id=world.agency["a"])
        with store.unit_of_work() as uow:
            world.tokens["wso_a"] = issue_api_token(uow, actor=actor, at=_now(), purpose="test")
        county = County(
            agency_id=world.agency["a"],
            facility_id=facility_id,
            agreement_id=world.agreement["a"],
            coordinator=Actor(None, "coord", "coordinator", world.agency["a"]),
            clerk=Actor(None, "clerk", "clerk", world.agency["a"]),
            auditor=Actor(None, "a", "auditor", None),
        )
        officer_id = nominate(store, county, "Deputy Q. Ramos", at=_now() - timedelta(days=25))
        authorize(store, county, officer_id, start=_now() - timedelta(days=20))
    finally:
        store.dispose()
    return {"facility_id": facility_id, "officer_id": officer_id}


def post(client: TestClient, world: World, path: str, body: dict, *, user: str = "clerk_a", status: int = 200) -> dict:
    response = client.post(f"/api/v1{path}", json=body, headers=world.headers(user))
    assert response.status_code == status, response.text
    return response.json()


def test_H3_H4_H7_a_hold_walks_through_the_api(client: TestClient, world: World, setup: dict[str, str]) -> None:
    release = _now() - timedelta(minutes=10)
    hold = post(
        client,
        world,
        "/holds",
        {
            "facility_id": setup["facility_id"],
            "booking_number": "API-1",
            "person_name": "Sam Example",
            "booking_date": (release - timedelta(days=4)).date().isoformat(),
            "scheduled_release_at": release.isoformat(),
        },
        status=201,
    )
    h = f"/holds/{hold['id']}"
    post(
        client,
        world,
        h + "/warrants",
        {
            "form": "I-200",
            "number": "W-9",
            "issuing_officer": "SDDO Vance",
            "issued_on": "2026-01-05",
            "at": (release - timedelta(hours=1)).isoformat(),
        },
    )
    post(client, world, h + "/clearance", {"at": release.isoformat()})
    served = post(
        client,
        world,
        h + "/service",
        {"officer_id": setup["officer_id"], "warrant_number": "W-9", "at": release.isoformat()},
        user="wso_a",
    )
    assert served["status"] == "held_for_ice" and served["flag_ice_not_notified"] is True
    claimed = post(client, world, h + "/citizenship-claims", {})
    assert claimed["flag_citizenship_open"] is True and claimed["next_action"] == "report_citizenship_claim"
    flagged = client.get("/api/v1/holds?flag=citizenship_claim_open", headers=world.headers("clerk_a")).json()
    assert [x["id"] for x in flagged] == [hold["id"]]
    detail = client.get(f"/api/v1{h}", headers=world.headers("auditor")).json()
    assert [e["type"] for e in detail["events"]] == [
        "booked",
        "warrant_received",
        "cleared_for_release",
        "warrant_served",
        "citizenship_claimed",
    ]
    assert any(r["rule"] == "H7" for r in detail["decision"]["reasons"])


def test_the_api_refuses_in_the_one_error_shape(client: TestClient, world: World, setup: dict[str, str]) -> None:
    release = _now() + timedelta(hours=5)
    hold = post(
        client,
        world,
        "/holds",
        {
            "facility_id": setup["facility_id"],
            "booking_number": "API-2",
            "person_name": "Lee Example",
            "booking_date": "2026-01-05",
            "scheduled_release_at": release.isoformat(),
        },
        status=201,
    )
    h = f"/api/v1/holds/{hold['id']}"
    post(
        client,
        world,
        f"/holds/{hold['id']}/warrants",
        {"form": "I-200", "number": "W-1", "issuing_officer": "X", "issued_on": "2026-01-05"},
    )
    early = client.post(
        h + "/service",
        json={"officer_id": setup["officer_id"], "warrant_number": "W-1"},
        headers=world.headers("wso_a"),
    )
    assert early.status_code == 409 and "H1" in early.json()["rule_ids"] and early.json()["reasons"]
    clerk = client.post(
        h + "/service",
        json={"officer_id": setup["officer_id"], "warrant_number": "W-1"},
        headers=world.headers("clerk_a"),
    )
    assert clerk.status_code == 403 and clerk.json()["error"] == "forbidden"
    other = client.get(h, headers=world.headers("coord_b"))
    assert other.status_code == 404
    bad = client.post(h + "/release", json={"reason": "bored"}, headers=world.headers("clerk_a"))
    assert bad.status_code == 422 and set(bad.json()) >= {"error", "field", "reason"}


def test_bookings_feed_json_is_idempotent_and_reports_each_bad_row(
    client: TestClient, world: World, setup: dict[str, str]
) -> None:
    release = (_now() + timedelta(days=2)).replace(microsecond=0)
    good = {
        "BookingAgencyRecordIdentification": "F-1",
        "PersonName": "Alex Example",
        "BookingDate": "2026-11-20",
        "ScheduledReleaseDate": release.isoformat(),
    }
    rows = [
        good,
        {**good, "BookingAgencyRecordIdentification": "F-2", "ScheduledReleaseDate": "2026-11-28T09:00"},
        {"PersonName": "No Number", "BookingDate": "2026-11-20", "ScheduledReleaseDate": release.isoformat()},
    ]
    report = post(client, world, "/bookings", {"Bookings": rows})
    assert report["booked"] == 1 and [p["line"] for p in report["problems"]] == [2, 3]
    assert (
        "ScheduledReleaseDate" in (report["problems"][0]["field"] or "") or "offset" in report["problems"][0]["reason"]
    )
    again = post(client, world, "/bookings", {"Bookings": [good]})
    assert again == {"booked": 0, "changed": 0, "unchanged": 1, "problems": []}
    moved = post(
        client,
        world,
        "/bookings",
        {"Bookings": [{**good, "ScheduledReleaseDate": (release + timedelta(days=1)).isoformat()}]},
    )
    assert moved["changed"] == 1
    hold = client.get("/api/v1/holds", headers=world.headers("clerk_a")).json()[0]
    events = client.get(f"/api/v1/holds/{hold['id']}", headers=world.headers("clerk_a")).json()["events"]
    assert [e["type"] for e in events] == ["booked", "release_changed"]


def test_every_api_hold_operation_has_a_cli_command(world: World) -> None:
    from typer.main import get_command

    from wso.cli.main import app as cli

    schema = world.app.openapi()
    operations = {
        op["operationId"]
        for path, methods in schema["paths"].items()
        for op in methods.values()
        if "holds" in op.get("tags", [])
    }
    assert operations and operations <= set(CLI_NAMES), operations - set(CLI_NAMES)
    holds_group = get_command(cli).commands["holds"]  # type: ignore[attr-defined]
    missing = [op for op in operations if CLI_NAMES[op] not in holds_group.commands]
    assert not missing
