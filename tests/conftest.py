"""Fixtures every test area shares: real databases (SQLite and PostgreSQL) and Chromium.

A test that needs PostgreSQL or Chromium skips when it is absent on a developer's machine, and
fails instead when WSO_REQUIRE_ALL=1 (CI), so nothing is skipped silently there.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

POSTGRES_ADMIN_URL = os.environ.get("WSO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHROMIUM_PATH = os.environ.get("WSO_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("WSO_REQUIRE_ALL") == "1"


def missing(what: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must run."""
    message = f"skipped: {what} not available"
    if REQUIRE_ALL:
        pytest.fail(f"{message} (WSO_REQUIRE_ALL=1)")
    pytest.skip(message)


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), connect_timeout=3):
            return True
    except Exception:
        return False


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


# Argon2 for the tests: the same algorithm (argon2id, 16-byte salt, 32-byte hash) at the lowest cost.
# The shipped hasher (RFC 9106's low-memory profile: 3 passes over 64 MiB, 4 lanes) takes 0.1-1 s of
# CPU per hash on a shared 2-core VM, and the suite hashes thousands of times (every user a fixture
# creates, every sign-in). tests/unit/test_password_hasher.py holds the shipped parameters.
TEST_HASHER_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[object]:
    """Every in-process hash and verification uses TEST_HASHER_PARAMETERS (see above); yields the
    shipped hasher, which tests/unit/test_password_hasher.py inspects."""
    from argon2 import PasswordHasher

    from wso.users import service, signin

    cheap = PasswordHasher(**TEST_HASHER_PARAMETERS)
    with pytest.MonkeyPatch.context() as patch:
        shipped = service.hasher
        patch.setattr(service, "hasher", cheap)
        patch.setattr(signin, "hasher", cheap)
        patch.setattr(signin, "_DUMMY_HASH", cheap.hash("wso-no-such-user-placeholder"))
        yield shipped


@pytest.fixture(scope="session")
def signing_key_text() -> str:
    """One Ed25519 ledger signing key for the test session (base64 of the raw 32 bytes)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode("ascii")


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch, signing_key_text: str) -> str:
    """Every test signs the ledger with the session's key (WSO_SIGNING_KEY), as a deployment would."""
    monkeypatch.setenv("WSO_SIGNING_KEY", signing_key_text)
    monkeypatch.delenv("WSO_SIGNING_KEY_FILE", raising=False)
    return signing_key_text


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    return _postgres_reachable()


def _create_postgres_database(name: str) -> str:
    import psycopg

    with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_kind(request: pytest.FixtureRequest, postgres_available: bool) -> str:
    """Which database a test runs on; a test limited to one kind parametrizes this fixture indirectly."""
    if request.param == "postgresql" and not postgres_available:
        missing("PostgreSQL")
    return request.param


@pytest.fixture
def empty_database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of each kind: a SQLite file, or a PostgreSQL database made for this test."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'wso.sqlite3'}"
        return
    name = f"wso_test_{uuid.uuid4().hex[:12]}"
    url = _create_postgres_database(name)
    try:
        yield url
    finally:
        _drop_postgres_database(name)


def _migrate(url: str) -> None:
    from wso.store.db import make_engine
    from wso.store.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


