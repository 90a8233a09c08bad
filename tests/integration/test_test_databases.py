"""The test suite's own PostgreSQL databases (tests/conftest.py, MigratedTemplates): a database handed to the next
test must be indistinguishable from a new copy of the template, or not be handed on at all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import POSTGRES_ADMIN_URL, MigratedTemplates, _libpq

ROLE = f"wso_test_fingerprint_{uuid.uuid4().hex[:8]}"  # roles are the cluster's: one per run


@pytest.fixture
def templates(postgres_available: bool, tmp_path: Path) -> Iterator[MigratedTemplates]:
    if not postgres_available:
        from tests.conftest import missing

        missing("PostgreSQL")
    own = MigratedTemplates(tmp_path)
    yield own
    own.drop()


def _connect(name: str) -> psycopg.Connection:
    return psycopg.connect(_libpq(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"), autocommit=True)


def _exists(name: str) -> bool:
    with psycopg.connect(_libpq(POSTGRES_ADMIN_URL)) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


@pytest.mark.postgres
def test_a_database_with_rows_and_an_open_connection_comes_back_renamed_empty_with_its_sequences_restarted(
    templates: MigratedTemplates,
) -> None:
    name = templates.postgres_lease()
    left_open = _connect(name)  # a pool the test forgot to dispose
    left_open.execute(
        "INSERT INTO access_log (at, actor, action, entity, entity_id, outcome, seq, prev_hash, hash)"
        " SELECT now(), 'a', 'read', 'officer', 'x', 'ok', 1, 'p', 'h'"
    )
    templates.postgres_return(name)

    assert len(templates._spare) == 1 and not _exists(name)  # kept, under another name
    reused = templates.postgres_lease()
    with pytest.raises(psycopg.OperationalError):  # what still holds the old name cannot reach the next test
        _connect(name)
    with _connect(reused) as conn:
        assert conn.execute("SELECT count(*) FROM access_log").fetchone() == (0,)
        assert conn.execute("SELECT nextval('access_log_id_seq')").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] > 0  # the schema's version stays
    assert left_open.closed or left_open.broken or _terminated(left_open)


def _terminated(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


@pytest.mark.postgres
@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE ledger_events DISABLE TRIGGER USER",
        "ALTER TABLE officers ADD COLUMN extra text",
        "CREATE ROLE {role}; GRANT SELECT ON officers TO {role}",
        "CREATE FUNCTION wso_test_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    ],
    ids=["triggers", "column", "privileges", "function"],
)
def test_a_database_whose_schema_a_test_changed_is_dropped_not_handed_on(
    templates: MigratedTemplates, change: str
) -> None:
    name = templates.postgres_lease()
    try:
        with _connect(name) as conn:
            conn.execute(change.format(role=ROLE))
        templates.postgres_return(name)
        assert not _exists(name)
        assert templates.postgres_lease() != name
    finally:
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS " + f'"{name}"' + " WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {ROLE}")
