"""Bearer tokens: exchange a username and password for a token; who am I; revoke my token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict, Field

from wso.api.derive import Text
from wso.api.schemas import ERROR_RESPONSES
from wso.services.auth import authenticate, issue_api_token, revoke_api_token
from wso.web.auth import ApiActor, bearer_scheme, now, unit_of_work

router = APIRouter(tags=["tokens"])


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Text
    password: Annotated[str, Field(max_length=1000)]
    purpose: Text = ""


class ActorOut(BaseModel):
    user_id: str | None
    username: str
    role: str
    agency_id: str | None


class TokenOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown once, only its hash is kept")
    actor: ActorOut


@router.post("/tokens", status_code=201, response_model=TokenOut, responses=ERROR_RESPONSES, operation_id="issue_token")
def issue_token(request: Request, body: Credentials) -> TokenOut:
    """A new bearer token for a username and password (401 with one message for any failure)."""
    with unit_of_work(request) as uow:
        actor = authenticate(uow, username=body.username, password=body.password, at=now())
        token = issue_api_token(uow, actor=actor, at=now(), purpose=body.purpose or "api")
    return TokenOut(token=token, actor=ActorOut(**actor.__dict__))


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
