"""Fixtures of the records tests, found by pytest here (no test module imports a fixture).

`store` and `county` (records_support): the services on a fresh database with a county whose WSO
agreement is signed. `world` and `client` (web_support): the app with two counties, users and
tokens, and a TestClient on it. Each runs on SQLite and on PostgreSQL through `database_url`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.integration.records_support import County, make_county
from tests.integration.web_support import World, build_world
from tests.integration.worker_support import SmtpReceiver, WebhookReceiver
from wso.store.uow import Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    s = Store(database_url)
    try:
        yield s
    finally:
        s.dispose()


@pytest.fixture
def county(store: Store) -> County:
    return make_county(store)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    built = build_world(database_url)
    try:
        yield built
    finally:
        engine = getattr(built.app.state, "engine", None)
        if engine is not None:
            engine.dispose()


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(world.app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    """A real SMTP server (aiosmtpd) on a free port, recording what the worker sends."""
    receiver = SmtpReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    """A real HTTP server on a free port, recording the worker's signed webhook posts."""
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()
