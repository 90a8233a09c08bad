"""Who may do what through /api/v1, for every route the API has (so a new route is covered too):
an auditor reads everything and changes nothing; a clerk cannot certify; agency A's user sees and
changes nothing of agency B. "Nothing changed" is checked on the ledger, which every change goes through.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.integration.web_support import World
from wso.store.db import make_engine
from wso.store.ledger import LedgerEvent


def ledger_size(world: World) -> int:
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(LedgerEvent)))
    finally:
        engine.dispose()


def _paths(world: World, method: str) -> list[tuple[str, dict[str, Any]]]:
    """The API's operations as its OpenAPI schema declares them (the records API, not /public)."""
    schema = world.app.openapi()
    return [
        (path, operations[method])
        for path, operations in schema["paths"].items()
        if method in operations and path.startswith("/api/v1/") and not path.startswith("/api/v1/public")
    ]


# One's own account (issue 14, item 4): every signed-in user may change their password and revoke
# their own tokens; these change no record and are tested in test_item4_accounts.py.
OWN_ACCOUNT = {"/api/v1/tokens", "/api/v1/tokens/{token_id}/revoke", "/api/v1/me/password"}


def command_paths(world: World) -> list[tuple[str, dict[str, Any]]]:
    """Every POST that changes a record or a user (token issue and one's own account aside)."""
    return [(p, op) for p, op in _paths(world, "post") if p not in OWN_ACCOUNT]


def read_paths(world: World) -> list[str]:
    return [p for p, _ in _paths(world, "get") if "{" in p]


