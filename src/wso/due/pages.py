"""What is due: every deadline of the agency's agreements, officers and complaints, soonest first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.due import service as due
from wso.http.page_routes import Page, page
from wso.http.templating import add_templates
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def load_due(uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime) -> dict[str, Any]:
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    items = due.what_is_due(uow, actor=actor, agency_id=agency.id, at=at)
    return {"agency": agency, "items": items, "zone": agency.timezone, "now": at}


page(router, "/agencies/{agency_id}/due", Page("due/due.html", "agency_id", load_due))
