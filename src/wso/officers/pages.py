"""The officer roster (each officer's authorization and exactly why) and the officer's page:
the path to authorization step by step (O1-O4), and what ends it (O5, O6, O7, C4), with forms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.http import lists
from wso.http.confirm import by_act
from wso.http.page_routes import Page, form, page
from wso.http.templating import add_templates
from wso.officers import service as s
from wso.officers.operations import OFFICER_COMMANDS, OFFICER_PATH
from wso.officers.views import OfficerRowView, OfficerView
from wso.rules.consequences import SERIOUS_ACTS
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def _withdrawn(o: OfficerRowView) -> bool:
    """Authority withdrawn (O5) or suspended (C4) at the instant shown: an unmet reason of either rule."""
    return any(r.rule in ("O5", "C4") for r in o.authorization.unmet)


def _unmet(o: OfficerRowView) -> str:
    return "; ".join(f"{r.rule}: {r.text}" for r in o.authorization.unmet)


ROSTER_LIST = lists.ListSpec(
    name="roster",
    columns=(
        lists.Column("name", "Officer", lambda o: o.name.casefold()),
        lists.Column("badge", "Badge", lambda o: o.badge.casefold() or None),
        lists.Column("authorization", "Authorization", lambda o: (o.authorization.status, o.name.casefold())),
        lists.Column("unmet", "Why", lambda o: (o.authorization.violations, o.name.casefold())),
    ),
    default_sort="name",
    search_label="Search by officer name or badge",
    searched=lambda o: (o.name, o.badge),
    statuses=(
        ("authorized", "Authorized", lambda o: o.authorization.allowed),
        ("not_authorized", "Not authorized", lambda o: not o.authorization.allowed),
        ("withdrawn", "Withdrawn or suspended (O5, C4)", _withdrawn),
    ),
    csv_header=(
        "officer_id",
        "name",
        "badge",
        "authorization",
        "rule_ids",
        "unmet",
        "deadline",
        "deadline_at",
        "as_of",
    ),
    csv_row=lambda o, at: (
        o.id,
        o.name,
        o.badge,
        o.authorization.status,
        " ".join(o.authorization.rule_ids),
        _unmet(o),
        o.authorization.deadline.name if o.authorization.deadline else "",
        lists.iso(o.authorization.deadline.due if o.authorization.deadline else None),
        lists.iso(at),
    ),
)


def load_roster(
    uow: UnitOfWork, actor: Actor, agency_id: str, at: datetime, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The roster as of `?at=` (now when blank), searched, filtered, sorted and cut to a page, or its CSV;
    only the officers shown (the page, or every matching row of the CSV) are logged as read."""
    agency = agencies.agency_view(uow, actor=actor, agency_id=agency_id)
    chosen = lists.read_query(query or {}, ROSTER_LIST)
    when = lists.as_of(chosen.at, zone=agency.timezone, now=at)
    roster = s.officer_roster(uow, actor=actor, agency_id=agency.id, at=when)
    view = lists.listing(roster, ROSTER_LIST, chosen, path=f"/agencies/{agency.id}/officers")
    lists.note_shown(uow, view, actor=actor, at=when, entity="officer", agency_id=agency.id, ids=lambda o: o.id)
    if chosen.csv:
        return {"download": lists.csv_response(view, filename=f"officers-{agency.id}", at=when)}
    return {
        "agency": agency,
        "roster": view.rows,
        "listing": view,
        "agreements": agreements.agreement_links(uow, actor=actor, agency_id=agency.id, at=when),
        "zone": agency.timezone,
        "now": when,
        "as_of": chosen.at != "",
    }


@dataclass(frozen=True)
class Step:
    """One step of the officer's path to authorization (O1-O4), and the operation that records it."""

    label: str
    rules: str
    operation: str
    done: bool


def path_steps(officer: OfficerView) -> list[Step]:
    """The six steps in the MOA's order (section IV.B-D); the first not done is the current one."""
    held = bool(officer.credentials) and officer.credentials[-1].returned_at is None
    return [
        Step("Nominated", "O1, O2", "nominate_officer", True),
        Step("Background check", "O2", "record_background_check", officer.background_check == "cleared"),
        Step("Exam", "O3", "record_exam_attempt", officer.exam.status == "certified"),
        Step("FOD letter", "O4", "record_authorization_letter", officer.letter_signed_at is not None),
        Step("Form 70-006", "O4", "record_form_70_006", officer.form_70_006_at is not None),
        Step("Credentials", "O4, O6", "issue_credentials", held),
    ]


def load_officer(uow: UnitOfWork, actor: Actor, officer_id: str, at: datetime) -> dict[str, Any]:
    officer = s.officer_view(uow, actor=actor, officer_id=officer_id, at=at)
    agency = agencies.agency_view(uow, actor=actor, agency_id=officer.agency_id)
    steps = path_steps(officer)
    current = next((i for i, step in enumerate(steps) if not step.done), None)
    return {
        "officer": officer,
        "agency": agency,
        "zone": agency.timezone,
        "now": at,
        "steps": steps,
        "current": current,
        "operations": [command.operation() for _, command in OFFICER_COMMANDS],
    }


ROSTER = Page("officers/roster.html", "agency_id", load_roster)
OFFICER = Page("officers/officer.html", "officer_id", load_officer)


def _back(view: Any) -> str:
    return f"/officers/{view.id}"


lists.list_page(router, "/agencies/{agency_id}/officers", ROSTER)
page(router, OFFICER_PATH, OFFICER)
for suffix, command in OFFICER_COMMANDS:
    serious = command.operation() in SERIOUS_ACTS  # ends an authority or opens an obligation: confirmed first
    form(router, OFFICER_PATH + suffix, command, on=OFFICER, then=_back, confirm=by_act("entry") if serious else None)
