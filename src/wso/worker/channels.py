"""Where a fired alert goes: the board (a database row), e-mail over SMTP, a signed webhook.

Settings come from the environment (WSO_SMTP_HOST/PORT/FROM/TO, WSO_WEBHOOK_URL/SECRET); a channel
without its settings is simply not used. Every message carries the delivery's idempotency key
(e-mail: Message-ID; webhook: Idempotency-Key header), so a receiver can tell a redelivery after a
crash between send and commit (docs/worker.md) from a new alert.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

import httpx

SIGNATURE_HEADER = "X-WSO-Signature-256"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MESSAGE_DOMAIN = "wso.invalid"


class DeliveryError(Exception):
    """A channel could not deliver now; the worker retries with backoff."""


@dataclass(frozen=True)
class Outgoing:
    """What a channel sends for one alert: its identity, subject line and JSON body."""

    idempotency_key: str
    subject: str
    body: Mapping[str, Any]


class Channel(Protocol):
    name: str

    def send(self, message: Outgoing) -> None: ...


def sign(secret: str, body: bytes) -> str:
    """HMAC-SHA256 of the exact body bytes, as GitHub's X-Hub-Signature-256 ("sha256=<hex>")."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def body_bytes(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class EmailChannel:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    timeout: float = 10.0
    name: str = "email"

    def send(self, message: Outgoing) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = ", ".join(self.recipients)
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.idempotency_key}@{MESSAGE_DOMAIN}>"
        email.set_content(json.dumps(message.body, indent=2, sort_keys=True, ensure_ascii=False))
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {exc}") from exc


@dataclass(frozen=True)
class WebhookChannel:
    url: str
    secret: str
    timeout: float = 10.0
    name: str = "webhook"

    def send(self, message: Outgoing) -> None:
        data = body_bytes(message.body)
        headers = {
            "Content-Type": "application/json",
            IDEMPOTENCY_HEADER: message.idempotency_key,
            SIGNATURE_HEADER: sign(self.secret, data),
        }
        try:
            response = httpx.post(self.url, content=data, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {self.url}: {exc}") from exc
        if response.status_code >= 300:
            raise DeliveryError(f"webhook {self.url}: HTTP {response.status_code}")


def channels_from_env(env: Mapping[str, str] | None = None) -> list[Channel]:
    """The external channels configured in the environment; a half-configured one is an error."""
    env = os.environ if env is None else env
    found: list[Channel] = []
    host = env.get("WSO_SMTP_HOST", "")
    if host:
        recipients = tuple(a.strip() for a in env.get("WSO_SMTP_TO", "").split(",") if a.strip())
        if not recipients:
            raise ValueError("WSO_SMTP_TO: name at least one recipient when WSO_SMTP_HOST is set")
        port_text = env.get("WSO_SMTP_PORT", "25")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"WSO_SMTP_PORT: {port_text!r} is not a TCP port")
        found.append(
            EmailChannel(
                host=host, port=int(port_text), sender=env.get("WSO_SMTP_FROM", "wso@localhost"), recipients=recipients
            )
        )
    url = env.get("WSO_WEBHOOK_URL", "")
    if url:
        secret = env.get("WSO_WEBHOOK_SECRET", "")
        if not secret:
            raise ValueError("WSO_WEBHOOK_SECRET: required when WSO_WEBHOOK_URL is set (bodies are HMAC-signed)")
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"WSO_WEBHOOK_URL: {url!r} is not an http(s) URL")
        found.append(WebhookChannel(url=url, secret=secret))
    return found
