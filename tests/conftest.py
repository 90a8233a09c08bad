"""Fixtures every test area shares: real databases (SQLite and PostgreSQL) and Chromium.

A test that needs PostgreSQL or Chromium skips when it is absent on a developer's machine, and
fails instead when WSO_REQUIRE_ALL=1 (CI), so nothing is skipped silently there.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

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
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_available: bool) -> Iterator[str]:
    """A new, empty database of each kind: a SQLite file, or a PostgreSQL database made for this test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wso.sqlite3'}"
        return
    if not postgres_available:
        missing("PostgreSQL")
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


class MigratedTemplates:
    """One database of each kind migrated once per test process, copied for every test that needs one.

    Running Alembic for each of several hundred tests cost most of their setup time; a copy of a
    migrated SQLite file or `CREATE DATABASE ... TEMPLATE` on PostgreSQL gives the same schema in a
    fraction of it. The migrations themselves are still tested from empty (test_migrations.py).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.sqlite: Path | None = None
        self.postgres: str | None = None

    def sqlite_copy(self, target: Path) -> None:
        if self.sqlite is None:
            self.sqlite = self.directory / "template.sqlite3"
            _migrate(f"sqlite:///{self.sqlite}")
        shutil.copyfile(self.sqlite, target)

    def postgres_copy(self, name: str) -> None:
        import psycopg

        if self.postgres is None:
            self.postgres = f"wso_template_{uuid.uuid4().hex[:12]}"
            _migrate(_create_postgres_database(self.postgres))
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.postgres}"')

    def drop(self) -> None:
        if self.postgres is not None:
            _drop_postgres_database(self.postgres)


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


@pytest.fixture
def database_url(empty_database_url: str, migrated_templates: MigratedTemplates) -> str:
    """An empty database of each kind, at the current schema (a copy of one migrated once)."""
    if empty_database_url.startswith("sqlite:///"):
        migrated_templates.sqlite_copy(Path(empty_database_url.removeprefix("sqlite:///")))
    else:
        migrated_templates.postgres_copy(empty_database_url.rsplit("/", 1)[1])
    return empty_database_url


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


@pytest.fixture
def browser(chromium_path: str) -> Iterator[object]:
    """A headless Chromium driven by Playwright; no request may leave this machine."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
