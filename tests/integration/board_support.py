"""A jail with holds and signed-in users for the board's page tests (and the browser test).

Built through the services on the database of tests/conftest.py's `database_url` (a fresh migrated
SQLite file or PostgreSQL database per test): the holds area's test jail (a Florida county, a signed
WSO agreement, an authorized WSO), users with passwords for each role, and holds with warrants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient

from tests.integration.holds_support import Jail, i200, make_jail
from tests.integration.web_support import next_code
from wso.holds import commands as c
from wso.holds import service as s
from wso.services.permissions import Actor
from wso.store.uow import Store
from wso.users import mfa
from wso.users import service as users

PASSWORD = "correct horse battery"
SYSTEM = Actor.system("test")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class BoardJail:
    jail: Jail
    usernames: dict[str, str]  # role -> username
    totp: dict[str, str] = field(default_factory=dict)  # username -> enrolled TOTP secret
    _last_step: dict[str, int] = field(default_factory=dict)

    def code(self, username: str) -> str:
        return next_code(self.totp[username], self._last_step, username)


def make_board_jail(store: Store, *, at: datetime) -> BoardJail:
    jail = make_jail(store)
    names: dict[str, str] = {}
    totp: dict[str, str] = {}
    for role in ("clerk", "wso", "supervisor", "auditor"):
        with store.unit_of_work() as uow:
            user = users.create_user(
                uow,
                actor=SYSTEM,
                at=at,
                username=f"{role}_1",
                password=PASSWORD,
                role=role,
                agency_id=jail.county.agency_id,
            )
        with store.unit_of_work() as uow:  # every role but the auditor signs in with a code (S2)
            totp[user.username] = mfa.enrol_confirmed(uow, user_id=user.id, at=at)
            uow.commit()
        names[role] = user.username
    return BoardJail(jail=jail, usernames=names, totp=totp)


def add_holds(store: Store, jail: Jail, count: int, *, now: datetime, start: int = 0) -> list[str]:
    """`count` people booked with an I-200 each, releases spread over the next days; one transaction each."""
    ids = []
    for i in range(start, start + count):
        with store.unit_of_work() as uow:
            hold = s.book_person(
                uow,
                actor=jail.clerk,
                now=now,
                command=c.BookPerson(
                    facility_id=jail.facility_id,
                    booking_number=f"BK-{i:05d}",
                    person_name=f"Person {i:05d}",
                    booking_date=(now - timedelta(days=2)).date(),
                    scheduled_release_at=now + timedelta(hours=2 + i % 90),
                ),
            )
            s.receive_warrant(uow, actor=jail.clerk, hold_id=hold.id, command=i200(f"W-{i:05d}"), now=now)
            uow.commit()
        ids.append(hold.id)
    return ids


def sign_in(client: TestClient, board: BoardJail, username: str) -> str:
    """Signs in through the login form and the code form; returns the session's CSRF token for later forms."""
    token = CSRF.search(client.get("/login").text).group(1)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/holds"}
    )
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/login/code":
        token = CSRF.search(client.get("/login/code").text).group(1)
        response = client.post("/login/code", data={"code": board.code(username), "csrf_token": token})
        assert response.status_code == 303, response.text
    return CSRF.search(client.get("/holds").text).group(1)


def issued(days_ago: int, now: datetime) -> date:
    return (now - timedelta(days=days_ago)).date()
