"""CSRF protection for the pages: a synchronizer token kept in the signed session.

Every form carries the session's token in a hidden field; every unsafe request to a page must
send it back (form field or X-CSRF-Token header), compared in constant time. Another site can
make a browser POST here with our cookie, but cannot read the token, so it cannot forge the form.
The API needs none of this: it takes only bearer tokens, which a browser never sends on its own.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from markupsafe import Markup

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRejected(Exception):
    """An unsafe request without the session's token: refused before anything runs."""


def csrf_token(request: Request) -> str:
    """The session's token, made on first use (the login page makes it for a new visitor)."""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return str(token)


def rotate(request: Request) -> None:
    """A new token at login and logout, so a token seen before signing in is worth nothing after."""
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


def csrf_input(request: Request) -> Markup:
    """The hidden field every form template includes: `{{ csrf_input(request) }}`."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, csrf_token(request))


async def require_csrf(request: Request) -> None:
    """Router dependency: refuses an unsafe request whose token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()  # cached on the request: the route reads the same form
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise CsrfRejected("this form has expired or did not come from this site; reload the page and try again")
