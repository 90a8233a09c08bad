"""Who is asking: the one "current actor" dependency for pages (session) and for the API (bearer).

This layer only authenticates. What an actor may do is decided by the services (so the CLI, the
API and the pages agree); a route never checks a role itself.

A web session is kept on the server (wso.users.sessions): the signed cookie holds only an
opaque random session id (and the CSRF token), never a bearer token, so a copied cookie is no
API credential, and the server ends a session on sign-out, idle lock (S1), deactivation or a
password change. Each request resolves the id again through the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.sessions import SessionMiddleware

from wso import settings
from wso.http import csrf
from wso.http.headers import https_only
from wso.http.secret import secret_key
from wso.params import default_params
from wso.services import errors as domain
from wso.store.db import make_engine, session_factory
from wso.store.uow import UnitOfWork
from wso.users import sessions
from wso.users.auth import Actor, actor_for_token
from wso.users.signin import PasswordChecked, check_code, check_password, record_attempt

SESSION_COOKIE = "wso_session"
SID_KEY = "sid"  # the server-side session's opaque id, in the signed cookie

bearer_scheme = HTTPBearer(auto_error=False, description="A token from POST /api/v1/tokens or `wso users token`.")


def install_store(app: FastAPI) -> None:
    """One engine per app (tests build one app per database); made once, shared by every request."""
    if getattr(app.state, "session_factory", None) is not None:
        return
    app.state.engine = make_engine(app.state.database_url)
    app.state.session_factory = session_factory(app.state.engine)


def install_sessions(app: FastAPI) -> None:
    """Signed cookies for the pages: HttpOnly, SameSite=Lax, Secure over HTTPS (wso.web.transport),
    lasting no longer than the absolute session limit (S1); the server decides the rest."""
    if getattr(app.state, "wso_sessions", False):
        return
    now_ = settings.now()
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=int(default_params().at("security.session_max_hours", now_).value * 3600),
        same_site="lax",
        https_only=https_only(),
    )
    app.state.wso_sessions = True


@contextmanager
def unit_of_work(request: Request) -> Iterator[UnitOfWork]:
    """A unit of work on this app's database; rolled back on exit unless committed."""
    with UnitOfWork(request.app.state.session_factory) as uow:
        yield uow


def now() -> datetime:
    """The instant of a request; the only clock read in the shell, passed to services as `at`."""
    return settings.now()