# What a test could change in a PostgreSQL database beyond its rows: relations and their columns, owners and
# privileges, triggers and whether they fire, constraints, functions, schemas, the database's own privileges and
# settings. A database whose fingerprint still matches the template's after a test only needs its rows emptied.
_SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(item, '|' ORDER BY item)) FROM (
  SELECT 'rel:' || c.oid::regclass || ':' || c.relkind::text || ':' || c.relowner::regrole || ':'
         || coalesce(c.relacl::text, '') || ':' || c.relrowsecurity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT 'col:' || a.attrelid::regclass || ':' || a.attname || ':' || a.atttypid::regtype || ':' || a.attnotnull
         || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'trg:' || tgrelid::regclass || ':' || tgname || ':' || tgenabled::text FROM pg_trigger
  UNION ALL
  SELECT 'con:' || conrelid::regclass || ':' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'fn:' || p.oid::regprocedure || ':' || md5(p.prosrc) || ':' || p.proowner::regrole || ':'
         || coalesce(p.proacl::text, '')
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'ns:' || nspname || ':' || nspowner::regrole || ':' || coalesce(nspacl::text, '') FROM pg_namespace
  UNION ALL
  SELECT 'db:' || datdba::regrole || ':' || coalesce(datacl::text, '') FROM pg_database
   WHERE datname = current_database()
  UNION ALL
  SELECT 'set:' || coalesce(setrole::regrole::text, '') || ':' || coalesce(setconfig::text, '')
    FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()
  UNION ALL
  SELECT 'acl:' || defaclrole::regrole || ':' || defaclobjtype::text || ':' || coalesce(defaclacl::text, '')
    FROM pg_default_acl
  UNION ALL
  SELECT 'ext:' || extname FROM pg_extension
  UNION ALL
  SELECT 'pol:' || polrelid::regclass || ':' || polname FROM pg_policy
) AS fingerprint(item)
"""


class MigratedTemplates:
    """One database of each kind migrated once per test process, copied for every test that needs one.

    Running Alembic for each of several hundred tests cost most of their setup time; a copy of a
    migrated SQLite file or `CREATE DATABASE ... TEMPLATE` on PostgreSQL gives the same schema in a
    fraction of it. The migrations themselves are still tested from empty (test_migrations.py).

    A PostgreSQL copy costs some 0.4 s to create and drop, several hundred times per run, so a copy a
    test is done with is emptied and handed to the next test instead, when it can be made the same as a
    new copy: its schema's fingerprint (_SCHEMA_FINGERPRINT) still matches the template's, so only rows
    differ; every row is then deleted (the template holds none but Alembic's version) and every sequence
    restarted, under a new name. A copy whose schema, privileges or triggers a test changed is dropped.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.sqlite: Path | None = None
        self.postgres: str | None = None
        self._fingerprint = ""
        self._tables: list[str] = []
        self._sequences: list[str] = []
        self._spare: list[str] = []

    def sqlite_copy(self, target: Path) -> None:
        if self.sqlite is None:
            self.sqlite = self.directory / "template.sqlite3"
            _migrate(f"sqlite:///{self.sqlite}")
        shutil.copyfile(self.sqlite, target)

    def _postgres_template(self) -> str:
        import psycopg

        if self.postgres is None:
            name = f"wso_template_{uuid.uuid4().hex[:12]}"
            url = _create_postgres_database(name)
            _migrate(url)
            with psycopg.connect(_libpq(url)) as conn:
                self._fingerprint = conn.execute(_SCHEMA_FINGERPRINT).fetchone()[0]
                self._tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"
                        " AND tablename <> 'alembic_version'"
                    )
                ]
                self._sequences = [
                    row[0]
                    for row in conn.execute(
                        "SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = 'public'"
                    )
                ]
                assert not any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in self._tables)
            self.postgres = name
        return self.postgres

    def postgres_lease(self) -> str:
        """The name of a migrated database no other test is using: a spare one, else a new copy."""
        import psycopg

        if self._spare:
            return self._spare.pop()
        template = self._postgres_template()
        name = f"wso_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def postgres_return(self, name: str) -> None:
        """Keep the database for the next test if it can be emptied back to the template's state, else drop it."""
        renamed = self._emptied(name)
        if renamed is not None:
            self._spare.append(renamed)
        else:
            _drop_postgres_database(name)

    def _emptied(self, name: str) -> str | None:
        """The database under a new name, emptied, or None if it cannot be made the same as a new copy.

        Renamed first: a process the test started and left running (a worker, a server) still holds the old
        name and cannot reconnect to what is now another test's database.
        """
        import psycopg

        renamed = f"wso_test_{uuid.uuid4().hex[:12]}"
        try:
            with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as admin:
                # Whatever the test left connected (a pool not disposed) would hold locks or see the next test.
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
                admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{renamed}"')
            url = _libpq(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{renamed}")
            with psycopg.connect(url) as conn:
                if conn.execute(_SCHEMA_FINGERPRINT).fetchone()[0] != self._fingerprint:
                    _drop_postgres_database(renamed)
                    return None
                with conn.pipeline():  # one round trip, not forty
                    conn.execute("SET LOCAL session_replication_role = replica")  # the append-only triggers stay quiet
                    for table in self._tables:
                        conn.execute(f"DELETE FROM {table}")
                    for sequence in self._sequences:
                        conn.execute(f"ALTER SEQUENCE {sequence} RESTART")
            return renamed
        except psycopg.Error:  # under either name, whichever step failed: no database is left behind
            _drop_postgres_database(name)
            _drop_postgres_database(renamed)
            return None

    @contextmanager
    def database(self, kind: str, sqlite_path: Path) -> Iterator[str]:
        """A migrated database of `kind` for one test: a copy of the SQLite template at `sqlite_path`, or a leased
        PostgreSQL database, returned (emptied or dropped) when the block ends."""
        if kind == "sqlite":
            self.sqlite_copy(sqlite_path)
            yield f"sqlite:///{sqlite_path}"
            return
        name = self.postgres_lease()
        try:
            yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            self.postgres_return(name)

    def drop(self) -> None:
        for name in self._spare:
            _drop_postgres_database(name)
        if self.postgres is not None:
            _drop_postgres_database(self.postgres)


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path, migrated_templates: MigratedTemplates) -> Iterator[str]:
    """An empty database of each kind, at the current schema (a copy of one migrated once)."""
    with migrated_templates.database(database_kind, tmp_path / "wso.sqlite3") as url:
        yield url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, which Playwright drives (Playwright cannot download its own here)."""
    if not (Path(CHROMIUM_PATH).exists() or shutil.which(CHROMIUM_PATH)):
        missing("Chromium")
    return CHROMIUM_PATH


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """Uvicorn serving create_app(url) on a free loopback port, in a thread of this process."""

    def __init__(self, url: str) -> None:
        import socket
        import threading

        import uvicorn

        from wso.web.app import create_app

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(create_app(url), host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        import time

        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start within 20 s")
            time.sleep(0.05)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium per test module, driven by Playwright (launching one costs a second or two).

    Not one per process: Playwright's synchronous API keeps an event loop running in the thread while it
    is started, and a later test's `asyncio.run()` in that process would then fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The module's Chromium for one test; no request may leave this machine. Every context (tab group, cookie
    jar) the test opened is closed after it, so no test sees another's pages or sign-ins."""
    before = set(chromium.contexts)
    try:
        yield chromium
    finally:
        for context in chromium.contexts:
            if context not in before:
                context.close()
