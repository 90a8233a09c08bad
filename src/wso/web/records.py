"""The records area of the web shell: sessions, CSRF, sign-in and the server-rendered pages.

`install(app)` is called by wso.web.app.create_app; it also prepares what the API shares with
the pages (the store's engine and the one error mapper), so either may be installed first.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from wso.agencies import pages as agencies
from wso.agreements import pages as agreements
from wso.complaints import pages as complaints
from wso.due import pages as due
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
for module in (session, accounts, agencies, agreements, officers, complaints, due):
    pages.include_router(module.router)


def install(app: FastAPI) -> None:
    install_store(app)
    install_error_handlers(app)
    install_template_helpers()
    install_sessions(app)
    install_security_headers(app)
    app.include_router(pages)
