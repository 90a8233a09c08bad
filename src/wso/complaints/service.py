"""Complaints (C1-C5): received from any source, notified to ICE within its clock, investigated,
resolved within the target; the clocks run in the facility's (else the agency's) time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from wso.complaints.views import ComplaintView
from wso.rules.complaints import complaint_deadlines, may_receive_complaint
from wso.rules.decision import Deadline
from wso.services.asking import ask
from wso.services.errors import InvalidInput, NotFound, Refused
from wso.services.inputs import aware, choice, jsonable, new_id, not_before, record_id, text
from wso.services.labels import label_text
from wso.services.lookup import load, log_read, log_reads
from wso.services.permissions import Actor, Permission, require
from wso.services.to_facts import complaint_fact, rows_by_id
from wso.store import tables
from wso.store.uow import UnitOfWork

# C5: complaints are accepted from any source.
SOURCES = ("ice", "lea", "officer", "inmate", "public", "other")


def deadline_state(view: ComplaintView, deadline: Deadline, *, at: datetime) -> str:
    """ "met" once what the deadline asks is done by `at` (ICE notified, C1/C2; resolved, C3), else "due"
    until the instant it falls and "overdue" after it: the words (and colours) a list shows for it."""
    done = {"ice_notification": view.ice_notified_at, "resolution": view.resolved_at}.get(deadline.name)
    if done is not None and done <= at:
        return "met"
    return "overdue" if deadline.due < at else "due"


def next_deadline(view: ComplaintView, *, at: datetime) -> Deadline | None:
    """The complaint's next deadline: the earliest binding one not met by `at`. A deadline already met is
    never "next" (ICE notified on day one leaves the resolution as the next); None when every one is met."""
    unmet = [d for d in view.deadlines.deadlines if d.binding and deadline_state(view, d, at=at) != "met"]
    return min(unmet, key=lambda d: d.due, default=None)


def _view(uow: UnitOfWork, row: tables.Complaint, *, at: datetime) -> ComplaintView:
    return _views(uow, [row], at=at)[0]


def _views(uow: UnitOfWork, rows: list[tables.Complaint], *, at: datetime) -> list[ComplaintView]:
    """Views of many complaints; their agreements, facilities and agencies in one query each."""
    agreements = rows_by_id(uow, tables.Agreement, (row.agreement_id for row in rows))
    facilities = rows_by_id(uow, tables.Facility, (row.facility_id for row in rows if row.facility_id))
    agencies = rows_by_id(uow, tables.Agency, (row.agency_id for row in rows if not row.facility_id))

    def zone(row: tables.Complaint) -> str:
        # The clocks run in the facility's time zone, else the agency's.
        return facilities[row.facility_id].timezone if row.facility_id else agencies[row.agency_id].timezone

    return [
        ComplaintView(
            id=row.id,
            agency_id=row.agency_id,
            agreement_id=row.agreement_id,
            facility_id=row.facility_id,
            officer_id=row.officer_id,
            subject_name=row.subject_name,
            about_designated_officer=row.about_designated_officer,
            source=row.source,
            summary=row.summary,
            received_at=row.received_at,
            ice_notified_at=row.ice_notified_at,
            ice_notified_to=row.ice_notified_to,
            investigation_result=row.investigation_result,
            results_reported_at=row.results_reported_at,
            resolution=row.resolution,
            resolved_at=row.resolved_at,
            deadlines=ask(
                complaint_deadlines,
                complaint_fact(row),
                template=agreements[row.agreement_id].template,
                tz=zone(row),
                at=at,
            ),
            version=row.version,
            record_label=label_text("complaint", at=at, tz=zone(row)),
        )
        for row in rows
    ]


def complaint_view(uow: UnitOfWork, *, actor: Actor, complaint_id: str, at: datetime) -> ComplaintView:
    """One complaint with its clocks as of `at`; the read is logged."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    row = load(uow, tables.Complaint, complaint_id, actor=actor)
    log_read(uow, actor=actor, at=at, entity="complaint", entity_id=row.id, agency_id=row.agency_id)
    view = _view(uow, row, at=at)
    return view


def list_complaints(
    uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime, open_only: bool = False
) -> list[ComplaintView]:
    """The agency's complaints, oldest first (the oldest clocks run out first)."""
    views = complaint_list_views(uow, actor=actor, agency_id=agency_id, at=at, open_only=open_only)
    return views


