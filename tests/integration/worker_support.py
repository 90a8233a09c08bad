"""Real receivers for the worker's channels: an SMTP server (aiosmtpd) and a webhook HTTP server.

Each records every message it accepts, raw (duplicates included), with its idempotency key, so a
test can count exactly what arrived and how often.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wso.worker.channels import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign

SECRET = "test-webhook-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """What a receiver accepted, in order: (idempotency key, JSON body)."""

    items: list[tuple[str, dict]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    bad_signatures: int = 0

    def add(self, key: str, body: dict) -> None:
        with self.lock:
            self.items.append((key, body))

    def keys(self) -> list[str]:
        with self.lock:
            return [k for k, _ in self.items]


class SmtpReceiver:
    """aiosmtpd's Controller on a free loopback port; keys are the Message-IDs."""

    def __init__(self, *, delay: float = 0.0) -> None:
        from aiosmtpd.controller import Controller

        self.received = Received()
        received, pause = self.received, delay

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201 - aiosmtpd's hook
                import asyncio

                message = message_from_bytes(envelope.content)
                key = message["Message-ID"].strip("<>").split("@")[0]
                received.add(key, json.loads(message.get_payload()))
                if pause:
                    await asyncio.sleep(pause)
                return "250 Message accepted"

        self.port = free_port()
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class WebhookReceiver:
    """A threading HTTP server that checks the HMAC signature; `fail_first` answers 503 that many times."""

    def __init__(self, *, delay: float = 0.0, fail_first: int = 0) -> None:
        self.received = Received()
        received, pause = self.received, delay
        failures = {"left": fail_first}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get(SIGNATURE_HEADER) != sign(SECRET, data):
                    received.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                with received.lock:
                    fail = failures["left"] > 0
                    failures["left"] -= 1 if fail else 0
                if fail:
                    self.send_response(503)
                    self.end_headers()
                    return
                received.add(self.headers[IDEMPOTENCY_HEADER], json.loads(data))
                if pause:
                    time.sleep(pause)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def wait_for(condition: Callable[[], bool], *, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
