"""`wso db upgrade`: bring the database schema up to date."""

from __future__ import annotations

import typer
from rich.console import Console

from wso.cli.options import DatabaseOption
from wso.settings import database_url
from wso.store.db import make_engine
from wso.store.migrate import upgrade

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command(database: DatabaseOption = None) -> None:
    """Apply every pending migration (idempotent)."""
    url = database_url(database)
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    Console(stderr=True).print(f"[green]schema up to date[/green] ({engine.url.render_as_string(hide_password=True)})")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
