"""The officer roster (each officer's authorization and exactly why) and the officer's page:
the path to authorization step by step (O1-O4), and what ends it (O5, O6, O7, C4), with forms."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.http.confirm import by_act
from wso.http.page_routes import Page, form, page
from wso.http.templating import add_templates
from wso.officers import service as s
from wso.officers.operations import OFFICER_COMMANDS, OFFICER_PATH
from wso.rules.consequences import SERIOUS_ACTS
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def load_roster(uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime) -> dict[str, Any]:
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    return {
        "agency": agency,
        "roster": s.officer_roster(uow, actor=actor, agency_id=agency.id, at=at),
        "agreements": agreements.list_agreements(uow, actor=actor, agency_id=agency.id, at=at),
        "zone": agency.timezone,
        "now": at,
    }


def load_officer(uow: UnitOfWork, actor: Actor, officer_id: str, at: datetime) -> dict[str, Any]:
    officer = s.officer_view(uow, actor=actor, officer_id=officer_id, at=at)
    agency = agencies.agency_view(uow, actor=actor, agency_id=officer.agency_id)
    return {"officer": officer, "agency": agency, "zone": agency.timezone, "now": at}


ROSTER = Page("officers/roster.html", "agency_id", load_roster)
OFFICER = Page("officers/officer.html", "officer_id", load_officer)


def _back(view: Any) -> str:
    return f"/officers/{view.id}"


page(router, "/agencies/{agency_id}/officers", ROSTER)
page(router, OFFICER_PATH, OFFICER)
for suffix, command in OFFICER_COMMANDS:
    serious = command.operation() in SERIOUS_ACTS  # ends an authority or opens an obligation: confirmed first
    form(router, OFFICER_PATH + suffix, command, on=OFFICER, then=_back, confirm=by_act("entry") if serious else None)
