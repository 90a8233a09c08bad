"""The officer roster (each officer's authorization and exactly why) and the officer's page:
the path to authorization step by step (O1-O4), and what ends it (O5, O6, O7, C4), with forms."""

from __future__ import annotations

from dataclasses import dataclass
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
from wso.services.views import OfficerView
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


page(router, "/agencies/{agency_id}/officers", ROSTER)
page(router, OFFICER_PATH, OFFICER)
for suffix, command in OFFICER_COMMANDS:
    serious = command.operation() in SERIOUS_ACTS  # ends an authority or opens an obligation: confirmed first
    form(router, OFFICER_PATH + suffix, command, on=OFFICER, then=_back, confirm=by_act("entry") if serious else None)
