"""Fixtures of the browser tests, found by pytest here (no test module imports a fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import LiveServer
from tests.integration.web_support import World, build_world


@pytest.fixture
def live(database_url: str) -> Iterator[tuple[LiveServer, World]]:
    """Two counties with their users and tokens (build_world), served live on a free loopback port. A module that
    needs more records asks for this fixture under the same name and adds them (the server reads per request)."""
    world = build_world(database_url)
    server = LiveServer(database_url)
    try:
        yield server, world
    finally:
        server.stop()
