"""Issue 14, item 8: an admin of one agency creates no agency, and learns no other agency's name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.integration.web_support import PASSWORD, SYSTEM, World
from wso.agencies import service as agencies
from wso.services.errors import Forbidden
from wso.services.permissions import Actor
from wso.store.uow import Store
from wso.users import service as users


def agency_admin(world: World) -> Actor:
    store = Store(world.app.state.database_url)
    try:
        with store.unit_of_work() as uow:
            made = users.create_user(
                uow,
                actor=SYSTEM,
                at=datetime.now(UTC),
                username="admin_a",
                password=PASSWORD,
                role="admin",
                agency_id=world.agency["a"],
            )
    finally:
        store.dispose()
    return Actor(user_id=made.id, username=made.username, role=made.role, agency_id=made.agency_id)


def test_item8_an_agency_admin_creates_no_agency_and_learns_no_name(world: World) -> None:
    admin_a = agency_admin(world)
    store = Store(world.app.state.database_url)
    try:
        for name in ("Bravo County Sheriff's Office", "A New County SO"):  # an existing name, and a new one
            with store.unit_of_work() as uow, pytest.raises(Forbidden) as refused:
                agencies.create_agency(
                    uow, actor=admin_a, at=datetime.now(UTC), name=name, state="TX", timezone="America/Chicago"
                )
            assert "Bravo" not in refused.value.reason
        with store.unit_of_work() as uow:
            assert [a.name for a in agencies.list_agencies(uow, actor=admin_a)] == ["Alpha County Sheriff's Office"]
    finally:
        store.dispose()


def test_item8_through_the_api_only_a_system_wide_admin_creates_agencies(client: TestClient, world: World) -> None:
    body = {"name": "Bravo County Sheriff's Office", "state": "TX", "timezone": "America/Chicago"}
    # The system-wide admin may create agencies, and so may see that a name is taken.
    taken = client.post("/api/v1/agencies", json=body, headers=world.headers("admin"))
    assert taken.status_code == 422 and taken.json()["field"] == "name"
    created = client.post(
        "/api/v1/agencies", json={**body, "name": "Charlie County SO"}, headers=world.headers("admin")
    )
    assert created.status_code == 201, created.text
