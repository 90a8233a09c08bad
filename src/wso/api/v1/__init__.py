"""/api/v1: every records service as an HTTP route (docs/api.md).

Each area module is a table of (path, service) pairs built with wso.api.v1.routes; this module
mounts them and shares the store and the error mapper with the pages (either may install first).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from wso.api.v1 import agencies, agreements, complaints, departures, officers, tokens
from wso.web.auth import install_store
from wso.web.errors import install_error_handlers
from wso.web.headers import install_security_headers

PREFIX = "/api/v1"


def router() -> APIRouter:
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
