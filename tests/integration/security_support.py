"""Attacker tools for the security tests: raw database access, with the append-only triggers off.

An attacker "with database access" here is the PostgreSQL superuser (who may disable triggers) or
anyone who can write the SQLite file; never the holder of the signing key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from wso.cli.main import app
from wso.store.keys import KEYS_STREAM, register_key
from wso.store.ledger import LedgerCheckpoint, LedgerEvent, append_checkpoint, append_event
from wso.store.signing import Signer
from wso.store.uow import Store

GUARDED = ("ledger_events", "ledger_checkpoints", "access_log")
runner = CliRunner()


@contextmanager
def attacker(store: Store) -> Iterator[Connection]:
    """One transaction with the append-only triggers disabled (PostgreSQL superuser; SQLite has none)."""
    with store.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            for table in GUARDED:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        yield conn
        if postgres:
            for table in GUARDED:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


def raw(store: Store, sql: str, **params: Any) -> None:
    with attacker(store) as conn:
        conn.execute(text(sql), params)


def wso(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def rewrite_history(store: Store, *, key: Signer, drop_event: tuple[str, int], checkpoints: int) -> None:
    """The strongest database-only attack: drop one event and re-append every other one, re-chained,
    re-hashed and re-signed with the attacker's own key (registered in place of the real one), then
    take as many checkpoints as there were, all consistent. Projection rows are fixed to match.
    """
    with attacker(store) as conn:
        rows = conn.execute(select(LedgerEvent.__table__).order_by(LedgerEvent.id)).mappings().all()
        conn.execute(delete(LedgerCheckpoint.__table__))
        conn.execute(delete(LedgerEvent.__table__))
        session = Session(bind=conn)
        at = rows[0]["at"]
        register_key(session, signer=key, actor="system (key registration)", at=at)
        session.flush()
        for row in rows:
            if row["stream"] == KEYS_STREAM or (row["stream"], row["seq"]) == drop_event:
                continue
            append_event(
                session,
                stream=row["stream"],
                actor=row["actor"],
                at=row["at"],
                type=row["type"],
                payload=__import__("json").loads(row["payload"]),
                signer=key,
            )
            session.flush()
        for _ in range(checkpoints):
            append_checkpoint(session, actor="system (checkpoint)", at=datetime.now(UTC), signer=key)
        session.flush()
        session.close()


def count(store: Store, model: Any) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()
