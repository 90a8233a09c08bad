"""Issue 14, item 5: lockout after 5 failures in a row, throttling by address, every attempt logged.

On SQLite and PostgreSQL, through the API's token endpoint and the login form. The flood that
shows signed-in requests stay fast is a benchmark (bench/login_flood.py), not a timed test; here
the gate's bound itself is checked: never more hashing at once than its slots, and a refusal
(429) instead of an unbounded queue.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.integration.web_support import PASSWORD, World, csrf_of
from wso.http.gate import Busy, HashGate
from wso.store.account_tables import SignInAttempt
from wso.store.db import make_engine


def attempts(world: World) -> list[tuple[str, str, str, str]]:
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(
                    SignInAttempt.username, SignInAttempt.address, SignInAttempt.channel, SignInAttempt.outcome
                ).order_by(SignInAttempt.id)
            ).all()
    finally:
        engine.dispose()
    return [tuple(r) for r in rows]


def age_attempts(world: World, by: timedelta) -> None:
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.begin() as connection:
            for row_id, at in connection.execute(select(SignInAttempt.id, SignInAttempt.at)).all():
                connection.execute(update(SignInAttempt).where(SignInAttempt.id == row_id).values(at=at - by))
    finally:
        engine.dispose()


def ask_token(client: TestClient, world: World, password: str, username: str = "coord_a") -> int:
    body = {
        "username": username,
        "password": password,
        "totp_code": world.code(username) if password == PASSWORD else "",
    }
    return client.post("/api/v1/tokens", json=body).status_code


def test_item5_five_wrong_passwords_then_the_right_one_is_refused_until_the_lock_ends(
    client: TestClient, world: World
) -> None:
    for _ in range(5):
        assert ask_token(client, world, "not the password") == 401
    assert ask_token(client, world, PASSWORD) == 401  # locked: the right password is refused too
    # The login form says the same words (no hint that the account exists or is locked).
    token = csrf_of(client.get("/login").text)
    page = client.post("/login", data={"username": "coord_a", "password": PASSWORD, "csrf_token": token})
    assert page.status_code == 401 and "too many failed attempts" in page.text
    logged = attempts(world)
    assert [a[3] for a in logged] == ["bad_password"] * 5 + ["locked", "locked"]
    assert {a[1] for a in logged} == {"testclient"} and {a[2] for a in logged} == {"api", "web"}
    # 30 minutes later (CJIS AC-7), the right password and code sign in, and the count starts again.
    age_attempts(world, timedelta(minutes=30))
    assert ask_token(client, world, PASSWORD) == 201
    assert attempts(world)[-1][3] == "success"


def test_item5_an_unknown_name_locks_like_a_real_one_and_a_success_resets_the_count(
    client: TestClient, world: World
) -> None:
    for _ in range(5):
        assert ask_token(client, world, "guess", username="nobody_here") == 401
    assert attempts(world)[-1][3] == "bad_password"
    assert ask_token(client, world, "guess", username="nobody_here") == 401
    assert attempts(world)[-1][3] == "locked"
    for _ in range(4):
        assert ask_token(client, world, "not the password", username="clerk_a") == 401
    assert ask_token(client, world, PASSWORD, username="clerk_a") == 201
    for _ in range(4):
        assert ask_token(client, world, "not the password", username="clerk_a") == 401
    assert ask_token(client, world, PASSWORD, username="clerk_a") == 201  # 4 + 4 failures, not 8 in a row


def test_item5_an_address_guessing_across_accounts_is_throttled(client: TestClient, world: World) -> None:
    names = [f"someone_{i}" for i in range(20)]
    for name in names:  # one failure per name: no account lock, but 20 from one address
        assert ask_token(client, world, "guess", username=name) == 401
    refused = client.post(
        "/api/v1/tokens", json={"username": "coord_a", "password": PASSWORD, "totp_code": world.code("coord_a")}
    )
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
    assert refused.json()["rule_ids"] == ["S4"]
    assert attempts(world)[-1][3] == "throttled"


def test_item5_the_hashing_gate_never_runs_more_than_its_slots_and_refuses_beyond_its_queue() -> None:
    running, peak = 0, 0
    lock = threading.Lock()

    def hash_like() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    async def flood() -> list[object]:
        gate = HashGate(2)
        calls = [gate.run(hash_like) for _ in range(2 + 2 * 8 + 3)]  # slots + queue + 3 too many
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(flood())
    refused = [r for r in results if isinstance(r, Busy)]
    assert peak == 2
    assert len(refused) == 3 and all(r is None for r in results if not isinstance(r, Busy))


@pytest.mark.parametrize("slots", [1])
def test_item5_a_busy_gate_answers_429_in_the_documented_shape(
    client: TestClient, world: World, slots: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wso.http import gate as gate_module

    class Full(HashGate):
        async def run(self, work, /, **kwargs):  # type: ignore[no-untyped-def]
            raise Busy("too many sign-ins at once; try again in a moment")

    monkeypatch.setattr(gate_module, "gate", lambda: Full(slots))
    response = client.post("/api/v1/tokens", json={"username": "coord_a", "password": PASSWORD})
    assert response.status_code == 429 and response.json()["error"] == "too_many_requests"


def test_item7_every_sign_in_attempt_is_evidence_in_the_chained_access_log(client: TestClient, world: World) -> None:
    """Item 7: failed and successful sign-ins land in the access log that `wso ledger verify` checks."""
    from wso.store.tables import AccessLog

    assert ask_token(client, world, "not the password") == 401
    assert ask_token(client, world, PASSWORD) == 201
    engine = make_engine(world.app.state.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(AccessLog.actor, AccessLog.action, AccessLog.outcome, AccessLog.address)
                .where(AccessLog.action.like("sign_in%"))
                .order_by(AccessLog.seq)
            ).all()
    finally:
        engine.dispose()
    outcomes = [(r.actor, r.outcome) for r in rows]
    assert outcomes[-3:] == [("coord_a", "bad_password"), ("coord_a", "password_ok"), ("coord_a", "success")]
    assert all(r.address for r in rows[-3:])
