"""One's own account (password, API tokens, TOTP status) and, for admins, the users they manage.

The same services as the API and the CLI (wso.users.service, .auth, .mfa): a change of
password, a revoked token, a deactivated user mean the same thing wherever they were done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from wso.agencies import service as agencies
from wso.http.auth import PageActor, now, unit_of_work
from wso.http.errors import DOMAIN_ERRORS, problem_for
from wso.http.forms import NO_FORM, FormState, read_form, submit
from wso.http.render import render
from wso.http.templating import add_templates
from wso.services.errors import NotFound
from wso.services.permissions import CROSS_AGENCY_ROLES, ROLES, Actor
from wso.users import mfa
from wso.users import service as users
from wso.users.auth import issue_api_token, list_api_tokens, revoke_api_token_by_id

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def _account(request: Request, actor: Actor, state: FormState = NO_FORM, status_code: int = 200) -> Response:
    with unit_of_work(request) as uow:
        tokens = list_api_tokens(uow, actor=actor, at=now()) if actor.user_id else []
        enrolled = mfa.is_enrolled(uow, user_id=actor.user_id) if actor.user_id else False
    context: dict[str, Any] = {"tokens": tokens, "enrolled": enrolled, "zone": "UTC"}
    return render(request, "users/account.html", context, actor=actor, form=state, status_code=status_code)


@router.get("/account")
def account_page(request: Request, actor: PageActor) -> Response:
    return _account(request, actor)


@router.post("/account/password")
async def change_password(request: Request, actor: PageActor) -> Response:
    def run(data: dict[str, str]) -> str:
        with unit_of_work(request) as uow:
            users.change_password(
                uow,
                actor=actor,
                at=now(),
                current_password=data.get("current_password", ""),
                new_password=data.get("new_password", ""),
            )
        return "/login"  # every session of the user has ended, this one too

    return await submit(
        request, form="change_password", run=run, redraw=lambda state: _account(request, actor, _without_secrets(state))
    )


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, actor: PageActor, token_id: str) -> Response:
    def run(data: dict[str, str]) -> str:
        with unit_of_work(request) as uow:
            revoke_api_token_by_id(uow, actor=actor, at=now(), token_id=token_id)
        return "/account"

    return await submit(request, form="revoke_token", run=run, redraw=lambda state: _account(request, actor, state))


def _without_secrets(state: FormState) -> FormState:
    """A form drawn again never shows a password that was typed."""
    return FormState(name=state.name, problem=state.problem, values={})


def _users(request: Request, actor: Actor, state: FormState = NO_FORM) -> Response:
    with unit_of_work(request) as uow:
        rows = users.list_users(uow, actor=actor)
        visible = agencies.list_agencies(uow, actor=actor)
    context = {
        "users": rows,
        "agencies": visible,
        "agency_names": {a.id: a.name for a in visible},
        "roles": ROLES,
        "cross_agency_roles": CROSS_AGENCY_ROLES,
    }
    return render(request, "users/users.html", context, actor=actor, form=state)


@router.get("/users")
def users_page(request: Request, actor: PageActor) -> Response:
    return _users(request, actor)


@router.post("/users")
async def create_user(request: Request, actor: PageActor) -> Response:
    """An admin creates a user with an initial password (rule S3); the user enrols TOTP at first sign-in."""

    def run(data: dict[str, str]) -> str:
        with unit_of_work(request) as uow:
            made = users.create_user(
                uow,
                actor=actor,
                at=now(),
                username=data.get("username", ""),
                password=data.get("password", ""),
                role=data.get("role", ""),
                agency_id=data.get("agency_id") or None,
            )
        return f"/users/{made.id}"

    return await submit(
        request, form="create_user", run=run, redraw=lambda state: _users(request, actor, _without_password(state))
    )


def _without_password(state: FormState) -> FormState:
    """Keeps what was typed but the password, so the admin corrects the field the error names."""
    values = {k: v for k, v in state.values.items() if "password" not in k}
    return FormState(name=state.name, problem=state.problem, values=values)


def _user(
    request: Request,
    actor: Actor,
    user_id: str,
    state: FormState = NO_FORM,
    *,
    template: str = "users/user.html",
    extra: dict[str, Any] | None = None,
) -> Response:
    """A user's page (or one of its confirmation pages): their state, actions and API tokens."""
    with unit_of_work(request) as uow:
        user = users.user_view(uow, actor=actor, user_id=user_id)
        tokens = list_api_tokens(uow, actor=actor, at=now(), user_id=user.id)
        enrolled = mfa.is_enrolled(uow, user_id=user.id)
        visible = {a.id: a.name for a in agencies.list_agencies(uow, actor=actor)}
    context: dict[str, Any] = {
        "user": user,
        "tokens": tokens,
        "enrolled": enrolled,
        "agency_name": visible.get(user.agency_id or "", "every agency"),
        "zone": "UTC",
        **(extra or {}),
    }
    response = render(request, template, context, actor=actor, form=state)
    if extra and "issued_token" in extra:
        response.headers["Cache-Control"] = "no-store"  # the token is shown once: no copy in any cache
    return response


