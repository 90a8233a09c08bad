"""`wso serve`: the web UI and the API on one port."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from wso.cli.options import DatabaseOption
from wso.settings import database_url


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    database: DatabaseOption = None,
) -> None:
    """Serve the web pages and /api/v1 (OpenAPI at /openapi.json)."""
    from wso.store.uow import Store
    from wso.web.app import create_app

    url = database_url(database)
    store = Store(url)
    try:
        store.ensure_genesis()  # first start: the signing key registered, a genesis checkpoint taken
    finally:
        store.dispose()
    uvicorn.run(create_app(url), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