def valid_body(world: World, operation: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """A body the schema accepts, so the request reaches the service (and its permission check)."""
    if "requestBody" not in operation:
        return {}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" not in schema:
        return {}  # a free-form body (the booking feed): the permission check comes first
    ref = schema["$ref"]
    model = world.app.openapi()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    body: dict[str, Any] = {}
    for name, prop in model["properties"].items():
        if name in ids:
            body[name] = ids[name]
        elif name == "entity_id":  # /departures names its record by entity and id (an agreement here)
            body[name] = ids["agreement_id"]
        elif name not in model.get("required", []) and name not in ALSO_GIVEN:
            continue
        elif prop.get("format") == "date-time" or name in ALSO_GIVEN:
            body[name] = earlier
        elif prop.get("format") == "date":
            body[name] = earlier[:10]
        elif "enum" in prop:
            body[name] = CHOICES[name] if CHOICES.get(name) in prop["enum"] else prop["enum"][0]
        elif prop.get("type") == "array":
            body[name] = ["x"]
        elif prop.get("type") == "boolean":
            body[name] = True
        elif prop.get("type") in ("number", "integer"):
            body[name] = 80
        else:
            body[name] = CHOICES.get(name, "x")
    return body


# Optional fields a service still needs one of (program dates: at least one of two).
ALSO_GIVEN = {"first_class_certified_at"}
CHOICES = {
    "party": "LEA",
    "kind": "suspension",
    "by": "ICE",
    "model": "JEM",
    "template": "MOA-2025",
    "status": "cleared",
    "source": "public",
    "state": "TX",
    "timezone": "America/Chicago",
    "destination": "within_agency",
    "entity": "agreement",
    "rule": "A6",
}


def records_of(client: TestClient, world: World, key: str) -> dict[str, str]:
    """Ids of one record of each kind in agency `key`, made by its coordinator."""
    user = f"coord_{key}"
    officer = client.post(
        f"/api/v1/agreements/{world.agreement[key]}/officers",
        json={
            "name": f"Officer {key}",
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
        headers=world.headers(user),
    ).json()
    complaint = client.post(
        "/api/v1/complaints",
        json={
            "received_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
            "source": "inmate",
            "summary": "rough handling",
            "officer_id": officer["id"],
        },
        headers=world.headers(user),
    )
    assert complaint.status_code == 201, complaint.text
    facility_id = client.get(f"/api/v1/agencies/{world.agency[key]}", headers=world.headers(user)).json()["facilities"][
        0
    ]["id"]
    return {
        "agency_id": world.agency[key],
        "agreement_id": world.agreement[key],
        "officer_id": officer["id"],
        "complaint_id": complaint.json()["id"],
        "notice_id": str(uuid.uuid4()),
        "suspension_id": str(uuid.uuid4()),
        "facility_id": facility_id,
        "hold_id": a_hold(world, facility_id, key),
        "user_id": world.user_ids[user],
    }


def a_hold(world: World, facility_id: str, key: str) -> str:
    """A booked hold in the agency (booked as the operator: no test user of agency B is a clerk)."""
    from wso.holds import commands, service
    from wso.services.permissions import Actor
    from wso.store.uow import Store

    store = Store(world.app.state.database_url)
    now = datetime.now(UTC)
    try:
        with store.unit_of_work() as uow:
            hold = service.book_person(
                uow,
                actor=Actor.system("test"),
                now=now,
                command=commands.BookPerson(
                    facility_id=facility_id,
                    booking_number=f"B-{key}",
                    person_name=f"Person {key}",
                    booking_date=now.date(),
                    scheduled_release_at=now + timedelta(days=1),
                ),
            )
            uow.commit()
    finally:
        store.dispose()
    return hold.id


def test_every_read_route_is_covered_and_the_auditor_may_read_every_agency(client: TestClient, world: World) -> None:
    ids_a, ids_b = records_of(client, world, "a"), records_of(client, world, "b")
    checked = 0
    for path in read_paths(world):
        for ids in (ids_a, ids_b):
            response = client.get(path.format(**ids), headers=world.headers("auditor"))
            assert response.status_code == 200, (path, response.text)
            checked += 1
    assert checked >= 2 * 8
    listed = client.get("/api/v1/agencies", headers=world.headers("auditor")).json()
    assert {a["id"] for a in listed} == set(world.agency.values())


def test_the_auditor_changes_nothing_through_any_route(client: TestClient, world: World) -> None:
    ids = records_of(client, world, "a")
    before = ledger_size(world)
    commands = command_paths(world)
    assert len(commands) >= 25
    for path, operation in commands:
        response = client.post(
            path.format(**ids), json=valid_body(world, operation, ids), headers=world.headers("auditor")
        )
        assert response.status_code == 403, (path, response.status_code, response.text)
        assert response.json()["error"] == "forbidden"
    assert ledger_size(world) == before


def test_a_clerk_cannot_certify_an_officer(client: TestClient, world: World) -> None:
    ids = records_of(client, world, "a")
    before = ledger_size(world)
    for suffix, body in (
        ("exam-attempts", {"taken_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(), "score_percent": 95}),
        ("authorization-letter", {"signed_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}),
        ("credentials", {"issued_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}),
    ):
        response = client.post(
            f"/api/v1/officers/{ids['officer_id']}/{suffix}", json=body, headers=world.headers("clerk_a")
        )
        assert response.status_code == 403, (suffix, response.text)
    assert ledger_size(world) == before
    # What a clerk may do (C5: receive a complaint) still works, so the 403s above are about the role.
    received = client.post(
        "/api/v1/complaints",
        json={
            "received_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
            "source": "public",
            "summary": "said so at the desk",
            "officer_id": ids["officer_id"],
        },
        headers=world.headers("clerk_a"),
    )
    assert received.status_code == 201, received.text


def test_agency_a_sees_and_changes_nothing_of_agency_b(client: TestClient, world: World) -> None:
    records_of(client, world, "a")
    ids_b = records_of(client, world, "b")
    for path in read_paths(world):
        response = client.get(path.format(**ids_b), headers=world.headers("coord_a"))
        assert response.status_code == 404, (path, response.text)
        assert "Officer b" not in response.text
    listed = client.get("/api/v1/agencies", headers=world.headers("coord_a")).json()
    assert [a["id"] for a in listed] == [world.agency["a"]]
    before = ledger_size(world)
    for path, operation in command_paths(world):
        response = client.post(
            path.format(**ids_b), json=valid_body(world, operation, ids_b), headers=world.headers("coord_a")
        )
        # 404 for a record of B (its existence stays hidden); 403 only where the role itself may not act
        # (creating an agency or adding a facility is an admin's); never a change.
        assert response.status_code in (403, 404), (path, response.status_code, response.text)
    assert ledger_size(world) == before
