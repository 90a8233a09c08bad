"""Bearer tokens and accounts: sign in for a token (with the TOTP code), who am I, list and revoke
tokens, change one's password; users for admins (deactivate, reactivate, reset password or TOTP)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from wso.http.api_routes import command, query
from wso.http.auth import ApiActor, address, bearer_scheme, now, unit_of_work
from wso.http.gate import gated
from wso.http.schemas import ERROR_RESPONSES
from wso.http.strict import strict_body
from wso.rules.security import token_expiry
from wso.services import errors as domain
from wso.services.fields import Instant, Text, encodable
from wso.users import commands as c
from wso.users import mfa
from wso.users import queries as q
from wso.users.auth import TokenView, issue_api_token, revoke_api_token
from wso.users.service import UserView
from wso.users.signin import PasswordChecked, check_code, check_password

router = APIRouter(tags=["tokens"])
users_router = APIRouter(tags=["users"])


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Text
    password: Annotated[str, Field(max_length=1000), AfterValidator(encodable)]
    totp_code: Annotated[
        str, Field(max_length=16, description="The 6-digit TOTP code, for a user enrolled in it (S2)")
    ] = ""
    purpose: Text = ""
    expires_at: Instant | None = Field(None, description="When the token stops working (default and longest: S5)")


class EnrolFirst(domain.Forbidden):
    """A right password from a user who must enrol a TOTP first: refused, but the attempt stays logged."""

    keeps_writes = True


class ActorOut(BaseModel):
    user_id: str | None
    username: str
    role: str
    agency_id: str | None


class TokenOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown once, only its hash is kept")
    expires_at: datetime
    actor: ActorOut


def _sign_in(request: Request, body: Credentials) -> TokenOut:
    """Runs in a thread, inside the hashing gate: password, code, then the token."""
    at = now()
    with unit_of_work(request) as uow:
        checked: PasswordChecked = check_password(
            uow, username=body.username, password=body.password, address=address(request), channel="api", at=at
        )
        actor = checked.actor
        if checked.must_enrol:
            raise EnrolFirst("your role signs in with a TOTP code: enrol first by signing in on the web pages")
        if checked.needs_code:
            assert actor.user_id is not None
            actor = check_code(
                uow, user_id=actor.user_id, code=body.totp_code, address=address(request), channel="api", at=at
            )
        token = issue_api_token(uow, actor=actor, at=at, purpose=body.purpose or "api", expires_at=body.expires_at)
    expires_at = token_expiry(at=at, requested=body.expires_at).values["expires_at"]  # as issue_api_token set it
    return TokenOut(token=token, expires_at=expires_at, actor=ActorOut(**actor.__dict__))


@router.post(
    "/tokens",
    status_code=201,
    response_model=TokenOut,
    responses=ERROR_RESPONSES,
    operation_id="issue_token",
    dependencies=[Depends(strict_body(Credentials))],
)
async def issue_token(request: Request, body: Credentials) -> TokenOut:
    """A new bearer token for a username, password and (if enrolled) TOTP code; 401 with one message for any failure."""
    return await gated(_sign_in, request=request, body=body)


@router.get("/me", response_model=ActorOut, responses=ERROR_RESPONSES, operation_id="who_am_i")
def who_am_i(actor: ApiActor) -> ActorOut:
    """The user the bearer token stands for, with their role and agency."""
    return ActorOut(**actor.__dict__)


@router.delete("/tokens/current", status_code=204, responses=ERROR_RESPONSES, operation_id="revoke_token")
def revoke_token(
    request: Request,
    actor: ApiActor,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Response:
    """Revoke the token this request carries (it stops working at once)."""
    assert credentials is not None  # ApiActor has refused a request without one
    with unit_of_work(request) as uow:
        revoke_api_token(uow, token=credentials.credentials, at=now())
    return Response(status_code=204)


# Tokens of the actor (or, for an admin, of a user: ?user_id=), revocation by id, one's own password.
query(router, "/tokens", q.ListApiTokens, view=TokenView, many=True)
command(router, "/tokens/{token_id}/revoke", c.RevokeApiTokenById, view=TokenView)
command(router, "/me/password", c.ChangePassword, view=UserView)

# Users, for admins (agency admins: their agency's users only).
query(users_router, "/users", q.ListUsers, view=UserView, many=True)
command(users_router, "/users/{user_id}/deactivate", c.DeactivateUser, view=UserView)
command(users_router, "/users/{user_id}/reactivate", c.ReactivateUser, view=UserView)
command(users_router, "/users/{user_id}/password", c.ResetPassword, view=UserView)


@users_router.post("/users/{user_id}/mfa-reset", status_code=204, responses=ERROR_RESPONSES, operation_id="reset_mfa")
def reset_mfa(request: Request, actor: ApiActor, user_id: str) -> Response:
    """Remove a user's TOTP enrolment (a lost phone): they enrol again at their next sign-in."""
    with unit_of_work(request) as uow:
        mfa.reset_mfa(uow, actor=actor, at=now(), user_id=user_id)
    return Response(status_code=204)
