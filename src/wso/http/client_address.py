"""The client's address for the access log: set for each request, read by wso.store.access.

A pure ASGI middleware (no response buffering): it puts the peer address uvicorn reports (which
honours X-Forwarded-For only from trusted proxies, `--forwarded-allow-ips`) into a context
variable for the duration of the request, so every access-log row written while serving it, a read
or a refusal, carries the address without each service passing it along.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from wso.store.access import client_address

Scope = dict[str, Any]


class ClientAddressMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        token = client_address.set(str(client[0])[:64] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            client_address.reset(token)


def install(app: FastAPI) -> None:
    app.add_middleware(ClientAddressMiddleware)
