"""Sign in and sign out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from wso.services import errors as domain
from wso.web import auth
from wso.web.errors import Problem
from wso.web.forms import read_form
from wso.web.pages.render import render

router = APIRouter(include_in_schema=False)

HOME_AFTER_LOGIN = "/officers"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: `next=https://evil.example` must not turn login into a redirector."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME_AFTER_LOGIN


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    return render(request, "records/login.html", {"next": _safe_next(next), "username": "", "problem": None})


@router.post("/login")
async def login(request: Request) -> Response:
    data = await read_form(request)
    target = _safe_next(data.get("next"))
    username = data.get("username", "")
    try:
        await run_in_threadpool(auth.log_in, request, username=username, password=data.get("password", ""))
    except (domain.NotAuthenticated, domain.Forbidden, domain.InvalidInput):
        # One answer for an unknown user and a wrong password: the page must not tell which names exist.
        problem = Problem(status=401, error="unauthenticated", reason="wrong user name or password")
        context = {"next": target, "username": username, "problem": problem}
        return render(request, "records/login.html", context, status_code=401)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await run_in_threadpool(auth.log_out, request)
    return RedirectResponse("/login", status_code=303)
