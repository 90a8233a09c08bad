"""Issue 14, items 3 and 10: least privilege on PostgreSQL; operator safety (demo refusal, private
SQLite files, backups that restore and verify, non-conflicting writes that no longer 409)."""

from __future__ import annotations

import json
import stat
import uuid
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from tests.integration.records_support import SYSTEM, County, later, make_county, nominate
from tests.integration.security_support import wso
from wso.demo import load_demo
from wso.officers import service as officers
from wso.services import ledger as ledger_service
from wso.services.errors import ConcurrencyError
from wso.store import tables
from wso.store.db import make_engine
from wso.store.uow import Store

# ---- item 3: the application role -----------------------------------------------------------------

postgres_only = pytest.mark.parametrize(
    "database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def app_role(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """`wso db upgrade` as the owner creates the application role; yields (role, its URL)."""
    role = f"wso_app_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("WSO_APP_ROLE", role)
    monkeypatch.setenv("WSO_APP_PASSWORD", "app-role-password-for-tests")
    code, output = wso("db", "upgrade", "--database", database_url)
    assert code == 0, output
    app_url = make_url(database_url).set(username=role, password="app-role-password-for-tests")
    try:
        yield role, app_url.render_as_string(hide_password=False)
    finally:
        owner = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
        admin = (
            make_url(database_url).set(drivername="postgresql", database="test").render_as_string(hide_password=False)
        )
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_events SET actor = 'x'",
        "DELETE FROM ledger_events",
        "TRUNCATE ledger_events",
        "UPDATE access_log SET actor = 'x'",
        "DELETE FROM ledger_checkpoints",
        "ALTER TABLE ledger_events DISABLE TRIGGER USER",
        "ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_append_only",
        "DROP TRIGGER ledger_events_append_only ON ledger_events",
        "ALTER TABLE ledger_events OWNER TO CURRENT_USER",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_item3_the_application_role_cannot_change_the_ledger_or_its_triggers(
    app_role: tuple[str, str], statement: str
) -> None:
    role, url = app_role
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == role
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


@postgres_only
def test_item3_the_application_role_runs_the_services_and_owns_nothing(
    app_role: tuple[str, str], database_url: str
) -> None:
    role, url = app_role
    app_store = Store(url)
    try:
        county = make_county(app_store)
        oid = nominate(app_store, county)
        with app_store.unit_of_work() as uow:
            officers.record_training(
                uow, actor=county.coordinator, at=later(3), officer_id=oid, name="Initial", completed_at=later(3)
            )
        with app_store.unit_of_work() as uow:
            officers.officer_roster(uow, actor=county.coordinator, agency_id=county.agency_id, at=later(4))
        with app_store.unit_of_work() as uow:
            assert ledger_service.verify_ledger(uow, actor=SYSTEM).ok
        with app_store.engine.connect() as conn:
            owned = conn.execute(text("SELECT count(*) FROM pg_tables WHERE tableowner = :r"), {"r": role}).scalar_one()
            assert owned == 0
    finally:
        app_store.dispose()


# ---- item 10: operator safety ---------------------------------------------------------------------


def test_item10_demo_load_refuses_a_database_with_real_agencies(
    store: Store, county: County, database_url: str
) -> None:
    code, output = wso("demo", "load", "--database", database_url)
    assert code == 1 and "besides the demo county" in output
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.User)).scalar_one() == 0  # no demo user added


def test_item10_demo_load_on_an_empty_or_demo_only_database(database_url: str) -> None:
    assert wso("demo", "load", "--database", database_url)[0] == 0
    code, output = wso("demo", "load", "--database", database_url)
    assert code == 0 and "already loaded" in output


def test_item10_the_sqlite_file_and_its_wal_are_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "wso.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x int)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as conn:  # WAL and SHM exist while a connection is open
            conn.execute(text("SELECT * FROM t")).all()
            files = [
                p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()
            ]
            assert len(files) == 3
            assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {oct(0o600)}
    finally:
        engine.dispose()


def test_item10_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_item10_backup_then_restore_then_verify(
    store: Store, county: County, database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(3))
    backup_file = tmp_path / "wso.backup"
    code, output = wso("db", "backup", str(backup_file), "--database", database_url)
    assert code == 0, output
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    assert wso("db", "backup", str(backup_file), "--database", database_url)[0] == 1  # never overwritten
    if store.engine.dialect.name == "sqlite":
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        cleanup = None
    else:
        from tests.conftest import _create_postgres_database, _drop_postgres_database

        name = f"wso_restore_{uuid.uuid4().hex[:10]}"
        target = _create_postgres_database(name)
        cleanup = name
    try:
        code, output = wso("db", "restore", str(backup_file), "--database", target)
        assert code == 0, output
        assert wso("db", "restore", str(backup_file), "--database", target)[0] == 1  # never over a database
        code, output = wso("ledger", "verify", "--json", "--database", target)
        report = json.loads(output)
        assert code == 0 and report["access_rows"] == 1 and report["differences"] == [], output
        with make_engine(target).connect() as conn:
            assert conn.execute(select(tables.Officer.name)).scalars().all() == ["Officer A. Rivera"]
    finally:
        if cleanup:
            _drop_postgres_database(cleanup)


def test_item10_two_trainings_added_at_once_both_land(store: Store, county: County) -> None:
    """Both units of work read the officer before either commits; the second is retried, not refused.

    The first commits when its block ends (the entry point owns the transaction), while the second
    still holds what it read: the second's append then loses the race for the stream's next seq."""
    oid = nominate(store, county)
    with store.unit_of_work() as second:
        held = second.session.get(tables.Officer, oid)  # held: the session keeps what it loaded while referenced
        assert held.version == 1
        with store.unit_of_work() as first:
            assert first.session.get(tables.Officer, oid).version == 1  # both read version 1
            officers.record_training(
                first, actor=county.coordinator, at=later(3), officer_id=oid, name="Use of force", completed_at=later(3)
            )
        view = officers.record_training(
            second, actor=county.coordinator, at=later(3), officer_id=oid, name="Language access", completed_at=later(3)
        )
    assert sorted(t.name for t in view.trainings) == ["Language access", "Use of force"]
    assert view.version == 3
    with store.unit_of_work() as uow:
        assert ledger_service.verify_ledger(uow, actor=SYSTEM).ok


def test_item10_a_real_conflict_on_the_same_field_still_refuses(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as second:
        held = second.session.get(tables.Officer, oid)  # held: the session keeps what it loaded while referenced
        assert held.version == 1
        with store.unit_of_work() as first:
            assert first.session.get(tables.Officer, oid).version == 1  # both read version 1
            officers.record_background_check(
                first, actor=county.coordinator, at=later(3), officer_id=oid, status="pending"
            )
        with pytest.raises(ConcurrencyError):
            officers.record_background_check(
                second, actor=county.coordinator, at=later(3), officer_id=oid, status="cleared"
            )
    with store.unit_of_work() as uow:
        view = officers.officer_view(uow, actor=county.coordinator, officer_id=oid, at=later(4))
    assert view.background_check == "pending"


def test_item10_a_stale_expected_version_is_never_retried(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        officers.record_training(
            uow, actor=county.coordinator, at=later(3), officer_id=oid, name="A", completed_at=later(3)
        )
    with store.unit_of_work() as uow, pytest.raises(ConcurrencyError):
        officers.record_training(
            uow,
            actor=county.coordinator,
            at=later(3),
            officer_id=oid,
            name="B",
            completed_at=later(3),
            expected_version=1,
        )


def test_item10_the_demo_refusal_leaves_nothing(store: Store, county: County) -> None:
    from datetime import datetime

    from wso.demo import DemoRefused

    with pytest.raises(DemoRefused):
        load_demo(store, at=datetime(2026, 11, 25, tzinfo=UTC))
