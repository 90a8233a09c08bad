"""Complaints with their clocks (C1-C3): the agency's list, receiving one, and one complaint's page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.complaints import commands as cc
from wso.complaints import service as s
from wso.http.confirm import by_act
from wso.http.page_routes import Page, form, page
from wso.http.templating import add_templates
from wso.officers import service as officers
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def load_list(uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime) -> dict[str, Any]:
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    roster = officers.roster_rows(uow, actor=actor, agency_id=agency.id, at=at)  # committed with the list
    under = agreements.list_agreements(uow, actor=actor, agency_id=agency.id, at=at)
    return {
        "agency": agency,
        "complaints": s.list_complaints(uow, actor=actor, agency_id=agency.id, at=at),
        "source_options": [(source, source) for source in s.SOURCES],
        "officer_options": [("", "— not a designated officer —"), *((o.id, o.name) for o in roster)],
        "agreement_options": [
            ("", "— the officer's agreement —"),
            *((g.id, f"{g.model} ({g.template})") for g in under),
        ],
        "zone": agency.timezone,
        "now": at,
    }


def load_complaint(uow: UnitOfWork, actor: Actor, complaint_id: str, at: datetime) -> dict[str, Any]:
    complaint = s.complaint_view(uow, actor=actor, complaint_id=complaint_id, at=at)
    agency = agencies.agency_view(uow, actor=actor, agency_id=complaint.agency_id)
    officer = (
        officers.officer_view(uow, actor=actor, officer_id=complaint.officer_id, at=at)
        if complaint.officer_id
        else None
    )
    return {"complaint": complaint, "agency": agency, "officer": officer, "zone": agency.timezone, "now": at}


COMPLAINTS = Page("complaints/complaints.html", "agency_id", load_list)
COMPLAINT = Page("complaints/complaint.html", "complaint_id", load_complaint)
C = "/complaints/{complaint_id}"


def _back(view: Any) -> str:
    return f"/complaints/{view.id}"


page(router, "/agencies/{agency_id}/complaints", COMPLAINTS)
form(router, "/agencies/{agency_id}/complaints", cc.ReceiveComplaint, on=COMPLAINTS, then=_back)
page(router, C, COMPLAINT)
form(router, C + "/ice-notification", cc.NotifyIceOfComplaint, on=COMPLAINT, then=_back)
form(router, C + "/investigation-result", cc.RecordInvestigationResult, on=COMPLAINT, then=_back)
form(router, C + "/resolution", cc.ResolveComplaint, on=COMPLAINT, then=_back, confirm=by_act())
