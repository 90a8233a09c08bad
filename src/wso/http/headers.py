"""Browser and transport hardening (issue 14, item 6): one ASGI middleware sets the headers.

- Content-Security-Policy: scripts, styles, fonts and connections from this site only, no
  inline script or style, no plugins, no framing (`frame-ancestors 'none'`), forms post here
  only. The pages keep every script and style in /static; charts carry their data in
  `<script type="application/json">`, which is data, not code.
- HSTS and `Secure` cookies when the request came over HTTPS (uvicorn sets the scheme from a
  trusted proxy's X-Forwarded-Proto with --proxy-headers) or when WSO_HTTPS=1 says the app is
  only ever reached over HTTPS.
- `Cache-Control: no-store` on every response that does not set its own (records and API
  answers must not stay in a shared computer's cache); static assets may be cached.
- X-Content-Type-Options, Referrer-Policy, X-Frame-Options (for old browsers), COOP.
"""

from __future__ import annotations

import os
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS: Final = "max-age=63072000; includeSubDomains"  # two years, as hstspreload.org asks
STATIC_PREFIXES: Final = ("/static/", "/public/assets/")
FIXED: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def https_only() -> bool:
    """WSO_HTTPS=1: the app is reached over HTTPS only (directly or through a TLS proxy)."""
    return os.environ.get("WSO_HTTPS", "") in ("1", "true", "yes")


class SecurityHeaders:
    """Adds the headers above to every HTTP response, and `Secure` to its cookies over HTTPS."""

    def __init__(self, app: ASGIApp, *, force_https: bool | None = None) -> None:
        self.app = app
        self.force_https = https_only() if force_https is None else force_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.force_https or scope.get("scheme") == "https"
        static = str(scope.get("path", "")).startswith(STATIC_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in FIXED.items():
                    headers.setdefault(name, value)
                if not static and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                if secure:
                    headers["Strict-Transport-Security"] = HSTS
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    cookies = headers.getlist("set-cookie")
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        headers.append("set-cookie", cookie if "; secure" in cookie.lower() else f"{cookie}; Secure")


def install_security_headers(app: object) -> None:
    """Once per app (the records area and the API may both ask)."""
    state = app.state  # type: ignore[attr-defined]
    if getattr(state, "wso_security_headers", False):
        return
    app.add_middleware(SecurityHeaders)  # type: ignore[attr-defined]
    state.wso_security_headers = True
