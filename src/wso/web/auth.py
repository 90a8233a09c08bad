"""Who is asking: the one "current actor" dependency for pages (session) and for the API (bearer).

This layer only authenticates. What an actor may do is decided by the services (so the CLI, the
API and the pages agree); a route never checks a role itself.

A web session holds a bearer token issued at login, not the actor: each request resolves the
token again through the store, so disabling a user or revoking the token ends their session at
once, and the cookie (signed, not encrypted) carries no role a reader could trust or reuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.sessions import SessionMiddleware

from wso import settings
from wso.services import errors as domain
from wso.services.auth import Actor, actor_for_token, authenticate, issue_api_token, revoke_api_token
from wso.store.db import make_engine, session_factory
from wso.store.uow import UnitOfWork
from wso.web import csrf
from wso.web.secret import secret_key

SESSION_COOKIE = "wso_session"
SESSION_MAX_AGE = 8 * 60 * 60  # a working shift; then sign in again
TOKEN_KEY = "token"

bearer_scheme = HTTPBearer(auto_error=False, description="A token from POST /api/v1/tokens or `wso users token`.")


def install_store(app: FastAPI) -> None:
    """One engine per app (tests build one app per database); made once, shared by every request."""
    if getattr(app.state, "session_factory", None) is not None:
        return
    app.state.engine = make_engine(app.state.database_url)
    app.state.session_factory = session_factory(app.state.engine)


def install_sessions(app: FastAPI) -> None:
    """Signed-cookie sessions for the pages (HttpOnly, SameSite=Lax, expiring after a shift)."""
    if getattr(app.state, "wso_sessions", False):
        return
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
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


def api_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Actor:
    """The actor of an API request: a valid `Authorization: Bearer <token>`, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise domain.NotAuthenticated("send Authorization: Bearer <token>")
    return _actor_for(request, credentials.credentials)


def page_actor(request: Request) -> Actor:
    """The actor of a page request: a signed-in session, else a redirect to the login page."""
    token = request.session.get(TOKEN_KEY)
    if not token:
        raise domain.NotAuthenticated("sign in first")
    try:
        return _actor_for(request, str(token))
    except domain.NotAuthenticated:
        request.session.clear()
        raise


ApiActor = Annotated[Actor, Depends(api_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]


def log_in(request: Request, *, username: str, password: str) -> Actor:
    """Checks the password, then starts a fresh session holding a new token (no fixation)."""
    with unit_of_work(request) as uow:
        actor = authenticate(uow, username=username, password=password, at=now())
        token = issue_api_token(uow, actor=actor, at=now(), purpose="web session")
        uow.commit()
    request.session.clear()
    request.session[TOKEN_KEY] = token
    csrf.rotate(request)
    return actor


def log_out(request: Request) -> None:
    """Revokes the session's token in the store (a copied cookie stops working) and forgets it."""
    token = request.session.get(TOKEN_KEY)
    if token:
        with unit_of_work(request) as uow:
            try:
                revoke_api_token(uow, token=str(token), at=now())
                uow.commit()
            except (domain.NotFound, domain.Forbidden):
                pass  # already revoked or expired: the session ends all the same
    request.session.clear()
    csrf.rotate(request)
