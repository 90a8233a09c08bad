"""Two counties with real users and tokens, for the API and page tests (and the browser test).

Built through the services (as `wso users create` and the demo do), on the database given by
tests/conftest.py's `database_url`: a fresh migrated SQLite file or PostgreSQL database per test.
Agency A and agency B each have a WSO agreement signed by both parties a month ago, so officers
nominated now can reach "authorized". Every user is enrolled in TOTP (rule S2; `World.totp`), and
`sign_in` is the ONE way a test signs in through the pages: password form, then the code.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.services.permissions import Actor
from wso.store.uow import Store
from wso.users import mfa
from wso.users import service as users
from wso.users.auth import issue_api_token
from wso.web.app import create_app

PASSWORD = "correct horse battery"
SYSTEM = Actor.system("test")
ZONE = "America/Chicago"

# username -> (role, agency key or None)
USERS: dict[str, tuple[str, str | None]] = {
    "coord_a": ("coordinator", "a"),
    "clerk_a": ("clerk", "a"),
    "super_a": ("supervisor", "a"),
    "coord_b": ("coordinator", "b"),
    "auditor": ("auditor", None),
    "admin": ("admin", None),
}


@dataclass
class World:
    app: FastAPI
    agency: dict[str, str]  # "a" / "b" -> agency id
    agreement: dict[str, str]  # "a" / "b" -> agreement id
    tokens: dict[str, str] = field(default_factory=dict)  # username -> bearer token
    totp: dict[str, str] = field(default_factory=dict)  # username -> TOTP secret (enrolled, confirmed)
    user_ids: dict[str, str] = field(default_factory=dict)  # username -> user id
    _last_step: dict[str, int] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def code(self, username: str) -> str:
        """A TOTP code of `username` not used yet in this test (see `next_code`)."""
        return next_code(self.totp[username], self._last_step, username)


def next_code(secret: str, last_step: dict[str, int], username: str) -> str:
    """A TOTP code not used yet in this test: the server accepts each step's code once, within one
    step of its clock (wso.users.mfa.DRIFT_STEPS), so the previous, current and next steps' codes
    serve three sign-ins at once; only a fourth within 30 seconds waits for the next step. The
    previous step's code is used only while 10 s or more of the current step remain, so it is still
    accepted when the server checks it."""
    totp = pyotp.TOTP(secret)
    while True:
        moment = datetime.now(UTC)
        current = totp.timecode(moment)
        left = totp.interval - moment.timestamp() % totp.interval
        for step in (current - 1, current, current + 1) if left >= 10 else (current, current + 1):
            if step > last_step.get(username, 0):
                last_step[username] = step
                return totp.generate_otp(step)
        time.sleep(1)


def build_world(url: str) -> World:
    store = Store(url)
    start = datetime.now(UTC) - timedelta(days=30)
    agency: dict[str, str] = {}
    agreement: dict[str, str] = {}
    tokens: dict[str, str] = {}
    totp: dict[str, str] = {}
    user_ids: dict[str, str] = {}
    try:
        for key, name in (("a", "Alpha County Sheriff's Office"), ("b", "Bravo County Sheriff's Office")):
            with store.unit_of_work() as uow:
                view = agencies.create_agency(
                    uow, actor=SYSTEM, at=start, name=name, state="TX", timezone=ZONE, facility_name=f"{name} Jail"
                )
            agency[key] = view.id
            with store.unit_of_work() as uow:
                made = agreements.create_agreement(
                    uow, actor=SYSTEM, at=start, agency_id=view.id, model="WSO", template="MOA-2025"
                )
            agreement[key] = made.id
            for party, days in (("LEA", 0), ("ICE", 1)):
                signed = start + timedelta(days=days)
                with store.unit_of_work() as uow:
                    agreements.record_signature(
                        uow, actor=SYSTEM, at=signed, agreement_id=made.id, party=party, signed_at=signed
                    )
        for username, (role, key) in USERS.items():
            with store.unit_of_work() as uow:
                user = users.create_user(
                    uow,
                    actor=SYSTEM,
                    at=start,
                    username=username,
                    password=PASSWORD,
                    role=role,
                    agency_id=agency[key] if key else None,
                )
            actor = Actor(user_id=user.id, username=user.username, role=user.role, agency_id=user.agency_id)
            user_ids[username] = user.id
            with store.unit_of_work() as uow:
                tokens[username] = issue_api_token(uow, actor=actor, at=datetime.now(UTC), purpose="test")
            with store.unit_of_work() as uow:
                totp[username] = mfa.enrol_confirmed(uow, user_id=user.id, at=start)
                uow.commit()
    finally:
        store.dispose()
    return World(app=create_app(url), agency=agency, agreement=agreement, tokens=tokens, totp=totp, user_ids=user_ids)


def iso(value: datetime) -> str:
    return value.isoformat()


def ago(**delta: float) -> str:
    """An instant before now, as the API takes it (ISO 8601 with offset)."""
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


def sign_in(
    client: TestClient, world: World, username: str, *, password: str = PASSWORD, next: str = "/agencies"
) -> str:
    """THE way a test signs in through the pages: the password form, then the TOTP code form.
    Returns a CSRF token of the signed-in session (for the forms that follow)."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token, "next": next}
    )
    assert response.status_code == 303 and response.headers["location"] == "/login/code", response.text
    token = csrf_of(client.get("/login/code").text)
    response = client.post("/login/code", data={"code": world.code(username), "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == next, response.text
    return csrf_of(client.get("/agencies").text)


def sign_in_page(page: object, base_url: str, world: World, username: str, *, start: str = "/officers") -> None:
    """The same sign-in in Chromium (Playwright), through the same two forms."""
    page.goto(base_url + start)  # type: ignore[attr-defined]
    assert "/login" in page.url  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("form.login button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/login/code")  # type: ignore[attr-defined]
    page.fill("#code", world.code(username))  # type: ignore[attr-defined]
    page.click("form.login button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
