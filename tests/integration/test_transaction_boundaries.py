"""Issue 11 item 2: the shell owns the transaction, counted in COMMITs on the database connection.

Definitions asserted here: a command request commits exactly once (its events, projections and read
log together); a read commits once when it showed a person's record (the access-log rows, one per
record) and not at all when it showed none (a pure read ends with ROLLBACK); a refused or failed
command commits nothing, so no row of it is half written; a page form POST, whether it fails
validation or succeeds and redirects, logs no read (the page it redirects to does). On SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select

from tests.integration.records_support import County, later, nominate
from tests.integration.web_support import World, ago, sign_in
from wso.agreements import service as agreements
from wso.due import service as due
from wso.store.account_tables import SignInAttempt
from wso.store.ledger import LedgerEvent
from wso.store.tables import AccessLog
from wso.store.uow import Store


class Commits:
    """How many COMMITs the engine's connections sent while counting."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _connection: object) -> None:
        self.count += 1


@contextmanager
def counting(engine: Engine) -> Iterator[Commits]:
    commits = Commits()
    event.listen(engine, "commit", commits)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", commits)


def rows(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def nominate_api(client: TestClient, world: World, name: str = "Dana Ortiz") -> str:
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
    return str(response.json()["id"])


def test_a_command_request_commits_exactly_once(client: TestClient, world: World) -> None:
    engine = world.app.state.engine
    officer_id = nominate_api(client, world)
    before = rows(engine, LedgerEvent)
    with counting(engine) as commits:
        response = client.post(
            f"/api/v1/officers/{officer_id}/exam-attempts",
            json={"taken_at": ago(hours=1), "score_percent": 64},
            headers=world.headers("coord_a"),
        )
    assert response.status_code == 200, response.text
    assert commits.count == 1
    assert rows(engine, LedgerEvent) == before + 1


def test_a_refused_command_commits_nothing(client: TestClient, world: World) -> None:
    engine = world.app.state.engine
    officer_id = nominate_api(client, world)
    before = (rows(engine, LedgerEvent), rows(engine, AccessLog))
    with counting(engine) as commits:
        refused = client.post(  # the letter before the exam is passed: O3 says no
            f"/api/v1/officers/{officer_id}/authorization-letter",
            json={"signed_at": ago(hours=1)},
            headers=world.headers("coord_a"),
        )
    assert refused.status_code == 409, refused.text
    assert commits.count == 0
    assert (rows(engine, LedgerEvent), rows(engine, AccessLog)) == before


def test_what_is_due_commits_once_for_its_read_log_and_not_at_all_when_it_shows_no_one(
    client: TestClient, world: World
) -> None:
    engine = world.app.state.engine
    path = f"/api/v1/agencies/{world.agency['a']}/due"
    with counting(engine) as commits:  # no officer, no complaint: a pure read
        assert client.get(path, headers=world.headers("coord_a")).status_code == 200
    assert commits.count == 0
    ids = {nominate_api(client, world, name) for name in ("Ann One", "Bo Two", "Cy Three")}
    logged = rows(engine, AccessLog)
    with counting(engine) as commits:
        assert client.get(path, headers=world.headers("coord_a")).status_code == 200
    assert commits.count == 1  # what_is_due used to commit three times
    with engine.connect() as connection:
        shown = connection.execute(
            select(AccessLog.entity, AccessLog.entity_id).where(AccessLog.seq > logged, AccessLog.action == "read")
        ).all()
    assert sorted(shown) == sorted(("officer", i) for i in ids)  # each record once


def test_a_service_error_after_its_writes_leaves_no_half_written_rows(store: Store, county: County) -> None:
    nominate(store, county)
    before = (rows(store.engine, LedgerEvent), rows(store.engine, AccessLog))

    def entry_point() -> None:
        with store.unit_of_work() as uow:
            agreements.record_meeting(
                uow, actor=county.coordinator, at=later(5), agreement_id=county.agreement_id, held_at=later(5)
            )
            due.what_is_due(uow, actor=county.coordinator, agency_id=county.agency_id, at=later(5))  # a read, noted
            uow.session.flush()
            raise RuntimeError("the entry point fails after the services ran")

    with counting(store.engine) as commits, pytest.raises(RuntimeError, match="after the services ran"):
        entry_point()
    assert commits.count == 0
    assert (rows(store.engine, LedgerEvent), rows(store.engine, AccessLog)) == before


def test_several_services_in_one_block_are_one_commit(store: Store, county: County) -> None:
    with counting(store.engine) as commits, store.unit_of_work() as uow:
        for day in (5, 6):
            agreements.record_meeting(
                uow, actor=county.coordinator, at=later(day), agreement_id=county.agreement_id, held_at=later(day)
            )
    assert commits.count == 1


def _officer_page(client: TestClient, world: World) -> str:
    officer_id = nominate_api(client, world)
    return f"/officers/{officer_id}"


def test_a_form_post_logs_no_read(client: TestClient, world: World) -> None:
    engine = world.app.state.engine
    page = _officer_page(client, world)
    csrf = sign_in(client, world, "coord_a")
    logged = rows(engine, AccessLog)
    invalid = client.post(page + "/exam-attempts", data={"csrf_token": csrf, "taken_at": "2026-01-05T10:00"})
    assert invalid.status_code == 422 and "score_percent" in invalid.text  # drawn again, with the field named
    redirected = client.post(
        page + "/exam-attempts", data={"csrf_token": csrf, "taken_at": "2026-01-05T10:00", "score_percent": "81"}
    )
    assert redirected.status_code == 303, redirected.text
    assert rows(engine, AccessLog) == logged  # neither POST logged a read
    assert client.get(page).status_code == 200  # the page the form redirects to logs its one read
    with engine.connect() as connection:
        reads = connection.execute(select(AccessLog.entity, AccessLog.action).where(AccessLog.seq > logged)).all()
    assert reads == [("officer", "read")]


def test_a_page_read_is_logged_once_per_request(client: TestClient, world: World) -> None:
    engine = world.app.state.engine
    page = _officer_page(client, world)
    sign_in(client, world, "coord_a")
    logged = rows(engine, AccessLog)
    with counting(engine) as commits:
        assert client.get(page).status_code == 200
    assert rows(engine, AccessLog) == logged + 1
    assert commits.count == 1  # the read log, written with the page's one unit of work


def test_a_refused_sign_in_commits_its_attempt_and_nothing_else(client: TestClient, world: World) -> None:
    """The one error that keeps what was written before it (SignInRefused): the attempt is S4's evidence."""
    engine = world.app.state.engine
    before = rows(engine, SignInAttempt)
    with counting(engine) as commits:
        wrong = client.post("/api/v1/tokens", json={"username": "coord_a", "password": "not the password"})
    assert wrong.status_code == 401
    assert commits.count == 1
    assert rows(engine, SignInAttempt) == before + 1
