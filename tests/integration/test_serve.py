"""`wso serve --workers N`: more than one process, each building the app from the import string."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

WSO = Path(sys.executable).parent / "wso"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_serve_with_two_workers_starts_two_processes_on_one_port(database_url: str, tmp_path: Path) -> None:
    """Both workers import wso.web.app:create_app and find the database through WSO_DATABASE_URL."""
    port = free_port()
    env = {**os.environ, "WSO_SECRET_KEY": "k" * 48}
    env.pop("WSO_DATABASE_URL", None)
    server = subprocess.Popen(
        [str(WSO), "serve", "--workers", "2", "--port", str(port), "--database", database_url],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()

    def workers() -> set[str]:
        return {m for line in list(lines) for m in re.findall(r"Started server process \[(\d+)\]", line)}

    try:
        deadline = time.monotonic() + 120
        base = f"http://127.0.0.1:{port}"
        answered = False
        while time.monotonic() < deadline and not (answered and len(workers()) == 2):
            with contextlib.suppress(httpx.HTTPError):
                answered = answered or httpx.get(f"{base}/api/v1/agencies", timeout=2).status_code == 401
            assert server.poll() is None, "".join(lines)
            time.sleep(0.5)
        assert answered, "no worker answered within 120 s"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        reader.join(timeout=10)
    assert len(workers()) == 2, "".join(lines)
    assert str(server.pid) not in workers()  # the parent supervises; the two workers serve
