"""The holds area's pages: the live hold board and one person's page with the actions allowed now.

The board reads only the holds projection (wso.holds.board: SQL sorts, filters and pages; no rule is
asked while drawing). Its rows refresh in place: a small static script (static/board.js) fetches
`/holds/rows` (the same template, server-rendered) every few seconds and ticks the countdowns against
the server's clock. The person page shows the stored decision with every reason, the whole timeline,
and one form per action the signed-in user may take now, each posting to the holds services in one
transaction (the entry point commits), with the CSRF token every page form carries.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import select

from wso.holds import commands as c
from wso.holds import service as s
from wso.holds.board import FLAGS, PAGE_SIZE, STATUSES, BoardFilters, board_page
from wso.http.auth import PageActor, install_sessions, install_store, now, unit_of_work
from wso.http.csrf import require_csrf
from wso.http.errors import install_error_handlers
from wso.http.forms import NO_FORM, FormState, parse_form, submit
from wso.http.render import install_template_helpers
from wso.http.templating import templates as shared_templates
from wso.services.errors import Forbidden, InvalidInput
from wso.services.permissions import Actor
from wso.store import tables

HERE = Path(__file__).parent
REFRESH_MS = 5000

# The area's own templates first, then the shared ones (base.html, records/layout.html), with the
# shared globals and filters (csrf_input, |local).
templates = Jinja2Templates(
    env=shared_templates.env.overlay(
        loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), shared_templates.env.loader])
    )
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


def remaining(at: datetime, now_: datetime) -> str:
    """The countdown's first text (the script keeps it ticking): "in 3 h 05 min 00 s" or "... past"."""
    seconds = int(abs((at - now_).total_seconds()))
    text = f"{seconds // 3600} h {seconds % 3600 // 60:02d} min {seconds % 60:02d} s"
    return f"{text} past" if at < now_ else f"in {text}"


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(value: datetime | None, zone: str) -> str:
    """As the records pages' `|local` ("26 Nov 2026 14:05 CST": one date format on every page), built without
    strftime: the board formats three instants on each of up to 100 rows every five seconds."""
    if value is None:
        return "—"
    here = value.astimezone(_zone(zone))
    return f"{here.day} {_MONTHS[here.month - 1]} {here.year} {here.hour:02d}:{here.minute:02d} {here.tzname()}"


@dataclass(frozen=True)
class BoardRow:
    """One board row ready to print: every text formatted once, in Python (cheaper than template filters)."""

    id: str
    person_name: str
    booking_number: str
    facility_name: str
    zone: str
    release: str
    warrant_form: str
    warrant_number: str
    status: str
    status_text: str
    deadline: str
    deadline_iso: str
    deadline_rule: str
    countdown: str
    next_action: str
    next_action_role: str
    next_action_due: str
    next_action_rule: str
    past_deadline: bool
    citizenship_open: bool
    ice_not_notified: bool


def board_rows(rows: list[Any], now_: datetime) -> list[BoardRow]:
    return [
        BoardRow(
            id=r.id,
            person_name=r.person_name,
            booking_number=r.booking_number,
            facility_name=r.facility_name,
            zone=r.zone,
            release=_local(r.scheduled_release_at, r.zone),
            warrant_form=r.warrant_form or "—",
            warrant_number=r.warrant_number or "",
            status=r.status,
            status_text=r.status.replace("_", " "),
            deadline=_local(r.binding_deadline_at, r.zone) if r.binding_deadline_at else "",
            deadline_iso=r.binding_deadline_at.isoformat() if r.binding_deadline_at else "",
            deadline_rule=r.binding_rule or "",
            countdown=remaining(r.binding_deadline_at, now_) if r.binding_deadline_at else "",
            next_action=(r.next_action or "").replace("_", " "),
            next_action_role=r.next_action_role or "",
            next_action_due=_local(r.next_action_due_at, r.zone) if r.next_action_due_at else "",
            next_action_rule=r.next_action_rule or "",
            past_deadline=r.flag_past_deadline,
            citizenship_open=r.flag_citizenship_open,
            ice_not_notified=r.flag_ice_not_notified,
        )
        for r in rows
    ]


def alert_label(alert: Any) -> str:
    payload = json.loads(alert.payload)
    return str(payload.get("label") or alert.stream)


def alert_link(alert: Any) -> str:
    """The page of the alert's subject: a hold's person page or a complaint's page."""
    kind, _, subject = str(alert.stream).partition(":")
    return {"hold": f"/holds/{subject}", "complaint": f"/complaints/{subject}"}.get(kind, "/holds")


templates.env.globals.update(remaining=remaining, alert_label=alert_label, alert_link=alert_link)
templates.env.filters["instant"] = lambda text: datetime.fromisoformat(text) if isinstance(text, str) else text


def _filters(
    facility_id: str = "", status: str = "", flag: str = "", page: int = 1, per_page: int = PAGE_SIZE
) -> BoardFilters:
    return BoardFilters(facility_id=facility_id, status=status, flag=flag, page=page, per_page=per_page)


