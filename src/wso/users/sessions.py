"""Web sessions kept on the server (rule S1); the browser holds only an opaque random id.

The id is 256 random bits; only its SHA-256 is stored, so reading the table gives no session to
steal. A session is "pending" after the password step of a user who needs a TOTP code, and
"verified" after it (a new id is issued then: no fixation across the step). Each request checks
the idle lock and the absolute limit (rules.security.session_state) and ends a session that
fails either; signing out, deactivation, a password change or reset end the user's sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update

from wso.rules import security
from wso.services.errors import NotAuthenticated, SignInRefused
from wso.services.inputs import aware, new_id
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.account_tables import WebSession
from wso.store.uow import UnitOfWork
from wso.users.service import actor_of

# A pending session (password right, code not yet typed) lasts this long: a UI timeout, not a legal figure.
PENDING_MINUTES: Final = 10
# last_seen_at is written at most this often, so reading a page is not a write each time; the
# idle lock is then measured to within this many seconds (well inside its 30 minutes).
TOUCH_EVERY_SECONDS: Final = 30


@dataclass(frozen=True)
class PendingSignIn:
    """After the password step: who, and which second step is due."""

    user_id: str
    username: str
    needs_code: bool
    must_enrol: bool


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def _row(uow: UnitOfWork, sid: str) -> WebSession | None:
    if not sid or len(sid) > 200:
        return None
    return uow.session.scalar(select(WebSession).where(WebSession.sid_sha256 == _digest(sid)))


def start(uow: UnitOfWork, *, user_id: str, at: datetime, verified: bool, address: str = "") -> str:
    """A new session; returns its id (for the cookie), of which only the hash is kept."""
    aware("at", at)
    sid = secrets.token_urlsafe(32)
    uow.session.add(
        WebSession(
            id=new_id(),
            sid_sha256=_digest(sid),
            user_id=user_id,
            created_at=at,
            last_seen_at=at,
            mfa_verified_at=at if verified else None,
            ended_at=None,
            end_reason="",
            address=address[:64],
        )
    )
    return sid


def pending(uow: UnitOfWork, *, sid: str, at: datetime) -> tuple[WebSession, tables.User]:
    """The pending session of the second step, if it is recent and its user still active."""
    aware("at", at)
    row = _row(uow, sid)
    if row is None or row.ended_at is not None or row.mfa_verified_at is not None:
        raise NotAuthenticated("sign in first")
    if at - row.created_at > timedelta(minutes=PENDING_MINUTES):
        end(uow, sid=sid, at=at, reason="pending_expired")
        raise NotAuthenticated("the sign-in took too long; sign in again")
    user = uow.session.get(tables.User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("sign in first")
    return row, user


def verify(uow: UnitOfWork, *, sid: str, at: datetime) -> str:
    """The second step is done: the pending session ends and a verified one (new id) begins."""
    row, user = pending(uow, sid=sid, at=at)
    row.ended_at, row.end_reason = at, "verified"
    return start(uow, user_id=user.id, at=at, verified=True, address=row.address)


def actor_for(uow: UnitOfWork, *, sid: str, at: datetime) -> Actor:
    """The actor of a verified, unexpired, recently active session; NotAuthenticated otherwise."""
    aware("at", at)
    row = _row(uow, sid)
    if row is None or row.ended_at is not None or row.mfa_verified_at is None:
        raise NotAuthenticated("sign in first")
    state = security.session_state(started_at=row.created_at, last_seen_at=row.last_seen_at, at=at)
    if not state.allowed:
        row.ended_at, row.end_reason = at, state.status
        raise SignInRefused(state.reasons[0].text)  # the session stays ended
    user = uow.session.get(tables.User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("sign in first")
    if (at - row.last_seen_at).total_seconds() >= TOUCH_EVERY_SECONDS:
        row.last_seen_at = at
    return actor_of(user)


def end(uow: UnitOfWork, *, sid: str, at: datetime, reason: str = "signed_out") -> None:
    """Ends one session (signing out); an unknown or ended id is a no-op."""
    row = _row(uow, sid)
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = at, reason


def end_all_for_user(uow: UnitOfWork, *, user_id: str, at: datetime, reason: str) -> None:
    """Ends every open session of a user (deactivated, password changed or reset); not committed here:
    it belongs to the caller's transaction, so the change and the sign-out happen together."""
    uow.session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=at, end_reason=reason)
    )
