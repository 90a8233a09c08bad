"""Two counties with real users and tokens, for the API and page tests (and the browser test).

Built through the services (as `wso users create` and the demo do), on the database given by
tests/conftest.py's `database_url`: a fresh migrated SQLite file or PostgreSQL database per test.
Agency A and agency B each have a WSO agreement signed by both parties a month ago, so officers
nominated now can reach "authorized".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from fastapi import FastAPI

from wso.services import agencies, agreements, users
from wso.services.auth import issue_api_token
from wso.services.permissions import Actor
from wso.store.uow import Store
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

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


def build_world(url: str) -> World:
    store = Store(url)
    start = datetime.now(timezone.utc) - timedelta(days=30)
    agency: dict[str, str] = {}
    agreement: dict[str, str] = {}
    tokens: dict[str, str] = {}
    try:
        for key, name in (("a", "Alpha County Sheriff's Office"), ("b", "Bravo County Sheriff's Office")):
            with store.unit_of_work() as uow:
                view = agencies.create_agency(
                    uow, actor=SYSTEM, at=start, name=name, state="TX", timezone=ZONE, facility_name=f"{name} Jail"
                )
            agency[key] = view.id
            with store.unit_of_work() as uow:
                made = agreements.create_agreement(uow, actor=SYSTEM, at=start, agency_id=view.id, model="WSO", template="MOA-2025")
            agreement[key] = made.id
            for party, days in (("LEA", 0), ("ICE", 1)):
                signed = start + timedelta(days=days)
                with store.unit_of_work() as uow:
                    agreements.record_signature(uow, actor=SYSTEM, at=signed, agreement_id=made.id, party=party, signed_at=signed)
        for username, (role, key) in USERS.items():
            with store.unit_of_work() as uow:
                user = users.create_user(
                    uow, actor=SYSTEM, at=start, username=username, password=PASSWORD, role=role,
                    agency_id=agency[key] if key else None,
                )
            actor = Actor(user_id=user.id, username=user.username, role=user.role, agency_id=user.agency_id)
            with store.unit_of_work() as uow:
                tokens[username] = issue_api_token(uow, actor=actor, at=start, purpose="test")
    finally:
        store.dispose()
    return World(app=create_app(url), agency=agency, agreement=agreement, tokens=tokens)


def iso(value: datetime) -> str:
    return value.isoformat()


def ago(**delta: float) -> str:
    """An instant before now, as the API takes it (ISO 8601 with offset)."""
    return (datetime.now(timezone.utc) - timedelta(**delta)).isoformat()
