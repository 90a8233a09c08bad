"""An agreement's page: its status and why (A2-A4), notices and their effective dates (A3),
meetings due (A6), template (A7), state-law flag (A8); nominating an officer under it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.agreements import commands as ac
from wso.agreements import service as agreements
from wso.http.confirm import by_act
from wso.http.page_routes import Page, form, page
from wso.http.templating import add_templates
from wso.officers import commands as oc
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def load_agreement(uow: UnitOfWork, actor: Actor, agreement_id: str, at: datetime) -> dict[str, Any]:
    agreement = agreements.agreement_view(uow, actor=actor, agreement_id=agreement_id, at=at)
    agency = agencies.agency_view(uow, actor=actor, agency_id=agreement.agency_id)
    return {"agreement": agreement, "agency": agency, "zone": agency.timezone, "now": at}


AGREEMENT = Page("agreements/agreement.html", "agreement_id", load_agreement)
A = "/agreements/{agreement_id}"


def _back(view: Any) -> str:
    return f"/agreements/{view.id}"


page(router, A, AGREEMENT)
form(router, A + "/signatures", ac.RecordSignature, on=AGREEMENT, then=_back)
form(router, A + "/notices", ac.RecordNotice, on=AGREEMENT, then=_back, confirm=by_act("kind"))
form(router, A + "/notices/{notice_id}/lift", ac.LiftSuspension, on=AGREEMENT, then=_back)
form(router, A + "/meetings", ac.RecordMeeting, on=AGREEMENT, then=_back)
form(router, A + "/program-dates", ac.RecordProgramDates, on=AGREEMENT, then=_back)
form(router, A + "/officers", oc.NominateOfficer, on=AGREEMENT, then=lambda v: f"/officers/{v.id}")
