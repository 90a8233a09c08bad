"""Signing in: the password step, the TOTP step, lockout, throttling, and the log of every attempt.

Every attempt (web form, API token request, CLI) is recorded with its address and outcome,
and committed even when the attempt is refused (SignInRefused keeps the writes before it): the
attempts are the facts that the account lock and the address throttle count (rule S4), and CJIS
asks that logons be audited (AU-2).

Failures are counted by the username as typed, so an unknown name locks exactly like a real
one: the lock itself does not reveal which names exist. A refusal always says the same words
for a wrong name, a wrong password and a locked account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from wso.params import default_params
from wso.rules import security
from wso.rules.decision import Decision
from wso.services.errors import NotAuthenticated, SignInRefused, TooManyRequests
from wso.services.inputs import aware
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.access import record_access
from wso.store.account_tables import SignInAttempt
from wso.store.uow import UnitOfWork
from wso.users.service import actor_of, hasher, user_by_username

BAD_SIGN_IN: Final = "wrong user name or password, or too many failed attempts (then wait and try again)"
# Outcomes that count as a failure "in a row" (S4); "locked" and "throttled" attempts were not checked.
FAILURES: Final = frozenset({"bad_password", "bad_code", "inactive"})
OUTCOMES: Final = (*sorted(FAILURES), "password_ok", "success", "locked", "throttled")
# Verifying against a real hash when the user does not exist takes as long as a wrong password.
_DUMMY_HASH: Final = hasher.hash("wso-no-such-user-placeholder")
_MAX_USERNAME: Final = 64


class TooManyAttempts(TooManyRequests):
    """This address has failed too often lately (S4): refused before any password is checked.

    The throttled attempt recorded before it is kept (the unit of work commits it, then re-raises)."""

    keeps_writes = True

    def __init__(self, decision: Decision) -> None:
        super().__init__("too many failed sign-ins from this address; wait a few minutes and try again")
        self.decision = decision
        self.rule_ids = decision.rule_ids


@dataclass(frozen=True)
class PasswordChecked:
    """The password was right: the actor, and whether a TOTP code must follow (S2)."""

    actor: Actor
    needs_code: bool  # enrolled in TOTP: the code step follows
    must_enrol: bool  # the role requires TOTP and the user has none yet: enrolment follows


def record_attempt(
    uow: UnitOfWork, *, at: datetime, username: str, user_id: str | None, address: str, channel: str, outcome: str
) -> None:
    """One attempt, written in the caller's transaction; a refusal that follows is a SignInRefused, which keeps it.

    Kept twice on purpose: in `sign_in_attempts`, which the lockout and the throttle count, and in
    the chained, append-only access log (issue 14 item 7), which is the evidence an auditor verifies.
    """
    uow.session.add(
        SignInAttempt(
            at=at,
            username=username[:_MAX_USERNAME],
            user_id=user_id,
            address=address[:64],
            channel=channel,
            outcome=outcome,
        )
    )
    record_access(
        uow.session,
        actor=username[:_MAX_USERNAME] or "(no name)",
        action=f"sign_in:{channel}",
        entity="user",
        entity_id=user_id or "(unknown user)",
        outcome=outcome,
        address=address[:64],
        at=at,
    )


def failures_in_a_row(uow: UnitOfWork, *, username: str, at: datetime) -> list[datetime]:
    """The failed attempts for `username` since its last successful sign-in (within the lock's reach)."""
    lockout = default_params().at("security.lockout", at).value
    since = at - timedelta(minutes=lockout["window_minutes"] + lockout["lock_minutes"])
    rows = uow.session.execute(
        select(SignInAttempt.at, SignInAttempt.outcome)
        .where(SignInAttempt.username == username[:_MAX_USERNAME], SignInAttempt.at > since)
        .order_by(SignInAttempt.at.desc(), SignInAttempt.id.desc())
    ).all()
    failures: list[datetime] = []
    for when, outcome in rows:
        if outcome == "success":
            break
        if outcome in FAILURES:
            failures.append(when)
    return failures


def address_failures(uow: UnitOfWork, *, address: str, at: datetime) -> list[datetime]:
    window = default_params().at("security.address_throttle", at).value["window_minutes"]
    return list(
        uow.session.scalars(
            select(SignInAttempt.at).where(
                SignInAttempt.address == address[:64],
                SignInAttempt.at > at - timedelta(minutes=window),
                SignInAttempt.outcome.in_(FAILURES),
            )
        )
    )


def check_throttle(uow: UnitOfWork, *, username: str, address: str, channel: str, at: datetime) -> None:
    """Refuses (TooManyAttempts) an address over its failure limit, before any hashing is done."""
    decision = security.address_throttle(failures=address_failures(uow, address=address, at=at), at=at)
    if not decision.allowed:
        record_attempt(
            uow, at=at, username=username, user_id=None, address=address, channel=channel, outcome="throttled"
        )
        raise TooManyAttempts(decision)


def check_password(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    address: str,
    channel: str,
    at: datetime,
    second_factor: bool = True,
) -> PasswordChecked:
    """The password step: throttle, lock, then Argon2. NotAuthenticated (one message) on any failure.

    A locked account is refused even with the right password (S4: "5 wrong, then right" fails).
    `second_factor=False` (the CLI, which runs with the database's own credentials) makes a right
    password a complete sign-in.
    """
    aware("at", at)
    username = (username or "").strip()
    check_throttle(uow, username=username, address=address, channel=channel, at=at)
    user = user_by_username(uow, username=username) if username else None
    user_id = user.id if user else None
    lock = security.account_lock(failures=failures_in_a_row(uow, username=username, at=at), at=at)
    if not lock.allowed:
        record_attempt(
            uow, at=at, username=username, user_id=user_id, address=address, channel=channel, outcome="locked"
        )
        raise SignInRefused(BAD_SIGN_IN)
    try:
        hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
        right = user is not None
    except (VerificationError, InvalidHashError):
        right = False
    if not right or user is None:
        record_attempt(
            uow, at=at, username=username, user_id=user_id, address=address, channel=channel, outcome="bad_password"
        )
        raise SignInRefused(BAD_SIGN_IN)
    if not user.active:
        record_attempt(
            uow, at=at, username=username, user_id=user_id, address=address, channel=channel, outcome="inactive"
        )
        raise SignInRefused(BAD_SIGN_IN)
    from wso.users import mfa  # noqa: PLC0415  (mfa imports this module's record_attempt)

    enrolled = mfa.is_enrolled(uow, user_id=user.id)
    required = security.mfa_required(role=user.role, at=at).allowed
    needs_code = enrolled and second_factor
    must_enrol = required and not enrolled and second_factor
    outcome = "password_ok" if (needs_code or must_enrol) else "success"
    record_attempt(uow, at=at, username=username, user_id=user.id, address=address, channel=channel, outcome=outcome)
    return PasswordChecked(actor=actor_of(user), needs_code=needs_code, must_enrol=must_enrol)


def check_code(uow: UnitOfWork, *, user_id: str, code: str, address: str, channel: str, at: datetime) -> Actor:
    """The TOTP step after a right password: a wrong code counts as a failed sign-in (S4)."""
    from wso.users import mfa  # noqa: PLC0415

    aware("at", at)
    user = uow.session.get(tables.User, user_id)
    if user is None or not user.active:
        raise NotAuthenticated(BAD_SIGN_IN)
    lock = security.account_lock(failures=failures_in_a_row(uow, username=user.username, at=at), at=at)
    if not lock.allowed:
        record_attempt(
            uow, at=at, username=user.username, user_id=user.id, address=address, channel=channel, outcome="locked"
        )
        raise SignInRefused(BAD_SIGN_IN)
    if not mfa.verify(uow, user_id=user.id, code=code, at=at):
        record_attempt(
            uow, at=at, username=user.username, user_id=user.id, address=address, channel=channel, outcome="bad_code"
        )
        raise SignInRefused("wrong or already used code")
    record_attempt(
        uow, at=at, username=user.username, user_id=user.id, address=address, channel=channel, outcome="success"
    )
    return actor_of(user)


def attempts(uow: UnitOfWork, *, username: str | None = None, limit: int = 100) -> list[SignInAttempt]:
    """The latest attempts (for the operator and the tests), newest first."""
    query = select(SignInAttempt).order_by(SignInAttempt.at.desc(), SignInAttempt.id.desc()).limit(limit)
    if username is not None:
        query = query.where(SignInAttempt.username == username)
    return list(uow.session.scalars(query))
