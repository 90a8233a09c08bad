"""TOTP second factor (RFC 6238, with pyotp): enrol, confirm, verify once, reset (rule S2).

Enrolment is two steps so that a user cannot lock themselves out with a mistyped secret: the
secret is stored unconfirmed and shown (QR code and text); the first right code confirms it.
A code is accepted once: the last accepted time step is kept and a code of that step or an
earlier one is refused (RFC 6238 §5.2), so a code read over a shoulder cannot be replayed.
Codes of the previous and the next 30-second step are accepted (clock drift, slow typing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import pyotp

from wso.services.errors import InvalidInput, NotFound
from wso.services.inputs import aware
from wso.services.permissions import Actor, Permission, require
from wso.store import tables
from wso.store.account_tables import UserMfa
from wso.store.uow import UnitOfWork

ISSUER: Final = "wso"
DRIFT_STEPS: Final = 1


def is_enrolled(uow: UnitOfWork, *, user_id: str) -> bool:
    row = uow.session.get(UserMfa, user_id)
    return row is not None and row.confirmed_at is not None


def begin_enrolment(uow: UnitOfWork, *, user_id: str, at: datetime) -> str:
    """A new unconfirmed secret for a user not yet enrolled (a confirmed one is never replaced here)."""
    aware("at", at)
    row = uow.session.get(UserMfa, user_id)
    if row is not None and row.confirmed_at is not None:
        raise InvalidInput("totp", "already enrolled; an admin can reset it")
    secret = pyotp.random_base32()
    if row is None:
        uow.session.add(UserMfa(user_id=user_id, totp_secret=secret, created_at=at, confirmed_at=None, last_step=0))
    else:
        row.totp_secret, row.created_at = secret, at
    return secret


def pending_secret(uow: UnitOfWork, *, user_id: str) -> str | None:
    """The secret shown for enrolment, while it is not confirmed."""
    row = uow.session.get(UserMfa, user_id)
    return row.totp_secret if row is not None and row.confirmed_at is None else None


def provisioning_uri(*, secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def _accepted_step(row: UserMfa, code: str, at: datetime) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(row.totp_secret)
    now_step = totp.timecode(at)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > row.last_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(uow: UnitOfWork, *, user_id: str, code: str, at: datetime) -> None:
    """The first right code confirms the shown secret; InvalidInput("code") otherwise."""
    aware("at", at)
    row = uow.session.get(UserMfa, user_id)
    if row is None or row.confirmed_at is not None:
        raise InvalidInput("code", "no enrolment is waiting for a code")
    step = _accepted_step(row, code, at)
    if step is None:
        raise InvalidInput("code", "wrong code: type the 6 digits your authenticator app shows now")
    row.confirmed_at, row.last_step = at, step


def verify(uow: UnitOfWork, *, user_id: str, code: str, at: datetime) -> bool:
    """Whether `code` is right and unused for a confirmed enrolment; a right code is then spent."""
    aware("at", at)
    row = uow.session.get(UserMfa, user_id)
    if row is None or row.confirmed_at is None:
        return False
    step = _accepted_step(row, code, at)
    if step is None:
        return False
    row.last_step = step
    return True


def enrol_confirmed(uow: UnitOfWork, *, user_id: str, at: datetime, secret: str | None = None) -> str:
    """Operator and demo: enrol a confirmed secret at once (the operator hands it over in person)."""
    aware("at", at)
    secret = secret or pyotp.random_base32()
    row = uow.session.get(UserMfa, user_id)
    if row is None:
        uow.session.add(UserMfa(user_id=user_id, totp_secret=secret, created_at=at, confirmed_at=at, last_step=0))
    else:
        row.totp_secret, row.created_at, row.confirmed_at, row.last_step = secret, at, at, 0
    uow.session.flush()
    return secret


def reset_mfa(uow: UnitOfWork, *, actor: Actor, at: datetime, user_id: str) -> None:
    """An admin removes a user's TOTP (a lost phone): the user enrols again at the next sign-in."""
    require(actor, Permission.MANAGE_USERS)
    aware("at", at)
    from wso.services.lookup import load  # noqa: PLC0415

    user = load(uow, tables.User, user_id, actor=actor)
    row = uow.session.get(UserMfa, user.id)
    if row is None:
        raise NotFound("totp enrolment", user_id)
    uow.session.delete(row)
    uow.append(stream=f"user:{user.id}", actor=actor.label, at=at, type="user.mfa_reset", payload={}, aggregate=user)
