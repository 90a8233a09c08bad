"""What is due: every deadline of the agency's agreements, officers and complaints, soonest first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.due import service as due
from wso.http import lists
from wso.http.page_routes import Page
from wso.http.templating import add_templates
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def load_due(
    uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """What is due as of `?at=` (a datetime-local in the agency's zone, or an instant with offset; now when blank)."""
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    raw = (query or {}).get("at", "").strip()
    when = lists.as_of(raw, zone=agency.timezone, now=at)
    items = due.what_is_due(uow, actor=actor, agency_id=agency.id, at=when)
    return {"agency": agency, "items": items, "zone": agency.timezone, "now": when, "as_of": raw != ""}


lists.list_page(router, "/agencies/{agency_id}/due", Page("due/due.html", "agency_id", load_due))
