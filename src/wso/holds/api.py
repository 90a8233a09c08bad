"""/api/v1 routes for every hold operation (docs/holds.md): bearer tokens, one unit of work committed
once per request, domain errors through the one mapper (wso.http.errors) so they share one JSON shape.

(No `from __future__ import annotations` here: each generated endpoint's body type is a real class
FastAPI must see when the function is defined.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request

from wso.holds import commands as c
from wso.holds import feed
from wso.holds import service as s
from wso.holds.operations import HOLD_OPERATIONS, HoldOperation, first_sentence
from wso.holds.views import DetentionAgreementView, HoldDetail, HoldSummary, ImportReport, ReleaseStandardView
from wso.http.auth import ApiActor, install_store, now, unit_of_work
from wso.http.errors import install_error_handlers
from wso.http.schemas import ERROR_RESPONSES
from wso.http.strict import strict_body

PREFIX = "/api/v1"


def _committed(request: Request, service: Any, **arguments: Any) -> Any:
    """One use case in one unit of work, committed once on leaving it: the entry point owns the transaction."""
    with unit_of_work(request) as uow:
        return service(uow, **arguments)


router = APIRouter(prefix=PREFIX, tags=["holds"], responses=ERROR_RESPONSES)


def _hold_route(op: HoldOperation) -> None:
    model = op.command

    def endpoint(request: Request, actor: ApiActor, hold_id: str, body: model) -> HoldSummary:  # type: ignore
        return _committed(request, op.service, actor=actor, hold_id=hold_id, command=body, now=now())

    router.add_api_route(
        "/holds/{hold_id}" + op.suffix,
        endpoint,
        methods=["POST"],
        name=op.name,
        operation_id=op.name,
        summary=first_sentence(op.service.__doc__, op.name),
        description=op.service.__doc__,
        response_model=HoldSummary,
        dependencies=[Depends(strict_body(model))],  # no bool for a number, no number for a date (issue 14 item 9)
    )


for _op in HOLD_OPERATIONS:
    _hold_route(_op)


@router.post(
    "/holds",
    status_code=201,
    operation_id="book_person",
    response_model=HoldSummary,
    dependencies=[Depends(strict_body(c.BookPerson))],
)
def book_person(request: Request, actor: ApiActor, body: c.BookPerson) -> HoldSummary:
    """Book a person into a hold record: the jail's booking and scheduled release (H1)."""
    return _committed(request, s.book_person, actor=actor, command=body, now=now())


@router.get("/holds", operation_id="list_holds", response_model=list[HoldSummary])
def list_holds(
    request: Request,
    actor: ApiActor,
    agency_id: str | None = None,
    facility_id: str | None = None,
    status: str | None = None,
    flag: Annotated[str | None, Query(description="citizenship_claim_open, ice_not_notified or past_deadline")] = None,
    active: bool | None = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[HoldSummary]:
    """The hold board: most urgent first, filtered and paged from the stored decisions."""
    with unit_of_work(request) as uow:
        return s.list_holds(
            uow,
            actor=actor,
            agency_id=agency_id,
            facility_id=facility_id,
            status=status,
            flag=flag,
            active=active,
            limit=limit,
            offset=offset,
        )


@router.get("/holds/{hold_id}", operation_id="hold_detail", response_model=HoldDetail)
def hold_detail(request: Request, actor: ApiActor, hold_id: str) -> HoldDetail:
    """One hold: the stored decision with every reason, and the whole timeline (the read is logged)."""
    return _committed(request, s.hold_detail, actor=actor, hold_id=hold_id, now=now())


@router.post(
    "/detention-agreements",
    status_code=201,
    operation_id="record_detention_agreement",
    response_model=DetentionAgreementView,
    dependencies=[Depends(strict_body(c.RecordDetentionAgreement))],
)
def record_detention_agreement(request: Request, actor: ApiActor, body: c.RecordDetentionAgreement) -> Any:
    """Record an IGSA (or similar) or a BOA of a facility, with its number, parties and dates (H5, K2)."""
    return _committed(request, s.record_detention_agreement, actor=actor, command=body, now=now())


@router.get(
    "/facilities/{facility_id}/detention-agreements",
    operation_id="detention_agreements",
    response_model=list[DetentionAgreementView],
)
def detention_agreements(request: Request, actor: ApiActor, facility_id: str) -> Any:
    """The facility's recorded IGSA and BOA agreements."""
    with unit_of_work(request) as uow:
        return s.detention_agreements(uow, actor=actor, facility_id=facility_id)


@router.post(
    "/release-standards",
    status_code=201,
    operation_id="set_release_standard",
    response_model=ReleaseStandardView,
    dependencies=[Depends(strict_body(c.SetReleaseStandard))],
)
def set_release_standard(request: Request, actor: ApiActor, body: c.SetReleaseStandard) -> Any:
    """Record the agency's written release-processing standard (H3)."""
    return _committed(request, s.set_release_standard, actor=actor, command=body, now=now())


@router.post("/bookings", operation_id="import_bookings", response_model=ImportReport)
def import_bookings(
    request: Request,
    actor: ApiActor,
    body: Annotated[Any, Body(description='{"Bookings": [{"BookingAgencyRecordIdentification": ..., ...}]}')],
    agency_id: str | None = None,
) -> ImportReport:
    """The booking feed (JSON form): idempotent by booking number; each bad row reported, good rows kept."""
    s.require_role(actor, "book")  # who may send bookings is checked before what they sent
    rows = feed.parse_json(body)
    with unit_of_work(request) as uow:
        report = feed.import_bookings(uow, actor=actor, rows=rows, now=now(), agency_id=agency_id)
    return report


def install(app: FastAPI) -> None:
    install_store(app)
    install_error_handlers(app)
    app.include_router(router)
