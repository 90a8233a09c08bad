"""The hold board and the person page over HTTP, on SQLite and PostgreSQL.

The board reads only the projection: a constant number of SQL queries for 10 and for 100 holds
(counted with a SQLAlchemy event hook), no rule asked while drawing, most urgent first, filters and
pages in SQL. The person page shows the timeline, the reasons and the actions allowed now, whose
forms post to the holds services with CSRF.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.integration.board_support import BoardJail, add_holds, make_board_jail, sign_in
from tests.integration.holds_support import run
from wso.holds import commands as c
from wso.holds import service as s
from wso.store.uow import Store
from wso.web.app import create_app

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def board_jail(store: Store) -> BoardJail:
    return make_board_jail(store, at=NOW - timedelta(days=40))


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(database_url)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
    app.state.engine.dispose()


def _count_queries(client: TestClient, path: str) -> tuple[int, str]:
    engine = client.app.state.engine
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text
    return len(statements), response.text


def test_the_board_costs_the_same_few_queries_for_10_and_for_100_holds(
    store: Store, board_jail: BoardJail, client: TestClient
) -> None:
    add_holds(store, board_jail.jail, 10, now=NOW)
    sign_in(client, board_jail, "clerk_1")
    ten, page = _count_queries(client, "/holds")
    assert page.count('class="hold ') == 10
    add_holds(store, board_jail.jail, 90, now=NOW, start=10)
    hundred, page = _count_queries(client, "/holds")
    assert page.count('class="hold ') == 50 and "more follow" in page
    second = client.get("/holds?page=2").text
    assert second.count('class="hold ') == 50 and "more follow" not in second
    assert ten == hundred <= 10, (ten, hundred)
    later_page, _ = _count_queries(client, "/holds/rows?page=2")
    assert later_page <= hundred + 1  # a page that starts past the overdue holds counts them once


def test_the_board_asks_no_rule_while_drawing(
    store: Store, board_jail: BoardJail, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_holds(store, board_jail.jail, 3, now=NOW)
    sign_in(client, board_jail, "clerk_1")

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the board asked a rule")

    import wso.holds.decide
    import wso.rules.holds

    monkeypatch.setattr(wso.rules.holds, "hold_status", forbidden)
    monkeypatch.setattr(wso.holds.decide, "hold_status", forbidden)
    response = client.get("/holds")
    assert response.status_code == 200 and response.text.count('class="hold ') == 3


def test_most_urgent_first_and_filters_by_status_flag_facility_and_page(
    store: Store, board_jail: BoardJail, client: TestClient
) -> None:
    jail = board_jail.jail
    ids = add_holds(store, jail, 4, now=NOW - timedelta(hours=1))
    # Person 00003: release moved up by a court, cleared and served at once (H3); ICE not yet notified.
    target = ids[3]
    run(
        store,
        s.change_release,
        actor=jail.clerk,
        hold_id=target,
        now=NOW - timedelta(minutes=30),
        command=c.ChangeRelease(reason="court_order", scheduled_release_at=NOW - timedelta(minutes=30)),
    )
    run(
        store,
        s.clear_for_release,
        actor=jail.clerk,
        hold_id=target,
        now=NOW - timedelta(minutes=29),
        command=c.ClearForRelease(),
    )
    run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=target,
        now=NOW - timedelta(minutes=29),
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-00003"),
    )
    sign_in(client, board_jail, "clerk_1")
    page = client.get("/holds").text
    assert page.index("Person 00003") < page.index("Person 00000")  # its next action is due soonest
    flagged = client.get("/holds?flag=ice_not_notified").text
    assert flagged.count('class="hold ') == 1 and "Person 00003" in flagged and "ICE not notified" in flagged
    held = client.get("/holds?status=held_for_ice").text
    assert held.count('class="hold ') == 1
    assert client.get(f"/holds?facility_id={jail.facility_id}").text.count('class="hold ') == 4
    assert client.get("/holds?facility_id=nowhere").text.count('class="hold ') == 0
    bad = client.get("/holds?status=asleep")
    assert bad.status_code == 422 and "status" in bad.text


def test_the_person_page_shows_timeline_reasons_and_posts_the_actions_allowed_now(
    store: Store, board_jail: BoardJail, client: TestClient
) -> None:
    jail = board_jail.jail
    hold_id = add_holds(store, jail, 1, now=NOW - timedelta(hours=1))[0]
    csrf = sign_in(client, board_jail, "clerk_1")
    page = client.get(f"/holds/{hold_id}").text
    assert "booked" in page and "warrant received" in page  # the timeline
    assert 'id="action-clear"' in page and 'id="action-serve"' not in page  # a clerk clears; a WSO serves
    assert "H1" in page or "H3" in page  # reasons with their rule ids
    refused = client.post(f"/holds/{hold_id}/clear", data={"expected_version": "2"})
    assert refused.status_code == 403  # no CSRF token
    done = client.post(f"/holds/{hold_id}/clear", data={"csrf_token": csrf, "expected_version": "2"})
    assert done.status_code == 303 and done.headers["location"] == f"/holds/{hold_id}"
    page = client.get(f"/holds/{hold_id}").text
    assert "cleared for release" in page and "version 3" in page
    stale = client.post(
        f"/holds/{hold_id}/release", data={"csrf_token": csrf, "expected_version": "2", "reason": "charges_or_court"}
    )
    assert stale.status_code == 409 and "version" in stale.text  # the page was out of date: nothing written


def test_the_demo_board_and_every_demo_person_page_render(store: Store, client: TestClient) -> None:
    import re

    from tests.integration.web_support import next_code
    from wso.demo import demo_totp_secrets, load_demo

    load_demo(store, at=NOW)
    with store.unit_of_work() as uow:
        secrets = demo_totp_secrets(uow)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    signed = client.post(
        "/login",
        data={"username": "demo-clerk", "password": "wso-demo-password", "csrf_token": token, "next": "/holds"},
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/login/code"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login/code").text).group(1)
    code = client.post(
        "/login/code", data={"code": next_code(secrets["demo-clerk"], {}, "demo-clerk"), "csrf_token": token}
    )
    assert code.status_code == 303
    board = client.get("/holds?per_page=100")
    assert board.status_code == 200
    ids = re.findall(r'data-hold="([0-9a-f-]{36})"', board.text)
    assert len(ids) >= 5  # the demo's holds at every stage
    for hold_id in ids:
        page = client.get(f"/holds/{hold_id}")
        assert page.status_code == 200 and 'id="timeline"' in page.text, hold_id
    for status in ("held_for_ice", "release_required", "transferred", "released"):
        assert client.get(f"/holds?status={status}").status_code == 200
    assert client.get("/holds/static/board.js").status_code == 200


def test_item7_each_hold_the_board_and_the_hold_list_show_is_logged_once_as_read(
    store: Store, board_jail: BoardJail, client: TestClient
) -> None:
    """The board and GET /api/v1/holds show detained persons' names: one access-log row per hold shown,
    per request (issue 14 item 7; CJIS 5.4.1.1), as a person's own page does."""
    from sqlalchemy import select

    from wso.store.tables import AccessLog

    def hold_reads() -> list[str]:
        with store.unit_of_work() as uow:
            return list(
                uow.session.scalars(
                    select(AccessLog.entity_id).where(AccessLog.entity == "hold", AccessLog.action == "read")
                )
            )

    add_holds(store, board_jail.jail, 3, now=NOW)
    sign_in(client, board_jail, "clerk_1")
    start = len(hold_reads())  # signing in may already have drawn the board
    page = client.get("/holds")
    assert page.status_code == 200 and page.text.count('class="hold ') == 3
    shown = hold_reads()[start:]
    assert len(shown) == len(set(shown)) == 3
    assert client.get("/holds/rows").status_code == 200
    assert len(hold_reads()) == start + 6  # the refreshed rows are shown again
    with store.unit_of_work() as uow:  # what GET /api/v1/holds and `wso holds list` call
        listed = s.list_holds(uow, actor=board_jail.jail.clerk)
    assert len(listed) == 3
    assert sorted(hold_reads()[start + 6 :]) == sorted(shown)
