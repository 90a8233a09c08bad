"""Agencies: the list, one agency's page (facilities, agreements), and the agency-wide lists'
short addresses (/officers, /complaints, /due go to the signed-in user's own agency)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from wso.agencies import service as agencies
from wso.agencies.commands import AddFacility, CreateAgency
from wso.agreements import service as agreements
from wso.agreements.commands import CreateAgreement
from wso.http import lists
from wso.http.auth import PageActor, now, unit_of_work
from wso.http.forms import NO_FORM, FormState, parse_form, submit
from wso.http.page_routes import Page, form
from wso.http.render import render
from wso.http.templating import add_templates
from wso.services.errors import NotFound
from wso.services.permissions import Actor, Permission
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


AGREEMENT_LIST = lists.ListSpec(
    name="agreements",
    columns=(
        lists.Column("model", "Model", lambda g: (g.model, g.template)),
        lists.Column("template", "Template (A7)", lambda g: g.template),
        lists.Column("status", "Status", lambda g: g.status.status),
        lists.Column("lea_signed", "LEA signed", lambda g: g.lea_signed_at),
        lists.Column("ice_signed", "ICE signed", lambda g: g.ice_signed_at),
        lists.Column("state_law", "State law (A8)", lambda g: g.state_law_status),
    ),
    default_sort="lea_signed",
    search_label="Search model or template",
    searched=lambda g: (g.model, g.template),
    statuses=tuple(
        (word, word.replace("_", " ").capitalize(), (lambda w: lambda g: g.status.status == w)(word))
        for word in ("in_force", "not_signed", "not_yet_effective", "suspended", "terminated")
    ),
    csv_header=(
        "agreement_id", "model", "template", "status", "lea_signed_at", "ice_signed_at", "operational_at",
        "state_law_status", "rule_ids", "as_of",
    ),
    csv_row=lambda g, at: (
        g.id, g.model, g.template, g.status.status, lists.iso(g.lea_signed_at), lists.iso(g.ice_signed_at),
        lists.iso(g.operational_at), g.state_law_status, " ".join(g.status.rule_ids), lists.iso(at),
    ),
)  # fmt: skip


def load_agency(
    uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The agency with its agreements as of `?at=`, searched, filtered, sorted and paged, or their CSV
    (agreements name no person: nothing to log as read)."""
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    chosen = lists.read_query(query or {}, AGREEMENT_LIST)
    when = lists.as_of(chosen.at, zone=agency.timezone, now=at)
    rows = agreements.list_agreements(uow, actor=actor, agency_id=agency.id, at=when)
    view = lists.listing(rows, AGREEMENT_LIST, chosen, path=f"/agencies/{agency.id}")
    if chosen.csv:
        return {"download": lists.csv_response(view, filename=f"agreements-{agency.id}", at=when)}
    return {
        "agency": agency,
        "agreements": view.rows,
        "listing": view,
        "as_of": chosen.at != "",
        "zone": agency.timezone,
        "now": when,
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


lists.list_page(router, "/agencies/{agency_id}", AGENCY)
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
