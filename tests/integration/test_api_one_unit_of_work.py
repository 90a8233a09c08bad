"""An API read resolves its bearer token inside its own unit of work (wso.http.auth.api_unit_of_work): one pool
checkout per request, a bad token still 401 before a bad query string's 422, a refusal still logged and the read
still logged before the response. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from tests.integration.web_support import World
from wso.demo.crowd import add_officers
from wso.store.tables import AccessLog
from wso.store.uow import Store


@contextmanager
def checkouts(engine: Engine) -> Iterator[list[object]]:
    taken: list[object] = []

    def count(*_: object) -> None:
        taken.append(1)

    event.listen(engine, "checkout", count)
    try:
        yield taken
    finally:
        event.remove(engine, "checkout", count)


def log(database_url: str) -> list[tuple[str, str, str, str]]:
    store = Store(database_url)
    try:
        with store.unit_of_work() as uow:
            rows = uow.session.execute(select(AccessLog.actor, AccessLog.action, AccessLog.entity, AccessLog.outcome))
            return [tuple(row) for row in rows]
    finally:
        store.dispose()


def test_an_api_read_takes_one_connection_and_logs_the_read(
    client: TestClient, world: World, database_url: str
) -> None:
    store = Store(database_url)
    try:
        (officer,) = add_officers(store, agreement_id=world.agreement["a"], count=1, at=datetime.now(UTC))
    finally:
        store.dispose()
    path = f"/api/v1/agencies/{world.agency['a']}/officers"
    assert client.get(path, headers=world.headers("coord_a")).status_code == 200  # warm the pool
    with checkouts(world.app.state.engine) as taken:
        response = client.get(path, headers=world.headers("coord_a"))
    assert response.status_code == 200, response.text[:300]
    assert len(taken) == 1
    assert [row["id"] for row in response.json()] == [officer]
    assert log(database_url).count(("coord_a (coordinator)", "read", "officer", "shown")) == 2  # committed first


def test_a_bad_token_is_401_before_a_bad_query_string_is_422(client: TestClient, world: World) -> None:
    path = f"/api/v1/agencies/{world.agency['a']}/officers?at=not-an-instant"
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert client.get(path, headers=world.headers("coord_a")).status_code == 422


def test_a_refused_read_is_refused_and_logged(client: TestClient, world: World, database_url: str) -> None:
    response = client.get(f"/api/v1/agencies/{world.agency['b']}/officers", headers=world.headers("coord_a"))
    assert response.status_code in (403, 404), response.text[:300]
    assert any(action == "refused" for _, action, _, _ in log(database_url))


def test_many_reads_at_once_all_answer(client: TestClient, world: World) -> None:
    """More requests at once than the engine's pool has connections (5 + 10) and the thread pool has threads (40):
    a connection taken in one thread-pool hop and used in the next left requests holding connections waiting for
    threads held by requests waiting for connections."""
    path = f"/api/v1/agencies/{world.agency['a']}/officers"
    headers = world.headers("coord_a")
    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses = list(pool.map(lambda _: client.get(path, headers=headers).status_code, range(120)))
    assert statuses == [200] * 120
