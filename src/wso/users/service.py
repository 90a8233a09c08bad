"""Users and their roles, scoped to an agency (DESIGN.md, Security model)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select

from wso.params.passwords import common_passwords
from wso.rules.security import password_acceptable
from wso.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from wso.services.inputs import aware, choice, new_id, text
from wso.services.lookup import load
from wso.services.permissions import CROSS_AGENCY_ROLES, ROLES, Actor, Permission, may_see_agency, require
from wso.store import tables
from wso.store.uow import UnitOfWork

# argon2-cffi's defaults follow RFC 9106's recommendations; one hasher, so parameters agree.
hasher = PasswordHasher()


@dataclass(frozen=True)
class UserView:
    id: str
    username: str
    role: str
    agency_id: str | None
    active: bool
    version: int

    @classmethod
    def of(cls, row: tables.User) -> UserView:
        return cls(
            id=row.id,
            username=row.username,
            role=row.role,
            agency_id=row.agency_id,
            active=row.active,
            version=row.version,
        )

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def actor_of(user: tables.User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role, agency_id=user.agency_id)


def create_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    username: str,
    password: str,
    role: str,
    agency_id: str | None = None,
) -> UserView:
    """Create a user; every role but auditor and admin belongs to exactly one agency.

    An admin of one agency creates users of that agency only; only an admin without an agency (or
    the operator, for the first admin) creates users of other agencies or without one.
    """
    require(actor, Permission.MANAGE_USERS)
    aware("at", at)
    username = text("username", username, max_length=64)
    if not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("username", "may hold letters, digits, '.', '-' and '_' only")
    acceptable_password(password, username=username, at=at)
    choice("role", role, ROLES)
    if agency_id is None and role not in CROSS_AGENCY_ROLES:
        raise InvalidInput("agency", f"a {role} belongs to an agency: give its id")
    if agency_id is not None:
        agency = load(uow, tables.Agency, agency_id, actor=actor, field="agency")
        agency_id = agency.id
    elif not actor.all_agencies:
        raise InvalidInput("agency", "you may create users of your own agency only")
    if uow.session.scalar(select(tables.User.id).where(tables.User.username == username)) is not None:
        raise InvalidInput("username", f"{username!r} is taken")
    user = tables.User(
        id=new_id(),
        username=username,
        password_hash=hasher.hash(password),
        role=role,
        agency_id=agency_id,
        active=True,
        created_at=at,
    )
    uow.session.add(user)
    uow.append(
        stream=f"user:{user.id}",
        actor=actor.label,
        at=at,
        type="user.created",
        payload={"username": username, "role": role, "agency_id": agency_id},
        aggregate=user,
    )
    return UserView.of(user)


def acceptable_password(password: str, *, username: str, at: datetime, field: str = "password") -> str:
    """S3 (NIST SP 800-63B): long enough, not common or breached, not the user name; else InvalidInput
    naming `field`, with the rule's reason (a bad password is bad input: 422, not a refusal of the rules)."""
    if not isinstance(password, str):
        raise InvalidInput(field, "must be text")
    decision = password_acceptable(password=password, username=username, blocklist=common_passwords(), at=at)
    if not decision.allowed:
        raise InvalidInput(field, decision.reasons[0].text, rule_ids=decision.rule_ids)
    return password


def load_user(uow: UnitOfWork, *, actor: Actor, user_id: str, expected_version: int | None = None) -> tables.User:
    """A user the actor may manage: one of their agency, or any for a system-wide admin. A user
    without an agency (a system-wide admin or auditor) is out of reach of an agency's admin."""
    user = load(uow, tables.User, user_id, actor=actor, expected_version=expected_version)
    if user.agency_id is None and not actor.all_agencies:
        raise NotFound("user", user.id)
    return user


def _end_sessions(uow: UnitOfWork, *, user_id: str, at: datetime, reason: str) -> None:
    from wso.users.sessions import end_all_for_user  # noqa: PLC0415  (sessions imports actor_of from here)

    end_all_for_user(uow, user_id=user_id, at=at, reason=reason)