def _board_context(request: Request, actor: Actor, filters: BoardFilters, *, full: bool = True) -> dict[str, Any]:
    with unit_of_work(request) as uow:
        board = board_page(uow.session, actor=actor, filters=filters, now=now(), with_facilities=full)
        s.note_shown(uow, actor=actor, holds=board.rows)  # every name on the board is a record shown
    zones = {row.zone for row in board.rows}
    return {
        "rows": board_rows(board.rows, board.now),
        "board": board,
        "statuses": STATUSES,
        "flags": tuple(FLAGS),
        "refresh_ms": REFRESH_MS,
        "zone_of_alerts": zones.pop() if len(zones) == 1 else "UTC",
        "actor": actor,
        "may_book": _may(actor, "book"),
    }


def _draw_board(request: Request, actor: Actor, filters: BoardFilters, form: FormState = NO_FORM) -> Response:
    context = _board_context(request, actor, filters)
    return templates.TemplateResponse(request, "holds/board.html", {**context, "form": form})


@router.get("/holds", response_class=HTMLResponse)
def hold_board(request: Request, actor: PageActor, filters: Annotated[BoardFilters, Depends(_filters)]) -> Response:
    """The board (jail staff keep it open): most urgent first, filters by facility, status and flag."""
    return _draw_board(request, actor, filters)


@router.post("/holds/book")
async def book_form(request: Request, actor: PageActor) -> Response:
    """A booking typed at the jail (the feed's one-row twin): the release is read in the facility's zone."""

    def run(data: dict[str, str]) -> str:
        with unit_of_work(request) as uow:
            facility = uow.session.get(tables.Facility, data.get("facility_id", ""))
            if facility is None or not (actor.all_agencies or facility.agency_id == actor.agency_id):
                raise InvalidInput("facility_id", "choose one of your agency's facilities")
            command = parse_form(c.BookPerson, data, zone=facility.timezone)
            view = s.book_person(uow, actor=actor, command=command, now=now())
            uow.forget_reads()
        return f"/holds/{view.id}"

    return await submit(
        request, form="book", run=run, redraw=lambda state: _draw_board(request, actor, BoardFilters(), state)
    )


