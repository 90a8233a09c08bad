"""`wso db upgrade|backup|restore`: the schema, as its owner; backups that restore.

Two URLs on PostgreSQL (docs/security.md): WSO_OWNER_DATABASE_URL for `db upgrade` (and purges),
WSO_DATABASE_URL, as the application role upgrade creates, for `wso serve` and `wso worker`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from wso.cli.options import DatabaseOption
from wso.settings import app_role, database_url, owner_database_url
from wso.store.backup import BackupError, backup, restore
from wso.store.db import make_engine
from wso.store.migrate import upgrade
from wso.store.roles import grant_app_role
from wso.store.signing import SigningKeyError
from wso.store.uow import Store

db_app = typer.Typer(help="Database schema, roles and backups.", no_args_is_help=True)
err = Console(stderr=True)


@db_app.command("upgrade")
def upgrade_command(
    database: DatabaseOption = None,
    grant: Annotated[
        bool,
        typer.Option(
            "--grant/--no-grant",
            help="On PostgreSQL, create the application role (WSO_APP_ROLE, WSO_APP_PASSWORD) and set its grants.",
        ),
    ] = True,
) -> None:
    """Apply every pending migration as the schema owner (idempotent); then grant the application role
    and, when a signing key is configured, register it with a genesis checkpoint."""
    url = owner_database_url(database)
    engine = make_engine(url)
    try:
        upgrade(engine)
        if grant and engine.dialect.name == "postgresql":
            role, password = app_role()
            grant_app_role(engine, role=role, password=password)
            err.print(
                f"application role [bold]{role}[/bold]: SELECT, INSERT on the ledger and access log; "
                "SELECT, INSERT, UPDATE, DELETE on projections; owns nothing",
                highlight=False,
            )
        store = Store(url, engine=engine)
        try:
            if store.ensure_genesis():
                err.print("signing key registered; genesis checkpoint in place")
        except SigningKeyError as exc:
            err.print(f"[red]invalid input[/red]: {exc}", highlight=False)
            raise typer.Exit(2) from None
    finally:
        engine.dispose()
    err.print(f"[green]schema up to date[/green] ({engine.url.render_as_string(hide_password=True)})", highlight=False)


@db_app.command("backup")
def backup_command(
    target: Annotated[
        Path, typer.Argument(help="The backup file to create (mode 0600; never overwritten).", dir_okay=False)
    ],
    database: DatabaseOption = None,
) -> None:
    """A consistent copy of a live database: SQLite's online backup API, or pg_dump (custom format)."""
    url = owner_database_url(database)
    try:
        backup(url, target)
    except BackupError as exc:
        err.print(f"[red]backup failed[/red]: {exc}", highlight=False)
        raise typer.Exit(1) from None
    err.print(
        f"[green]backup written[/green] to {target}; check it with `wso db restore` into a new database "
        "and `wso ledger verify`",
        highlight=False,
    )


@db_app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="A file written by `wso db backup`.", exists=True, dir_okay=False)],
    database: DatabaseOption = None,
) -> None:
    """Load a backup into an EMPTY database (a new SQLite file, or a new PostgreSQL database); then
    run `wso db upgrade` (grants) and `wso ledger verify`."""
    url = database or owner_database_url(None) or database_url(None)
    try:
        restore(source, url)
    except BackupError as exc:
        err.print(f"[red]restore failed[/red]: {exc}", highlight=False)
        raise typer.Exit(1) from None
    err.print("[green]restored[/green]; now `wso db upgrade` and `wso ledger verify`", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
