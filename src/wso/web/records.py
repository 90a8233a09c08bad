"""The records pages: each area's `pages.router` (agencies, due, agreements, officers, complaints,
users and its sign-in), mounted as one router with CSRF checked on every unsafe method.

`install(app)` is called by wso.web.app.create_app; it also installs the shared plumbing of wso.http
(the store's engine, the one error mapper, sessions, security headers), so the API may install first.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from wso.agencies import pages as agencies
from wso.agreements import pages as agreements
from wso.complaints import pages as complaints
from wso.due import pages as due
from wso.history import pages as history
from wso.http.auth import install_sessions, install_store
from wso.http.csrf import require_csrf
from wso.http.errors import install_error_handlers
from wso.http.headers import install_security_headers
from wso.http.render import install_template_helpers
from wso.officers import pages as officers
from wso.users import pages as accounts
from wso.users import signin_pages as session

# Every page route, with CSRF checked on every unsafe method: a route cannot forget it.
pages = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
for module in (session, accounts, agencies, agreements, officers, complaints, due, history):
    pages.include_router(module.router)


def install(app: FastAPI) -> None:
    install_store(app)
    install_error_handlers(app)
    install_template_helpers()
    install_sessions(app)
    install_security_headers(app)
    app.include_router(pages)
