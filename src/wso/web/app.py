"""The ASGI application: every area's routers mounted on one FastAPI app."""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import Scope

from wso import __version__
from wso.params import default_params
from wso.params.catalog import default_catalog
from wso.params.state_laws import default_state_laws
from wso.settings import database_url

STATIC_DIR = Path(__file__).parent / "static"

# Each module defines `install(app)`, adding its routers, pages and dependencies.
_AREA_MODULES = (
    "wso.web.home",
    "wso.web.records",
    "wso.api.v1",
    "wso.publicdata.pages",
    "wso.holds.api",
    "wso.http.client_address",
    "wso.holds.pages",
)


class CachedStaticFiles(StaticFiles):
    """Static files a browser may keep for a day: plotly.js (1.2 MB) is fetched once, not on every page."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response


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
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # HTML, CSV, JSON and plotly.js: about a third on the wire
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    for name in _AREA_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.install(app)
    return app
