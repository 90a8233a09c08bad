"""Accounts: web sessions, sign-in attempts and TOTP enrolments (issue 14, items 4 and 5).

Kept apart from the records' projections: none of these rows is an event of the program, and a
session's `last_seen_at` changes on every page, which must not contend with a record's version.

- `web_sessions`: the cookie holds only a random session id; the table keeps its SHA-256, so a
  database reader cannot take over a session, and ending a row ends the session everywhere.
- `sign_in_attempts`: every attempt with its address and outcome, the facts the lockout and the
  throttle count (S4). The ledgersec work makes these evidence in the access log; until then this
  table is the record.
- `user_mfa`: one TOTP secret per user (RFC 6238), the last time step accepted (a code is
  accepted once), and when enrolment was confirmed (NULL: shown, not yet confirmed).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wso.store.base import Base, UTCDateTime


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sid_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mfa_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # NULL: the password step only
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)  # as typed (also for unknown names)
    user_id: Mapped[str | None] = mapped_column(String(36))
    address: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # web, api, cli
    outcome: Mapped[str] = mapped_column(String(32))  # see wso.users.signin.OUTCOMES


class UserMfa(Base):
    __tablename__ = "user_mfa"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    totp_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_step: Mapped[int] = mapped_column(Integer, default=0)
