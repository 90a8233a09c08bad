"""One's own account (password, API tokens, TOTP status) and, for admins, the users they manage.

The same services as the API and the CLI (wso.users.service, .auth, .mfa): a change of
password, a revoked token, a deactivated user mean the same thing wherever they were done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wso.http.auth import PageActor, now, unit_of_work
from wso.http.forms import NO_FORM, FormState, submit
from wso.http.render import render
from wso.http.templating import add_templates
from wso.services.permissions import Actor
from wso.users import mfa
from wso.users import service as users
from wso.users.auth import list_api_tokens, revoke_api_token_by_id

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
    return render(request, "users/users.html", {"users": rows}, actor=actor, form=state)


@router.get("/users")
def users_page(request: Request, actor: PageActor) -> Response:
    return _users(request, actor)


def _user_command(action: str, service: Any, *, with_password: bool = False) -> None:
    async def endpoint(request: Request, actor: PageActor, user_id: str) -> Response:
        def run(data: dict[str, str]) -> str:
            arguments: dict[str, Any] = {"user_id": user_id}
            if with_password:
                arguments["new_password"] = data.get("new_password", "")
            with unit_of_work(request) as uow:
                service(uow, actor=actor, at=now(), **arguments)
            return "/users"

        return await submit(
            request,
            form=f"{action}-{user_id}",
            run=run,
            redraw=lambda state: _users(request, actor, _without_secrets(state)),
        )

    router.add_api_route(f"/users/{{user_id}}/{action}", endpoint, methods=["POST"], name=f"users:{action}")


_user_command("deactivate", users.deactivate_user)
_user_command("reactivate", users.reactivate_user)
_user_command("password", users.reset_password, with_password=True)
_user_command("mfa-reset", mfa.reset_mfa)
