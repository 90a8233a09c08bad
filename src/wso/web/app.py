"""The ASGI application, the composition root: every area's routers mounted on one FastAPI app.

Every area is imported by name and installed by an explicit call below: a missing or broken module
is an ImportError at start, never a silently absent area. How to add an area: docs/architecture.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from wso import __version__
from wso.api import v1 as api_v1
from wso.holds import api as holds_api
from wso.holds import pages as holds_pages
from wso.http import client_address
from wso.http.static_files import CachedStaticFiles
from wso.params import default_params
from wso.params.catalog import default_catalog
from wso.params.state_laws import default_state_laws
from wso.publicdata import pages as publicdata_pages
from wso.settings import database_url
from wso.web import home, records

STATIC_DIR = Path(__file__).parent / "static"


def load_law_data() -> None:
    """Read and validate every params file, the rule catalog and the state laws once."""
    default_params()
    default_catalog()
    default_state_laws()


def create_app(url: str | None = None) -> FastAPI:
    """An app bound to one database; tests build one per database they run against."""
    app = FastAPI(
        title="wso",
        version=__version__,
        description="ICE Warrant Service Officer program: rules, records, holds and the public record.",
        docs_url=None,  # /docs is served by wso.web.home from local Swagger UI assets (no CDN, strict CSP)
        redoc_url=None,
    )
    load_law_data()  # a malformed params file stops start-up here, naming the file and key
    app.state.database_url = database_url(url)
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # HTML (inline SVG charts), CSV, JSON
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    # Each `install(app)` adds that area's routers and what it needs (store, sessions, error mapper...;
    # installing those twice is harmless). The order is the order middleware wraps: keep it.
    home.install(app)  # /, /rules, /docs
    records.install(app)  # the pages of agencies, due, agreements, officers, complaints and users
    api_v1.install(app)  # /api/v1: the API routers of the same areas
    publicdata_pages.install(app)  # /public and /api/v1/public
    holds_api.install(app)  # /api/v1 custody holds
    client_address.install(app)  # the client's address for the access log
    holds_pages.install(app)  # /holds: the board and the person pages
    return app
