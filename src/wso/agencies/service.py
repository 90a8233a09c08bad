"""Agencies and their facilities (each facility with its state and IANA time zone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from wso.agencies.views import AgencyView, FacilityView
from wso.services.errors import Forbidden, InvalidInput
from wso.services.inputs import aware, iana_zone, new_id, state_code, text
from wso.services.lookup import load
from wso.services.permissions import Actor, Permission, require
from wso.services.to_facts import children_of
from wso.store import tables
from wso.store.uow import UnitOfWork


def _view(uow: UnitOfWork, agency: tables.Agency) -> AgencyView:
    return _views(uow, [agency])[0]


def _views(uow: UnitOfWork, rows: list[tables.Agency]) -> list[AgencyView]:
    """Views of many agencies; their facilities in one query."""
    facilities = children_of(uow, tables.Facility, parent="agency_id", ids=[a.id for a in rows], order="name")
    return [
        AgencyView(
            id=agency.id,
            name=agency.name,
            state=agency.state,
            timezone=agency.timezone,
            version=agency.version,
            facilities=tuple(
                FacilityView(id=f.id, name=f.name, state=f.state, timezone=f.timezone) for f in facilities[agency.id]
            ),
        )
        for agency in rows
    ]


def create_agency(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    name: str,
    state: str,
    timezone: str,
    facility_name: str | None = None,
) -> AgencyView:
    """Create a law-enforcement agency, and its jail when `facility_name` is given.

    Agencies are created system-wide, so only an actor who sees every agency (an admin without an
    agency, or the operator) may: an admin of one agency could otherwise create agencies beside
    theirs, and learn from the uniqueness check which names other agencies use (issue 14, item 8).
    """
    require(actor, Permission.MANAGE_AGENCIES)
    if not actor.all_agencies:
        raise Forbidden("an admin of one agency may not create agencies; ask an admin without an agency")
    aware("at", at)
    name = text("name", name)
    state = state_code("state", state)
    timezone = iana_zone("timezone", timezone)
    if uow.session.scalar(select(tables.Agency.id).where(tables.Agency.name == name)) is not None:
        # Only a system-wide actor gets here, and they may list every agency anyway.
        raise InvalidInput("name", f"an agency named {name!r} exists already")
    agency = tables.Agency(id=new_id(), name=name, state=state, timezone=timezone, created_at=at)
    uow.session.add(agency)
    uow.append(
        stream=f"agency:{agency.id}",
        actor=actor.label,
        at=at,
        type="agency.created",
        payload={"name": name, "state": state, "timezone": timezone},
        aggregate=agency,
    )
    if facility_name:
        _add_facility(uow, actor=actor, at=at, agency=agency, name=facility_name, state=state, timezone=timezone)
    return _view(uow, agency)


def add_facility(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agency_id: str,
    name: str,
    state: str,
    timezone: str,
    expected_version: int | None = None,
) -> AgencyView:
    """Add a jail or correctional facility; its zone sets the local calendar of its clocks (C1)."""
    require(actor, Permission.MANAGE_FACILITIES)
    aware("at", at)
    agency = load(uow, tables.Agency, agency_id, actor=actor, expected_version=expected_version)
    _add_facility(uow, actor=actor, at=at, agency=agency, name=name, state=state, timezone=timezone)
    return _view(uow, agency)


def _add_facility(
    uow: UnitOfWork, *, actor: Actor, at: datetime, agency: tables.Agency, name: str, state: str, timezone: str
) -> None:
    facility = tables.Facility(
        id=new_id(),
        agency_id=agency.id,
        name=text("facility_name", name),
        state=state_code("state", state),
        timezone=iana_zone("timezone", timezone),
        created_at=at,
    )
    uow.session.add(facility)
    uow.append(
        stream=f"agency:{agency.id}",
        actor=actor.label,
        at=at,
        type="facility.added",
        payload={
            "facility_id": facility.id,
            "name": facility.name,
            "state": facility.state,
            "timezone": facility.timezone,
        },
        aggregate=agency,
    )


def agency_view(uow: UnitOfWork, *, actor: Actor, agency_id: str) -> AgencyView:
    """One agency with its facilities, if the actor may see it."""
    require(actor, Permission.READ_RECORDS)
    return _view(uow, load(uow, tables.Agency, agency_id, actor=actor))


def list_agencies(uow: UnitOfWork, *, actor: Actor) -> list[AgencyView]:
    """The agencies the actor may see: their own, or all for a cross-agency auditor or admin."""
    require(actor, Permission.READ_RECORDS)
    query = select(tables.Agency).order_by(tables.Agency.name)
    if not actor.all_agencies:
        query = query.where(tables.Agency.id == actor.agency_id)
    return _views(uow, list(uow.session.scalars(query)))


def agency_by_name(uow: UnitOfWork, *, actor: Actor, name: str) -> AgencyView | None:
    """For scripts and the demo: the agency of that exact name, if the actor may see it."""
    require(actor, Permission.READ_RECORDS)
    row = uow.session.scalar(select(tables.Agency).where(tables.Agency.name == name))
    if row is None or not (actor.all_agencies or actor.agency_id == row.id):
        return None
    return _view(uow, row)
