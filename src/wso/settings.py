"""Where the program finds its database: one place, so every entry point agrees."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "wso.sqlite3"


def database_url(explicit: str | None = None) -> str:
    """The URL given on the command line, else WSO_DATABASE_URL, else a SQLite file under ./var/."""
    if explicit:
        return explicit
    from_env = os.environ.get("WSO_DATABASE_URL")
    if from_env:
        return from_env
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def owner_database_url(explicit: str | None = None) -> str:
    """The schema owner's URL, for migrations and purges: --database, else WSO_OWNER_DATABASE_URL,
    else the application's URL (SQLite, or a single-role PostgreSQL set-up)."""
    if explicit:
        return explicit
    return os.environ.get("WSO_OWNER_DATABASE_URL") or database_url()


def app_role() -> tuple[str, str | None]:
    """The PostgreSQL role `wso db upgrade` creates for `wso serve` and `wso worker` (least privilege):
    WSO_APP_ROLE (default `wso_app`) and WSO_APP_PASSWORD (none: the server's own authentication)."""
    return os.environ.get("WSO_APP_ROLE", "wso_app"), os.environ.get("WSO_APP_PASSWORD") or None


def clock_offset() -> timedelta:
    """WSO_CLOCK_OFFSET (seconds, may be negative or fractional): a test and demo hook that moves the
    clock of the pages, the API and the worker together, e.g. to watch a deadline pass. Unset in
    production; read at every call so a test can change it while a server runs."""
    text = os.environ.get("WSO_CLOCK_OFFSET", "").strip()
    if not text:
        return timedelta(0)
    try:
        return timedelta(seconds=float(text))
    except ValueError:
        raise ValueError(f"WSO_CLOCK_OFFSET: {text!r} is not a number of seconds") from None


def now() -> datetime:
    """The program's clock: UTC, timezone-aware, shifted by WSO_CLOCK_OFFSET when set."""
    return datetime.now(UTC) + clock_offset()
