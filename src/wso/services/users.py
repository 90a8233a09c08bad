"""Users and their roles, scoped to an agency (DESIGN.md, Security model)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select

from wso.services.errors import InvalidInput
from wso.services.inputs import aware, choice, new_id, text
from wso.services.lookup import load
from wso.services.permissions import CROSS_AGENCY_ROLES, ROLES, Actor, Permission, may_see_agency, require
from wso.store import tables
from wso.store.uow import UnitOfWork

# argon2-cffi's defaults follow RFC 9106's recommendations; one hasher, so parameters agree.
hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


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
        return cls(id=row.id, username=row.username, role=row.role, agency_id=row.agency_id, active=row.active, version=row.version)

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
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
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
        id=new_id(), username=username, password_hash=hasher.hash(password), role=role,
        agency_id=agency_id, active=True, created_at=at,
    )
    uow.session.add(user)
    uow.append(
        stream=f"user:{user.id}", actor=actor.label, at=at, type="user.created",
        payload={"username": username, "role": role, "agency_id": agency_id}, aggregate=user,
    )
    uow.commit()
    return UserView.of(user)


def deactivate_user(uow: UnitOfWork, *, actor: Actor, at: datetime, user_id: str, expected_version: int | None = None) -> UserView:
    """A deactivated user can no longer sign in, and every token of theirs stops working."""
    require(actor, Permission.MANAGE_USERS)
    aware("at", at)
    user = load(uow, tables.User, user_id, actor=actor, expected_version=expected_version)
    user.active = False
    uow.append(stream=f"user:{user.id}", actor=actor.label, at=at, type="user.deactivated", payload={}, aggregate=user)
    uow.commit()
    return UserView.of(user)


def list_users(uow: UnitOfWork, *, actor: Actor) -> list[UserView]:
    require(actor, Permission.MANAGE_USERS)
    rows = uow.session.scalars(select(tables.User).order_by(tables.User.username))
    visible = [u for u in rows if (may_see_agency(actor, u.agency_id) if u.agency_id else actor.all_agencies)]
    return [UserView.of(u) for u in visible]


def user_by_username(uow: UnitOfWork, *, username: str) -> tables.User | None:
    return uow.session.scalar(select(tables.User).where(tables.User.username == username))


__all__ = ["UserView", "actor_of", "create_user", "deactivate_user", "list_users", "user_by_username"]