@router.get("/users/{user_id}")
def user_page(request: Request, actor: PageActor, user_id: str) -> Response:
    return _user(request, actor, user_id)


@router.get("/users/{user_id}/deactivate")
def confirm_deactivate(request: Request, actor: PageActor, user_id: str) -> Response:
    """Deactivation is confirmed on its own page, which says what it does: never one click."""
    return _user(request, actor, user_id, template="users/confirm_deactivate.html")


@router.get("/users/{user_id}/tokens/{token_id}/revoke")
def confirm_revoke(request: Request, actor: PageActor, user_id: str, token_id: str) -> Response:
    """Revoking a token is confirmed on its own page: whatever uses the token stops working at once."""
    with unit_of_work(request) as uow:
        known = {t.id for t in list_api_tokens(uow, actor=actor, at=now(), user_id=user_id)}
    if token_id not in known:
        raise NotFound("api_token", token_id)  # an error page, not a confirmation of nothing
    return _user(request, actor, user_id, template="users/confirm_revoke.html", extra={"token_id": token_id})


@router.post("/users/{user_id}/tokens")
async def issue_token(request: Request, actor: PageActor, user_id: str) -> Response:
    """Issues a token for the user and shows it once (only its hash is kept), with no-store caching.

    Not a redirect: the token exists nowhere after this answer, so it cannot be shown by a GET later."""
    data = await read_form(request)
    try:

        def run() -> str:
            with unit_of_work(request) as uow:
                return issue_api_token(uow, actor=actor, at=now(), purpose=data.get("purpose", ""), user_id=user_id)

        token = await run_in_threadpool(run)
    except DOMAIN_ERRORS as exc:
        state = FormState(name="issue_token", problem=problem_for(exc), values=data)
        response = await run_in_threadpool(_user, request, actor, user_id, state)
        response.status_code = state.problem.status if state.problem else 400
        return response
    return await run_in_threadpool(
        lambda: _user(request, actor, user_id, extra={"issued_token": token, "issued_purpose": data.get("purpose")})
    )


@router.post("/users/{user_id}/tokens/{token_id}/revoke")
async def revoke_user_token(request: Request, actor: PageActor, user_id: str, token_id: str) -> Response:
    def run(data: dict[str, str]) -> str:
        with unit_of_work(request) as uow:
            revoke_api_token_by_id(uow, actor=actor, at=now(), token_id=token_id)
        return f"/users/{user_id}"

    return await submit(
        request, form="revoke_token", run=run, redraw=lambda state: _user(request, actor, user_id, state)
    )


def _user_command(action: str, service: Any, *, with_password: bool = False) -> None:
    async def endpoint(request: Request, actor: PageActor, user_id: str) -> Response:
        def run(data: dict[str, str]) -> str:
            arguments: dict[str, Any] = {"user_id": user_id}
            if with_password:
                arguments["new_password"] = data.get("new_password", "")
            with unit_of_work(request) as uow:
                service(uow, actor=actor, at=now(), **arguments)
            return f"/users/{user_id}"

        return await submit(
            request,
            form=action,
            run=run,
            redraw=lambda state: _user(request, actor, user_id, _without_secrets(state)),
        )

    router.add_api_route(f"/users/{{user_id}}/{action}", endpoint, methods=["POST"], name=f"users:{action}")


_user_command("deactivate", users.deactivate_user)
_user_command("reactivate", users.reactivate_user)
_user_command("password", users.reset_password, with_password=True)
_user_command("mfa-reset", mfa.reset_mfa)
