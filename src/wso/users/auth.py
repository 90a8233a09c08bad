"""Who is acting: passwords (Argon2) and API bearer tokens (only their SHA-256 is stored).

The web session holds a token issued at login (see wso.http.auth), so the API and the pages
authenticate the same way, and revoking a token or deactivating a user ends every session at once.
Each token has its own ledger stream (`api_token:<id>`): issued and revoked are events.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select

from wso.rules.security import token_expiry
from wso.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from wso.services.inputs import aware, jsonable, new_id, optional_aware, text
from wso.services.lookup import load
from wso.services.permissions import Actor, Permission, require
from wso.store import tables
from wso.store.uow import UnitOfWork
from wso.users.service import actor_of, load_user

__all__ = [
    "Actor",
    "TokenView",
    "actor_for_token",
    "authenticate",
    "issue_api_token",
    "list_api_tokens",
    "revoke_api_token",
    "revoke_api_token_by_id",
    "token_digest",
]


@dataclass(frozen=True)
class TokenView:
    """A token as its owner and an admin see it: never the token itself (only its hash is kept)."""

    id: str
    user_id: str
    username: str
    purpose: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self.__dict__)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    at: datetime | None = None,
    address: str = "local",
    channel: str = "cli",
) -> Actor:
    """The actor for a username and password, through the same lock, throttle and log as the web (S4).

    Used by the CLI, whose user already holds direct database access (more than any role grants),
    so no second factor is asked there; the network entry points (pages, POST /tokens) ask for it.
    """
    from wso.users.signin import check_password  # noqa: PLC0415  (signin imports users, as this does)

    when = at or datetime.now(UTC)
    return check_password(
        uow, username=username, password=password, address=address, channel=channel, at=when, second_factor=False
    ).actor


def issue_api_token(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    purpose: str = "",
    user_id: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """A new bearer token for the actor (or, for a user manager, for `user_id`); shown once, never stored.

    Every token expires (S5): without `expires_at`, after the longest validity the params allow.
    """
    aware("at", at)
    optional_aware("expires_at", expires_at)
    if expires_at is not None and expires_at <= at:
        raise InvalidInput("expires_at", "must be later than now")
    expiry = token_expiry(at=at, requested=expires_at)
    if not expiry.allowed:
        raise InvalidInput("expires_at", expiry.reasons[0].text, rule_ids=expiry.rule_ids)
    expires_at = expiry.values["expires_at"]
    purpose = text("purpose", purpose, required=False)
    if user_id is None or user_id == actor.user_id:
        if actor.user_id is None:
            raise Forbidden("the operator has no user account; issue a token for a named user")
        owner = load(uow, tables.User, actor.user_id, actor=Actor.system())
    else:
        require(actor, Permission.MANAGE_USERS)
        owner = load_user(uow, actor=actor, user_id=user_id)
    if not owner.active:
        raise Forbidden(f"user {owner.username} is deactivated")
    token = secrets.token_urlsafe(32)
    row = tables.ApiToken(
        id=new_id(),
        user_id=owner.id,
        token_sha256=token_digest(token),
        label=purpose,
        created_at=at,
        expires_at=expires_at,
    )
    uow.session.add(row)
    uow.append(
        stream=f"api_token:{row.id}",
        actor=actor.label,
        at=at,
        type="api_token.issued",
        payload={"user_id": owner.id, "purpose": purpose, "expires_at": expires_at.isoformat()},
    )
    return token


def _token_row(uow: UnitOfWork, token: str) -> tables.ApiToken | None:
    if not token:
        return None
    return uow.session.scalar(select(tables.ApiToken).where(tables.ApiToken.token_sha256 == token_digest(token)))


def actor_for_token(uow: UnitOfWork, *, token: str, at: datetime) -> Actor:
    """The actor a bearer token stands for, if it is known, unrevoked, unexpired and its user active."""
    aware("at", at)
    # The token and its user in one query of the columns needed (no ORM objects to build): every
    # API request pays this once, so the statement is built once, at import.
    # Core, on the transaction's connection: the ORM's execute path costs more than the query for one row.
    found = uow.session.connection().execute(_TOKEN_ACTOR, {"digest": token_digest(token)}).first() if token else None
    if found is None:
        raise NotAuthenticated("unknown, expired or revoked token")
    if found.revoked_at is not None or (found.expires_at is not None and found.expires_at <= at):
        raise NotAuthenticated("unknown, expired or revoked token")
    if not found.active:
        raise NotAuthenticated("unknown, expired or revoked token")
    return Actor(user_id=found.id, username=found.username, role=found.role, agency_id=found.agency_id)


_TOKENS, _USERS = tables.ApiToken.__table__.c, tables.User.__table__.c
_TOKEN_ACTOR = (
    select(
        _TOKENS.revoked_at,
        _TOKENS.expires_at,
        _USERS.id,
        _USERS.username,
        _USERS.role,
        _USERS.agency_id,
        _USERS.active,
    )
    .join_from(tables.ApiToken.__table__, tables.User.__table__, _USERS.id == _TOKENS.user_id)
    .where(_TOKENS.token_sha256 == bindparam("digest"))
)


def revoke_api_token(uow: UnitOfWork, *, token: str, at: datetime) -> None:
    """Revoke a token (logging out, or a leaked token): whoever holds it may revoke it."""
    aware("at", at)
    row = _token_row(uow, token)
    if row is None or row.revoked_at is not None:
        raise NotFound("api_token", "(given token)")
    user = uow.session.get(tables.User, row.user_id)
    row.revoked_at = at
    uow.append(
        stream=f"api_token:{row.id}",
        actor=actor_of(user).label if user else "unknown",
        at=at,
        type="api_token.revoked",
        payload={},
    )


def _view(row: tables.ApiToken, username: str, at: datetime | None) -> TokenView:
    active = row.revoked_at is None and (row.expires_at is None or at is None or row.expires_at > at)
    return TokenView(
        id=row.id,
        user_id=row.user_id,
        username=username,
        purpose=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        active=active,
    )


def list_api_tokens(uow: UnitOfWork, *, actor: Actor, at: datetime, user_id: str | None = None) -> list[TokenView]:
    """The tokens of the actor (by default) or, for an admin, of a user they manage; newest first.
    Web sessions are not tokens and are not listed here."""
    aware("at", at)
    if user_id is None or user_id == actor.user_id:
        if actor.user_id is None:
            raise Forbidden("the operator has no tokens; name a user")
        owner = load(uow, tables.User, actor.user_id, actor=Actor.system())
    else:
        require(actor, Permission.MANAGE_USERS)
        owner = load_user(uow, actor=actor, user_id=user_id)
    rows = uow.session.scalars(
        select(tables.ApiToken).where(tables.ApiToken.user_id == owner.id).order_by(tables.ApiToken.created_at.desc())
    )
    return [_view(row, owner.username, at) for row in rows]


def revoke_api_token_by_id(uow: UnitOfWork, *, actor: Actor, at: datetime, token_id: str) -> TokenView:
    """Revoke a token by its id: its owner may, and an admin for a user they manage (404 otherwise)."""
    aware("at", at)
    from wso.services.inputs import record_id  # noqa: PLC0415

    row = uow.session.get(tables.ApiToken, record_id("token_id", token_id))
    if row is None:
        raise NotFound("api_token", token_id)
    if row.user_id != actor.user_id:
        if not actor.can(Permission.MANAGE_USERS):
            raise NotFound("api_token", token_id)  # another user's token: its existence stays hidden
        load_user(uow, actor=actor, user_id=row.user_id)  # NotFound outside the admin's reach
    owner = uow.session.get(tables.User, row.user_id)
    if row.revoked_at is None:
        row.revoked_at = at
        uow.append(stream=f"api_token:{row.id}", actor=actor.label, at=at, type="api_token.revoked", payload={})
    return _view(row, owner.username if owner else "", at)
