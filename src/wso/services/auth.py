"""Who is acting: passwords (Argon2) and API bearer tokens (only their SHA-256 is stored).

The web session holds a token issued at login (see wso.web.auth), so the API and the pages
authenticate the same way, and revoking a token or deactivating a user ends every session at once.
Each token has its own ledger stream (`api_token:<id>`): issued and revoked are events.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from wso.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from wso.services.inputs import aware, new_id, optional_aware, text
from wso.services.lookup import load
from wso.services.permissions import Actor, Permission, require
from wso.services.users import actor_of, hasher, user_by_username
from wso.store import tables
from wso.store.uow import UnitOfWork

__all__ = ["Actor", "actor_for_token", "authenticate", "issue_api_token", "revoke_api_token", "token_digest"]

_BAD_LOGIN = "unknown username or wrong password"
# Verifying against a real hash when the user does not exist takes as long as a wrong password,
# so response time does not tell which usernames exist.
_DUMMY_HASH = hasher.hash("wso-no-such-user-placeholder")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(uow: UnitOfWork, *, username: str, password: str, at: datetime | None = None) -> Actor:
    """The actor for a username and password; NotAuthenticated (one message) for any failure."""
    user = user_by_username(uow, username=(username or "").strip())
    try:
        hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated(_BAD_LOGIN) from None
    if user is None or not user.active:
        raise NotAuthenticated(_BAD_LOGIN)
    return actor_of(user)


def issue_api_token(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    purpose: str = "",
    user_id: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """A new bearer token for the actor (or, for a user manager, for `user_id`); shown once, never stored."""
    aware("at", at)
    optional_aware("expires_at", expires_at)
    if expires_at is not None and expires_at <= at:
        raise InvalidInput("expires_at", "must be later than now")
    purpose = text("purpose", purpose, required=False)
    if user_id is None or user_id == actor.user_id:
        if actor.user_id is None:
            raise Forbidden("the operator has no user account; issue a token for a named user")
        owner = load(uow, tables.User, actor.user_id, actor=Actor.system())
    else:
        require(actor, Permission.MANAGE_USERS)
        owner = load(uow, tables.User, user_id, actor=actor)
    if not owner.active:
        raise Forbidden(f"user {owner.username} is deactivated")
    token = secrets.token_urlsafe(32)
    row = tables.ApiToken(
        id=new_id(), user_id=owner.id, token_sha256=token_digest(token), label=purpose, created_at=at, expires_at=expires_at
    )
    uow.session.add(row)
    uow.append(
        stream=f"api_token:{row.id}", actor=actor.label, at=at, type="api_token.issued",
        payload={"user_id": owner.id, "purpose": purpose, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    uow.commit()
    return token


def _token_row(uow: UnitOfWork, token: str) -> tables.ApiToken | None:
    if not token:
        return None
    return uow.session.scalar(select(tables.ApiToken).where(tables.ApiToken.token_sha256 == token_digest(token)))


def actor_for_token(uow: UnitOfWork, *, token: str, at: datetime) -> Actor:
    """The actor a bearer token stands for, if it is known, unrevoked, unexpired and its user active."""
    aware("at", at)
    # The token and its user in one query: every API request and page pays this once.
    found = (
        uow.session.execute(
            select(tables.ApiToken, tables.User)
            .join(tables.User, tables.User.id == tables.ApiToken.user_id)
            .where(tables.ApiToken.token_sha256 == token_digest(token))
        ).first()
        if token
        else None
    )
    if found is None:
        raise NotAuthenticated("unknown, expired or revoked token")
    row, user = found
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= at):
        raise NotAuthenticated("unknown, expired or revoked token")
    if not user.active:
        raise NotAuthenticated("unknown, expired or revoked token")
    return actor_of(user)


def revoke_api_token(uow: UnitOfWork, *, token: str, at: datetime) -> None:
    """Revoke a token (logging out, or a leaked token): whoever holds it may revoke it."""
    aware("at", at)
    row = _token_row(uow, token)
    if row is None or row.revoked_at is not None:
        raise NotFound("api_token", "(given token)")
    user = uow.session.get(tables.User, row.user_id)
    row.revoked_at = at
    uow.append(
        stream=f"api_token:{row.id}", actor=actor_of(user).label if user else "unknown", at=at,
        type="api_token.revoked", payload={},
    )
    uow.commit()
