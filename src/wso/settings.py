"""Where the program finds its database: one place, so every entry point agrees."""

from __future__ import annotations

import os
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
