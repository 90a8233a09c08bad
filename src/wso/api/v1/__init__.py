"""/api/v1: every records service as an HTTP route (docs/api.md).

Each area's `api.router` (wso.agencies.api, wso.officers.api, ...) is a table of (path, service) pairs
built with wso.http.api_routes; this module mounts them under /api/v1 and installs the plumbing of
wso.http it shares with the pages (the store, the error mapper, the headers), so either may come first.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, FastAPI

from wso.agencies import api as agencies
from wso.agreements import api as agreements
from wso.complaints import api as complaints
from wso.departures import api as departures
from wso.http.auth import install_store
from wso.http.errors import install_error_handlers
from wso.http.headers import install_security_headers
from wso.officers import api as officers
from wso.users import api as tokens

PREFIX = "/api/v1"


@cache
def router() -> APIRouter:
    """/api/v1's routes, built once per process and included by every app: building them (each route's
    validators) was most of `create_app`'s time, which tests pay once per database they run against."""
    api = APIRouter(prefix=PREFIX)
    for module in (tokens, agencies, agreements, officers, complaints, departures):
        api.include_router(module.router)
    api.include_router(tokens.users_router)
    return api


def install(app: FastAPI) -> None:
    install_store(app)
    install_error_handlers(app)
    install_security_headers(app)
    app.include_router(router())