def complaint_list_views(
    uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime, open_only: bool = False
) -> list[ComplaintView]:
    """The list; its reads are noted on the unit of work and logged once, when the entry point commits."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    agency = load(uow, tables.Agency, agency_id, actor=actor)
    query = (
        select(tables.Complaint)
        .where(tables.Complaint.agency_id == agency.id)
        .order_by(tables.Complaint.received_at, tables.Complaint.id)
    )
    if open_only:
        query = query.where(tables.Complaint.resolved_at.is_(None))
    views = _views(uow, list(uow.session.scalars(query)), at=at)
    # One access-log row per complaint shown (each names a person), written in one INSERT.
    log_reads(uow, actor=actor, at=at, entity="complaint", entity_ids=[v.id for v in views], agency_id=agency.id)
    return views


def receive_complaint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    received_at: datetime,
    source: str,
    summary: str,
    officer_id: str | None = None,
    agreement_id: str | None = None,
    about_designated_officer: bool | None = None,
    subject_name: str = "",
    facility_id: str | None = None,
) -> ComplaintView:
    """Record a complaint or allegation (C5: from any source).

    About a designated officer (`officer_id`, C1) or about personnel not designated but acting in
    immigration functions (`subject_name` and `agreement_id`, C2). Its clocks start at `received_at`.
    """
    require(actor, Permission.RECEIVE_COMPLAINTS)
    aware("at", at)
    aware("received_at", received_at)
    if received_at > at:
        raise InvalidInput("received_at", "a complaint is recorded once received")
    choice("source", source, SOURCES)
    summary = text("summary", summary, max_length=4000)
    officer = load(uow, tables.Officer, officer_id, actor=actor) if officer_id else None
    if officer is not None:
        agreement = uow.session.get(tables.Agreement, officer.agreement_id)
        if agreement_id and record_id("agreement_id", agreement_id) != agreement.id:
            raise InvalidInput("agreement_id", "the officer serves under another agreement")
        subject_name = subject_name or officer.name
    elif agreement_id:
        agreement = load(uow, tables.Agreement, agreement_id, actor=actor)
    else:
        raise InvalidInput("officer_id", "name the officer, or the agreement and the person complained about")
    designated = officer is not None if about_designated_officer is None else bool(about_designated_officer)
    allowed = ask(
        may_receive_complaint,
        about_designated_officer=designated,
        officer_named=officer is not None,
        template=agreement.template,
    )
    if not allowed.allowed:
        raise Refused(allowed, field="officer_id")
    subject_name = text("subject_name", subject_name, required=not designated)
    facility = None
    if facility_id:
        facility = uow.session.get(tables.Facility, record_id("facility_id", facility_id))
        if facility is None or facility.agency_id != agreement.agency_id:
            raise NotFound("facility", facility_id)
    row = tables.Complaint(
        id=new_id(),
        agency_id=agreement.agency_id,
        agreement_id=agreement.id,
        facility_id=facility.id if facility else None,
        officer_id=officer.id if officer else None,
        subject_name=subject_name,
        about_designated_officer=designated,
        source=source,
        summary=summary,
        received_at=received_at,
        ice_notified_to="",
        investigation_result="",
        resolution="",
        created_at=at,
    )
    uow.session.add(row)
    uow.append(
        stream=f"complaint:{row.id}",
        actor=actor.label,
        at=at,
        type="complaint.received",
        payload=jsonable(
            {
                "agency_id": row.agency_id,
                "agreement_id": row.agreement_id,
                "facility_id": row.facility_id,
                "officer_id": row.officer_id,
                "subject_name": subject_name,
                "about_designated_officer": designated,
                "source": source,
                "summary": summary,
                "received_at": received_at,
            }
        ),
        aggregate=row,
    )
    return _view(uow, row, at=at)


def _change(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    complaint_id: str,
    type: str,
    expected_version: int | None,
    apply: Callable[[tables.Complaint], dict[str, Any]],
) -> ComplaintView:
    require(actor, Permission.HANDLE_COMPLAINTS)
    aware("at", at)
    row = load(uow, tables.Complaint, complaint_id, actor=actor, expected_version=expected_version)
    payload = apply(row)
    uow.append(
        stream=f"complaint:{row.id}", actor=actor.label, at=at, type=type, payload=jsonable(payload), aggregate=row
    )
    return _view(uow, row, at=at)


def _when(field: str, value: datetime, *, row: tables.Complaint, at: datetime) -> None:
    aware(field, value)
    not_before(field, value, earliest=row.received_at, what="the complaint was received")
    if value > at:
        raise InvalidInput(field, "cannot be later than the moment it is recorded")


def notify_ice_of_complaint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    complaint_id: str,
    notified_at: datetime,
    notified_to: str,
    expected_version: int | None = None,
) -> ComplaintView:
    """ICE notified (C1) or the complaint forwarded (C2); a late notice is recorded and shown late."""

    def apply(row: tables.Complaint) -> dict[str, Any]:
        _when("notified_at", notified_at, row=row, at=at)
        if row.ice_notified_at is not None:
            raise InvalidInput("notified_at", f"ICE was notified already, on {row.ice_notified_at.isoformat()}")
        row.ice_notified_at = notified_at
        row.ice_notified_to = text("notified_to", notified_to)
        return {"notified_at": notified_at, "notified_to": row.ice_notified_to}

    return _change(
        uow,
        actor=actor,
        at=at,
        complaint_id=complaint_id,
        type="complaint.ice_notified",
        expected_version=expected_version,
        apply=apply,
    )


def record_investigation_result(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    complaint_id: str,
    result: str,
    reported_at: datetime,
    expected_version: int | None = None,
) -> ComplaintView:
    """The internal investigation's result and when it was reported to ICE (C3)."""

    def apply(row: tables.Complaint) -> dict[str, Any]:
        _when("reported_at", reported_at, row=row, at=at)
        row.investigation_result = text("result", result, max_length=4000)
        row.results_reported_at = reported_at
        return {"result": row.investigation_result, "reported_at": reported_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        complaint_id=complaint_id,
        type="complaint.investigation_result_recorded",
        expected_version=expected_version,
        apply=apply,
    )


def resolve_complaint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    complaint_id: str,
    resolution: str,
    resolved_at: datetime,
    expected_version: int | None = None,
) -> ComplaintView:
    """The resolution (C3: expected within the target after receipt; a late one is shown late)."""

    def apply(row: tables.Complaint) -> dict[str, Any]:
        _when("resolved_at", resolved_at, row=row, at=at)
        if row.resolved_at is not None:
            raise InvalidInput("resolved_at", f"resolved already, on {row.resolved_at.isoformat()}")
        row.resolution = text("resolution", resolution, max_length=4000)
        row.resolved_at = resolved_at
        return {"resolution": row.resolution, "resolved_at": resolved_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        complaint_id=complaint_id,
        type="complaint.resolved",
        expected_version=expected_version,
        apply=apply,
    )
