"""Agencies: the list, one agency's page (facilities, agreements), and the agency-wide lists'
short addresses (/officers, /complaints, /due go to the signed-in user's own agency)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from wso.agencies import service as agencies
from wso.agencies.commands import AddFacility, CreateAgency
from wso.agreements import service as agreements
from wso.agreements.commands import CreateAgreement
from wso.http.auth import PageActor, now, unit_of_work
from wso.http.forms import NO_FORM, FormState, parse_form, submit
from wso.http.page_routes import Page, form, page
from wso.http.render import render
from wso.http.templating import add_templates
from wso.services.errors import NotFound
from wso.services.permissions import Actor, Permission
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def load_agency(uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime) -> dict[str, Any]:
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    return {
        "agency": agency,
        "agreements": agreements.list_agreements(uow, actor=actor, agency_id=agency.id, at=at),
        "zone": agency.timezone,
        "now": at,
    }


AGENCY = Page("agencies/agency.html", "agency_id", load_agency)


def _agency_list(request: Request, actor: Actor, state: FormState = NO_FORM) -> Response:
    with unit_of_work(request) as uow:
        rows = agencies.list_agencies(uow, actor=actor)
    may_create = actor.can(Permission.MANAGE_AGENCIES) and actor.all_agencies
    context = {"agencies": rows, "may_create": may_create}
    return render(request, "agencies/agencies.html", context, actor=actor, form=state)


@router.get("/agencies")
def agency_list(request: Request, actor: PageActor) -> Response:
    return _agency_list(request, actor)


@router.post("/agencies")
async def create_agency(request: Request, actor: PageActor) -> Response:
    """An admin of every agency creates an agency (and its jail), through the same command as the API."""

    def run(data: dict[str, str]) -> str:
        command = parse_form(CreateAgency, data, zone="UTC")
        with unit_of_work(request) as uow:
            made = agencies.create_agency(uow, actor=actor, at=now(), **command.model_dump())
        return f"/agencies/{made.id}"

    return await submit(
        request, form=CreateAgency.operation(), run=run, redraw=lambda state: _agency_list(request, actor, state)
    )


page(router, "/agencies/{agency_id}", AGENCY)
form(
    router,
    "/agencies/{agency_id}/agreements",
    CreateAgreement,
    on=AGENCY,
    then=lambda v: f"/agreements/{v.id}",
)
form(router, "/agencies/{agency_id}/facilities", AddFacility, on=AGENCY, then=lambda v: f"/agencies/{v.id}")


def home_agency(request: Request, actor: Actor) -> str:
    """The actor's own agency; an auditor or admin of every agency starts at the first one."""
    if actor.agency_id:
        return actor.agency_id
    with unit_of_work(request) as uow:
        visible = agencies.list_agencies(uow, actor=actor)
    if not visible:
        raise NotFound("agency", "(none recorded yet)")
    return visible[0].id


def _shortcut(list_name: str) -> None:
    def endpoint(request: Request, actor: PageActor) -> Response:
        return RedirectResponse(f"/agencies/{home_agency(request, actor)}/{list_name}", status_code=303)

    router.add_api_route(f"/{list_name}", endpoint, methods=["GET"], name=f"shortcut:{list_name}")


for _name in ("officers", "complaints", "due"):
    _shortcut(_name)
