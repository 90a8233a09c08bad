"""Complaints with their clocks (C1-C3): the agency's list, receiving one, and one complaint's page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.complaints import commands as cc
from wso.complaints import service as s
from wso.complaints.views import ComplaintView
from wso.http import lists
from wso.http.confirm import by_act
from wso.http.page_routes import Page, form, page
from wso.http.templating import add_templates
from wso.officers import service as officers
from wso.rules.decision import Deadline
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint as the list shows it: its next unmet deadline and that deadline's state, as of the list."""

    complaint: ComplaintView
    next: Deadline | None
    state: str  # "due" | "overdue" ("" when every deadline is met)


def _row(view: ComplaintView, at: datetime) -> ComplaintRow:
    upcoming = s.next_deadline(view, at=at)
    return ComplaintRow(view, upcoming, s.deadline_state(view, upcoming, at=at) if upcoming else "")


COMPLAINT_LIST = lists.ListSpec(
    name="complaints",
    columns=(
        lists.Column("received", "Received", lambda r: r.complaint.received_at),
        lists.Column("about", "About", lambda r: r.complaint.subject_name.casefold() or None),
        lists.Column("source", "Source", lambda r: r.complaint.source),
        lists.Column("deadline", "Next deadline", lambda r: r.next.due if r.next else None),
        lists.Column("status", "Status", lambda r: (r.complaint.deadlines.status, r.complaint.received_at)),
    ),
    default_sort="received",
    search_label="Search summary, source or name",
    searched=lambda r: (r.complaint.summary, r.complaint.source, r.complaint.subject_name),
    statuses=(
        ("open", "Open", lambda r: r.complaint.deadlines.status.startswith("open")),
        ("closed", "Closed (resolved)", lambda r: r.complaint.deadlines.status.startswith("resolved")),
        ("overdue", "Overdue (a clock missed)", lambda r: r.complaint.deadlines.status.endswith("_overdue")),
    ),
    csv_header=(
        "complaint_id", "received_at", "subject_name", "about_designated_officer", "source", "summary", "status",
        "next_deadline", "next_deadline_rule", "next_deadline_at", "next_deadline_state", "ice_notified_at",
        "resolved_at", "as_of",
    ),
    csv_row=lambda r, at: (
        r.complaint.id, lists.iso(r.complaint.received_at), r.complaint.subject_name,
        "yes" if r.complaint.about_designated_officer else "no", r.complaint.source, r.complaint.summary,
        r.complaint.deadlines.status, r.next.name if r.next else "", r.next.rule if r.next else "",
        lists.iso(r.next.due if r.next else None), r.state, lists.iso(r.complaint.ice_notified_at),
        lists.iso(r.complaint.resolved_at), lists.iso(at),
    ),
)  # fmt: skip


def load_list(
    uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The complaints as of `?at=`, searched, filtered, sorted and paged, or their CSV; the complaints shown
    are logged as read (each names a person), then the officers the form's select names."""
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    chosen = lists.read_query(query or {}, COMPLAINT_LIST)
    when = lists.as_of(chosen.at, zone=agency.timezone, now=at)
    listed = s.list_complaints(uow, actor=actor, agency_id=agency.id, at=when)
    # As of an earlier instant, a complaint received after it was not there yet.
    rows = [_row(v, when) for v in listed if v.received_at <= when]
    view = lists.listing(rows, COMPLAINT_LIST, chosen, path=f"/agencies/{agency.id}/complaints")
    ids = lambda r: r.complaint.id  # noqa: E731
    lists.note_shown(uow, view, actor=actor, at=when, entity="complaint", agency_id=agency.id, ids=ids)
    if chosen.csv:
        return {"download": lists.csv_response(view, filename=f"complaints-{agency.id}", at=when)}
    roster = officers.roster_rows(uow, actor=actor, agency_id=agency.id, at=when)  # committed with the list
    under = agreements.list_agreements(uow, actor=actor, agency_id=agency.id, at=when)
    return {
        "agency": agency,
        "complaints": view.rows,
        "listing": view,
        "as_of": chosen.at != "",
        "source_options": [(source, source) for source in s.SOURCES],
        "officer_options": [("", "— not a designated officer —"), *((o.id, o.name) for o in roster)],
        "agreement_options": [
            ("", "— the officer's agreement —"),
            *((g.id, f"{g.model} ({g.template})") for g in under),
        ],
        "zone": agency.timezone,
        "now": when,
        "clock_now": at,  # the form's default "received at" is the real now, even on a list drawn as of the past
    }


def load_complaint(uow: UnitOfWork, actor: Actor, complaint_id: str, at: datetime) -> dict[str, Any]:
    complaint = s.complaint_view(uow, actor=actor, complaint_id=complaint_id, at=at)
    agency = agencies.agency_view(uow, actor=actor, agency_id=complaint.agency_id)
    officer = (
        officers.officer_view(uow, actor=actor, officer_id=complaint.officer_id, at=at)
        if complaint.officer_id
        else None
    )
    states = {d.name: s.deadline_state(complaint, d, at=at) for d in complaint.deadlines.deadlines}
    return {
        "complaint": complaint,
        "agency": agency,
        "officer": officer,
        "deadline_states": states,
        "zone": agency.timezone,
        "now": at,
    }


COMPLAINTS = Page("complaints/complaints.html", "agency_id", load_list)
COMPLAINT = Page("complaints/complaint.html", "complaint_id", load_complaint)
C = "/complaints/{complaint_id}"


def _back(view: Any) -> str:
    return f"/complaints/{view.id}"


lists.list_page(router, "/agencies/{agency_id}/complaints", COMPLAINTS)
form(router, "/agencies/{agency_id}/complaints", cc.ReceiveComplaint, on=COMPLAINTS, then=_back)
page(router, C, COMPLAINT)
form(router, C + "/ice-notification", cc.NotifyIceOfComplaint, on=COMPLAINT, then=_back)
form(router, C + "/investigation-result", cc.RecordInvestigationResult, on=COMPLAINT, then=_back)
form(router, C + "/resolution", cc.ResolveComplaint, on=COMPLAINT, then=_back, confirm=by_act())
