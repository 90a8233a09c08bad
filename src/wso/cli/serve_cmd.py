"""`wso serve`: the web UI and the API on one port, in one process or several."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from wso.cli.options import DatabaseOption
from wso.settings import database_url

# Uvicorn starts each worker process by importing this factory; the database reaches it through
# WSO_DATABASE_URL (wso.settings), and the session key through WSO_SECRET_KEY or var/secret_key.
APP_FACTORY = "wso.web.app:create_app"


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    database: DatabaseOption = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (each its own connection pool).")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every HTTP request to the console.")] = True,
) -> None:
    """Serve the web pages and /api/v1 (OpenAPI at /openapi.json)."""
    from wso.store.uow import Store

    url = database_url(database)
    store = Store(url)
    try:
        store.ensure_genesis()  # first start: the signing key registered, a genesis checkpoint taken
    finally:
        store.dispose()
    if workers == 1:
        from wso.web.app import create_app

        uvicorn.run(create_app(url), host=host, port=port, log_level="info", access_log=access_log)
        return
    os.environ["WSO_DATABASE_URL"] = url
    uvicorn.run(
        APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info", access_log=access_log
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
