"""Sign in (password, then a TOTP code or its enrolment), sign out.

The password step runs through the hashing gate (wso.http.gate), so a flood of sign-ins waits
without holding the threads that serve signed-in users. Every failure says the same words for
an unknown name, a wrong password and a locked account (rule S4).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from wso.http import auth
from wso.http.errors import Problem, problem_for
from wso.http.forms import read_form
from wso.http.gate import gated
from wso.http.render import render
from wso.http.templating import add_templates
from wso.services import errors as domain
from wso.users import mfa
from wso.users.signin import BAD_SIGN_IN

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter(include_in_schema=False)

HOME_AFTER_LOGIN = "/officers"
NEXT_KEY = "next"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: `next=https://evil.example` must not turn login into a redirector."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return HOME_AFTER_LOGIN if target.startswith("/login") else target  # never back into the sign-in steps
    return HOME_AFTER_LOGIN


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    return render(request, "users/login.html", {"next": _safe_next(next), "username": "", "problem": None})


@router.post("/login")
async def login(request: Request) -> Response:
    data = await read_form(request)
    target = _safe_next(data.get("next"))
    username = data.get("username", "")
    try:
        checked = await gated(
            auth.check_credentials, request=request, username=username, password=data.get("password", ""), channel="web"
        )
    except domain.TooManyRequests as exc:
        context = {"next": target, "username": username, "problem": problem_for(exc)}
        return render(request, "users/login.html", context, status_code=429)
    except (domain.NotAuthenticated, domain.Forbidden, domain.InvalidInput):
        # One answer for an unknown user, a wrong password and a locked account: names stay secret.
        problem = Problem(status=401, error="unauthenticated", reason=BAD_SIGN_IN)
        context = {"next": target, "username": username, "problem": problem}
        return render(request, "users/login.html", context, status_code=401)
    await run_in_threadpool(auth.begin_session, request, checked)
    if checked.needs_code or checked.must_enrol:
        request.session[NEXT_KEY] = target
        return RedirectResponse("/login/code" if checked.needs_code else "/login/enrol", status_code=303)
    return RedirectResponse(target, status_code=303)


def _code_page(request: Request, *, problem: Problem | None = None, status_code: int = 200) -> Response:
    return render(request, "users/login_code.html", {"problem": problem}, status_code=status_code)


@router.get("/login/code")
async def code_page(request: Request) -> Response:
    pending = await run_in_threadpool(auth.pending_user, request)
    if not pending.needs_code:
        return RedirectResponse("/login/enrol", status_code=303)
    return _code_page(request)


@router.post("/login/code")
async def code(request: Request) -> Response:
    data = await read_form(request)
    target = _safe_next(request.session.get(NEXT_KEY))
    try:
        await run_in_threadpool(auth.complete_with_code, request, code=data.get("code", ""))
    except domain.NotAuthenticated as exc:
        if exc.reason != "wrong or already used code":
            raise  # no pending sign-in (or it expired): back to the password step
        return _code_page(request, problem=problem_for(exc), status_code=401)
    return RedirectResponse(target, status_code=303)


def _enrol_context(request: Request) -> dict[str, object]:
    import segno  # noqa: PLC0415  (only the enrolment page draws a QR code)

    pending = auth.pending_user(request)
    with auth.unit_of_work(request) as uow:
        secret = mfa.pending_secret(uow, user_id=pending.user_id) or mfa.begin_enrolment(
            uow, user_id=pending.user_id, at=auth.now()
        )
    uri = mfa.provisioning_uri(secret=secret, username=pending.username)
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=5, title="TOTP enrolment"))
    return {"secret": secret, "uri": uri, "qr": qr, "username": pending.username}


@router.get("/login/enrol")
async def enrol_page(request: Request) -> Response:
    context = await run_in_threadpool(_enrol_context, request)
    return render(request, "users/login_enrol.html", {**context, "problem": None})


@router.post("/login/enrol")
async def enrol(request: Request) -> Response:
    data = await read_form(request)
    target = _safe_next(request.session.get(NEXT_KEY))

    def confirm() -> None:
        pending = auth.pending_user(request)
        with auth.unit_of_work(request) as uow:
            mfa.confirm_enrolment(uow, user_id=pending.user_id, code=data.get("code", ""), at=auth.now())
        auth.complete_after_enrolment(request)

    try:
        await run_in_threadpool(confirm)
    except domain.InvalidInput as exc:
        context = await run_in_threadpool(_enrol_context, request)
        return render(request, "users/login_enrol.html", {**context, "problem": problem_for(exc)}, status_code=422)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await run_in_threadpool(auth.log_out, request)
    return RedirectResponse("/login", status_code=303)