def _actor_for(request: Request, token: str) -> Actor:
    with unit_of_work(request) as uow:
        return actor_for_token(uow, token=token, at=now())


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def _bearer(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise domain.NotAuthenticated("send Authorization: Bearer <token>")
    return credentials.credentials


def api_actor(request: Request, credentials: Credentials) -> Actor:
    """The actor of an API request: a valid `Authorization: Bearer <token>`, or 401."""
    return _actor_for(request, _bearer(credentials))


async def api_token(request: Request, credentials: Credentials) -> str:
    """The bearer token of an API read, not yet checked: the read checks it in its own unit of work
    (`api_unit_of_work`). Only a missing one is 401 here (async: no thread for this step).

    FastAPI validates the query string before the endpoint runs; so that a bad token is still 401 and
    not a bad query's 422, the error mapper checks the token first on that path (`authenticate_first`).
    """
    token = _bearer(credentials)
    request.state.wso_authenticate = lambda: _actor_for(request, token)
    return token


@dataclass(frozen=True)
class ApiWork:
    """An API request's one unit of work and the actor its bearer token stands for, read in it."""

    uow: UnitOfWork
    actor: Actor


@contextmanager
def api_unit_of_work(request: Request, token: str) -> Iterator[ApiWork]:
    """The request's unit of work with its actor resolved in it: one pool checkout (and pre-ping, BEGIN,
    ROLLBACK) per request instead of two, the token read in the same transaction as the records.

    Entered in the endpoint, in the one thread that runs the service: a connection held across two of
    the thread pool's hops (a yield dependency) deadlocked under load, the requests holding the pool's
    connections waiting for threads held by requests waiting for connections.
    """
    with unit_of_work(request) as uow:
        yield ApiWork(uow=uow, actor=actor_for_token(uow, token=token, at=now()))


def address(request: Request) -> str:
    """The client's address, as the ASGI server reports it (behind a proxy: uvicorn --proxy-headers)."""
    return request.client.host if request.client else "unknown"


def page_actor(request: Request) -> Actor:
    """The actor of a page request: a verified, active session, else a redirect to the login page."""
    sid = request.session.get(SID_KEY)
    if not sid:
        raise domain.NotAuthenticated("sign in first")
    # An ended id left in the cookie is harmless (the server refuses it); a pending one must stay,
    # so that opening another page between the password and the code does not lose the sign-in.
    with unit_of_work(request) as uow:
        return sessions.actor_for(uow, sid=str(sid), at=now())


ApiActor = Annotated[Actor, Depends(api_actor)]
ApiToken = Annotated[str, Depends(api_token)]
PageActor = Annotated[Actor, Depends(page_actor)]


def check_credentials(request: Request, *, username: str, password: str, channel: str) -> PasswordChecked:
    """The password step (throttle, lock, Argon2, logged); the caller bounds how many run at once."""
    with unit_of_work(request) as uow:
        return check_password(
            uow, username=username, password=password, address=address(request), channel=channel, at=now()
        )


def begin_session(request: Request, checked: PasswordChecked) -> None:
    """After the password: a fresh session (no fixation), verified at once unless a TOTP step follows."""
    verified = not (checked.needs_code or checked.must_enrol)
    assert checked.actor.user_id is not None
    with unit_of_work(request) as uow:
        sid = sessions.start(uow, user_id=checked.actor.user_id, at=now(), verified=verified, address=address(request))
    request.session.clear()
    request.session[SID_KEY] = sid
    csrf.rotate(request)


def pending_user(request: Request) -> sessions.PendingSignIn:
    """Who is between the password and the code (NotAuthenticated if nobody, or too late)."""
    from wso.users import mfa  # noqa: PLC0415

    sid = request.session.get(SID_KEY)
    if not sid:
        raise domain.NotAuthenticated("sign in first")
    with unit_of_work(request) as uow:
        _, user = sessions.pending(uow, sid=str(sid), at=now())
        enrolled = mfa.is_enrolled(uow, user_id=user.id)
        return sessions.PendingSignIn(
            user_id=user.id, username=user.username, needs_code=enrolled, must_enrol=not enrolled
        )


def complete_with_code(request: Request, *, code: str) -> Actor:
    """The TOTP step: a right, unused code verifies the session under a new id."""
    pending = pending_user(request)
    with unit_of_work(request) as uow:
        actor = check_code(uow, user_id=pending.user_id, code=code, address=address(request), channel="web", at=now())
        sid = sessions.verify(uow, sid=str(request.session[SID_KEY]), at=now())
    request.session.clear()
    request.session[SID_KEY] = sid
    csrf.rotate(request)
    return actor


def complete_after_enrolment(request: Request) -> None:
    """The first code has confirmed a new enrolment: that was the second factor; verify the session."""
    pending = pending_user(request)
    with unit_of_work(request) as uow:
        record_attempt(
            uow,
            at=now(),
            username=pending.username,
            user_id=pending.user_id,
            address=address(request),
            channel="web",
            outcome="success",
        )
        sid = sessions.verify(uow, sid=str(request.session[SID_KEY]), at=now())
    request.session.clear()
    request.session[SID_KEY] = sid
    csrf.rotate(request)


def log_out(request: Request) -> None:
    """Ends the server-side session (a copied cookie stops working) and forgets it."""
    sid = request.session.get(SID_KEY)
    if sid:
        with unit_of_work(request) as uow:
            sessions.end(uow, sid=str(sid), at=now())
    request.session.clear()
    csrf.rotate(request)