def deactivate_user(
    uow: UnitOfWork, *, actor: Actor, at: datetime, user_id: str, expected_version: int | None = None
) -> UserView:
    """A deactivated user can no longer sign in; their web sessions end and their tokens stop working."""
    require(actor, Permission.MANAGE_USERS)
    aware("at", at)
    user = load_user(uow, actor=actor, user_id=user_id, expected_version=expected_version)
    if user.id == actor.user_id:
        raise Forbidden("you may not deactivate yourself; ask another admin")
    user.active = False
    _end_sessions(uow, user_id=user.id, at=at, reason="deactivated")
    uow.append(stream=f"user:{user.id}", actor=actor.label, at=at, type="user.deactivated", payload={}, aggregate=user)
    return UserView.of(user)


def reactivate_user(
    uow: UnitOfWork, *, actor: Actor, at: datetime, user_id: str, expected_version: int | None = None
) -> UserView:
    """Lets a deactivated user sign in again (their old tokens and sessions stay ended)."""
    require(actor, Permission.MANAGE_USERS)
    aware("at", at)
    user = load_user(uow, actor=actor, user_id=user_id, expected_version=expected_version)
    user.active = True
    uow.append(stream=f"user:{user.id}", actor=actor.label, at=at, type="user.reactivated", payload={}, aggregate=user)
    return UserView.of(user)


def change_password(
    uow: UnitOfWork, *, actor: Actor, at: datetime, current_password: str, new_password: str
) -> UserView:
    """A user changes their own password, proving the current one; their other sessions end."""
    aware("at", at)
    if actor.user_id is None:
        raise Forbidden("the operator has no password; use `wso users password` for a named user")
    user = load(uow, tables.User, actor.user_id, actor=Actor.system())
    try:
        hasher.verify(user.password_hash, current_password or "")
    except Exception:  # argon2's VerificationError and InvalidHashError alike: the proof failed
        raise NotAuthenticated("the current password is wrong") from None
    acceptable_password(new_password, username=user.username, at=at, field="new_password")
    if new_password == current_password:
        raise InvalidInput("new_password", "must differ from the current password")
    user.password_hash = hasher.hash(new_password)
    _end_sessions(uow, user_id=user.id, at=at, reason="password_changed")
    uow.append(
        stream=f"user:{user.id}", actor=actor.label, at=at, type="user.password_changed", payload={}, aggregate=user
    )
    return UserView.of(user)


def reset_password(uow: UnitOfWork, *, actor: Actor, at: datetime, user_id: str, new_password: str) -> UserView:
    """An admin (or the operator) sets a user's password, e.g. a forgotten one; the user's sessions end."""
    require(actor, Permission.MANAGE_USERS)
    aware("at", at)
    user = load_user(uow, actor=actor, user_id=user_id)
    acceptable_password(new_password, username=user.username, at=at, field="new_password")
    user.password_hash = hasher.hash(new_password)
    _end_sessions(uow, user_id=user.id, at=at, reason="password_reset")
    uow.append(
        stream=f"user:{user.id}", actor=actor.label, at=at, type="user.password_reset", payload={}, aggregate=user
    )
    return UserView.of(user)


def list_users(uow: UnitOfWork, *, actor: Actor) -> list[UserView]:
    """The users an admin manages (an agency's admin: that agency's users), by username."""
    require(actor, Permission.MANAGE_USERS)
    rows = uow.session.scalars(select(tables.User).order_by(tables.User.username))
    visible = [u for u in rows if (may_see_agency(actor, u.agency_id) if u.agency_id else actor.all_agencies)]
    return [UserView.of(u) for u in visible]


def user_view(uow: UnitOfWork, *, actor: Actor, user_id: str) -> UserView:
    """One user an admin manages (their agency's, or any for a system-wide admin); NotFound otherwise."""
    require(actor, Permission.MANAGE_USERS)
    return UserView.of(load_user(uow, actor=actor, user_id=user_id))


def user_by_username(uow: UnitOfWork, *, username: str) -> tables.User | None:
    return uow.session.scalar(select(tables.User).where(tables.User.username == username))


__all__ = [
    "UserView",
    "acceptable_password",
    "actor_of",
    "change_password",
    "create_user",
    "deactivate_user",
    "list_users",
    "load_user",
    "reactivate_user",
    "reset_password",
    "user_by_username",
    "user_view",
]
