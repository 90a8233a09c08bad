"""Backups a running database can be restored from: SQLite's online backup API, pg_dump for PostgreSQL.

Why not copy the file: a live SQLite database in WAL mode keeps recent commits in the -wal file,
so a copy of the main file alone is stale (or torn). The backup API copies a consistent snapshot
page by page while writers continue. PostgreSQL's pg_dump takes one consistent snapshot too, and
pg_restore loads it into an empty database (then `wso db upgrade` grants the application role).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from wso.store.db import private_file


class BackupError(RuntimeError):
    """A backup or restore that cannot be done: says why."""


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the database at `url` to `target` (which must not exist)."""
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites a file")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        source_path = _sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"{source_path}: no such database")
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        _sqlite_copy(source_path, target)
        return
    if backend == "postgresql":
        _require("pg_dump")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _libpq(url)])
        return
    raise BackupError(f"no backup method for {backend}")


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the source is written (a file copy of a
    live WAL database is not)."""
    source = sqlite3.connect(source_path)
    try:
        destination = sqlite3.connect(target_path)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def restore(backup_file: Path, url: str) -> None:
    """Load a backup into an empty database at `url` (refused if it holds any table)."""
    if not backup_file.exists():
        raise BackupError(f"{backup_file}: no such backup")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        target_path = _sqlite_path(url)
        if target_path.exists() and target_path.stat().st_size > 0:
            raise BackupError(f"{target_path} exists and is not empty; restore into a new file")
        private_file(target_path)
        _sqlite_copy(backup_file, target_path)
        return
    if backend == "postgresql":
        _require("pg_restore")
        import psycopg

        with psycopg.connect(_libpq(url)) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        if tables:
            raise BackupError("the target database holds tables; restore into an empty database")
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_libpq(url)}",
                str(backup_file),
            ]
        )
        return
    raise BackupError(f"no restore method for {backend}")


def _require(program: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (PostgreSQL client tools)")


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (fixed program)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")