@router.get("/holds/rows", response_class=HTMLResponse)
def hold_board_rows(
    request: Request, actor: PageActor, filters: Annotated[BoardFilters, Depends(_filters)]
) -> Response:
    """The board's rows alone, for the script that refreshes them in place."""
    context = _board_context(request, actor, filters, full=False)
    response = templates.TemplateResponse(request, "holds/_rows.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- the person page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input of an action form, drawn from the command's Pydantic field."""

    name: str
    kind: Literal["text", "datetime", "date", "checkbox", "select"]
    required: bool
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""


@dataclass(frozen=True)
class ActionForm:
    slug: str  # the URL part and the form's name
    operation: str  # the holds service's role check
    label: str
    command: type[BaseModel]
    service: Callable[..., Any]
    statuses: tuple[str, ...]  # the hold statuses in which the action makes sense


LIVE = ("in_criminal_custody", "release_processing", "held_for_ice", "release_required")
ACTIONS: tuple[ActionForm, ...] = (
    ActionForm(
        "serve",
        "serve",
        "Serve the warrant",
        c.ServeWarrant,
        s.serve_warrant,
        ("in_criminal_custody", "release_processing"),
    ),
    ActionForm(
        "notify-ice", "notify_ice", "ICE notified", c.NotifyIce, s.notify_ice, ("held_for_ice", "release_required")
    ),
    ActionForm(
        "clear",
        "clear",
        "Cleared for release",
        c.ClearForRelease,
        s.clear_for_release,
        ("in_criminal_custody", "release_processing"),
    ),
    ActionForm(
        "warrant",
        "receive_warrant",
        "Warrant or detainer received",
        c.ReceiveWarrant,
        s.receive_warrant,
        ("in_criminal_custody", "release_processing"),
    ),
    ActionForm(
        "release-change",
        "change_release",
        "Scheduled release changed",
        c.ChangeRelease,
        s.change_release,
        ("in_criminal_custody",),
    ),
    ActionForm("citizenship-claim", "claim", "U.S. citizenship claimed", c.ClaimCitizenship, s.claim_citizenship, LIVE),
    ActionForm(
        "citizenship-report",
        "report_claim",
        "Claim reported to ICE",
        c.ReportCitizenshipClaim,
        s.report_citizenship_claim,
        LIVE,
    ),
    ActionForm("ice-answer", "answer", "ICE's answer to the claim", c.RecordIceAnswer, s.record_ice_answer, LIVE),
    ActionForm(
        "transfer",
        "transfer",
        "Transferred to ICE",
        c.TransferToIce,
        s.transfer_to_ice,
        ("held_for_ice", "release_required"),
    ),
    ActionForm(
        "igsa",
        "igsa_book",
        "Booked as an ICE detainee under the IGSA",
        c.BookUnderIgsa,
        s.book_under_igsa,
        ("held_for_ice",),
    ),
    ActionForm("release", "release", "Released", c.Release, s.release_person, LIVE),
)
_BY_SLUG = {a.slug: a for a in ACTIONS}


def _options(annotation: Any) -> tuple[tuple[str, str], ...]:
    """The choices of a Literal field (or an optional one), else none."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Literal:
        return tuple((str(a), str(a).replace("_", " ")) for a in args)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in args:
            found = _options(arg)
            if found:
                return found
    return ()


def _is(annotation: Any, kind: type) -> bool:
    """Whether a field's type (or a member of its union) is `kind` exactly (a datetime is no date here)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is(a, kind) for a in typing.get_args(annotation))
    if kind is datetime and annotation is AwareDatetime:
        return True
    return annotation is kind or (
        kind is datetime and isinstance(annotation, type) and issubclass(annotation, datetime)
    )


def form_fields(command: type[BaseModel], *, officers: list[tuple[str, str]]) -> list[Field]:
    """The inputs of a command's form; `expected_version` is a hidden field the template adds."""
    fields: list[Field] = []
    for name, info in command.model_fields.items():
        if name in ("expected_version", "accompanied_by"):
            continue
        annotation = info.annotation
        default = "" if info.default in (None, ...) or info.is_required() else str(info.default)
        if name == "officer_id":
            fields.append(Field(name, "select", True, tuple(officers)))
        elif annotation is bool:
            fields.append(Field(name, "checkbox", False, default="on" if info.default else ""))
        elif _options(annotation):
            fields.append(Field(name, "select", info.is_required(), _options(annotation), default))
        elif _is(annotation, datetime):
            fields.append(Field(name, "datetime", info.is_required()))
        elif _is(annotation, date):
            fields.append(Field(name, "date", info.is_required()))
        else:
            fields.append(Field(name, "text", info.is_required(), default=default))
    return fields


def _may(actor: Actor, operation: str) -> bool:
    try:
        s.require_role(actor, operation)
    except Forbidden:
        return False
    return True


def _person_context(request: Request, actor: Actor, hold_id: str, *, shown: bool = True) -> dict[str, Any]:
    """The person page's context; `shown=False` when a failed form is drawn again (no new read is logged)."""
    with unit_of_work(request) as uow:
        at = now()
        detail = s.hold_detail(uow, actor=actor, hold_id=hold_id, now=at)
        officers = [
            (o.id, o.name)
            for o in uow.session.execute(
                select(tables.Officer.id, tables.Officer.name)
                .where(tables.Officer.agency_id == detail.agency_id)
                .order_by(tables.Officer.name)
            )
        ]
        if not shown:
            uow.forget_reads()
    actions = [
        (a, form_fields(a.command, officers=officers))
        for a in ACTIONS
        if detail.status in a.statuses and _may(actor, a.operation)
    ]
    return {"hold": detail, "zone": detail.facility_timezone, "actions": actions, "now": at, "actor": actor}


def _draw_person(request: Request, actor: Actor, hold_id: str, form: FormState = NO_FORM) -> Response:
    context = _person_context(request, actor, hold_id, shown=form is NO_FORM)
    return templates.TemplateResponse(request, "holds/person.html", {**context, "form": form})


@router.get("/holds/{hold_id}", response_class=HTMLResponse)
def person_page(request: Request, actor: PageActor, hold_id: str) -> Response:
    """One person's hold: the timeline, the decision with its reasons, the actions allowed now."""
    return _draw_person(request, actor, hold_id)


@router.post("/holds/{hold_id}/{action}")
async def person_action(request: Request, actor: PageActor, hold_id: str, action: str) -> Response:
    """One action form: parsed into the service's command, run and committed once, then back (303)."""
    found = _BY_SLUG.get(action)
    if found is None:
        return Response("no such action", status_code=404)

    def run(data: dict[str, str]) -> str:
        with unit_of_work(request) as uow:
            row = s.load_hold(uow, actor=actor, hold_id=hold_id)
            zone = uow.session.get(tables.Facility, row.facility_id).timezone  # datetime-local is read there
            command = parse_form(found.command, data, zone=zone)
            found.service(uow, actor=actor, hold_id=hold_id, command=command, now=now())
            uow.forget_reads()  # the answer is a redirect: the page it leads to logs what it shows
        return f"/holds/{hold_id}"

    return await submit(
        request, form=found.slug, run=run, redraw=lambda state: _draw_person(request, actor, hold_id, state)
    )


def install(app: FastAPI) -> None:
    """Mounts the board, the person pages and the area's static files (board.js, holds.css)."""
    install_store(app)
    install_error_handlers(app)
    install_template_helpers()
    install_sessions(app)
    app.include_router(router)
    app.mount("/holds/static", StaticFiles(directory=HERE / "static"), name="holds-static")
