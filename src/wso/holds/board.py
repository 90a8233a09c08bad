"""The hold board's reads: one page of projection rows, sorted, filtered and paged in SQL.

Decide on write, read on the board (DESIGN.md): every column shown was stored by the holds area when
an event was recorded or the worker refreshed the hold, so drawing the board asks no rule and costs
the same few queries whatever the number of holds (tests/integration/test_hold_board.py counts them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, false, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from wso.holds.tables import Hold
from wso.services.errors import InvalidInput
from wso.services.permissions import Actor, Permission, require
from wso.store import tables
from wso.worker.tables import Alert

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
STATUSES = (
    "in_criminal_custody",
    "release_processing",
    "held_for_ice",
    "release_required",
    "igsa_detention",
    "transferred",
    "released",
)
FLAGS = {
    "citizenship_open": Hold.flag_citizenship_open,
    "ice_not_notified": Hold.flag_ice_not_notified,
    "past_deadline": Hold.flag_past_deadline,
}
_COLUMNS = (
    Hold.id,
    Hold.agency_id,
    Hold.version,
    Hold.person_name,
    Hold.booking_number,
    Hold.facility_id,
    Hold.scheduled_release_at,
    Hold.warrant_form,
    Hold.warrant_number,
    Hold.served_at,
    Hold.status,
    Hold.binding_deadline_at,
    Hold.binding_deadline_name,
    Hold.binding_rule,
    Hold.next_action,
    Hold.next_action_role,
    Hold.next_action_due_at,
    Hold.next_action_rule,
    Hold.flag_citizenship_open,
    Hold.flag_ice_not_notified,
    Hold.flag_past_deadline,
    Hold.rule_ids,
    Hold.sort_at,
    Hold.decided_at,
    Hold.active,
    tables.Facility.name.label("facility_name"),
    tables.Facility.timezone.label("zone"),
)


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: a facility, a status (or every active hold), a flag; page numbers from 1."""

    facility_id: str = ""
    status: str = ""
    flag: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE

    def checked(self) -> BoardFilters:
        if self.status and self.status not in STATUSES:
            raise InvalidInput("status", f"one of {', '.join(STATUSES)}, or empty for every active hold")
        if self.flag and self.flag not in FLAGS:
            raise InvalidInput("flag", f"one of {', '.join(FLAGS)}, or empty")
        if self.page < 1:
            raise InvalidInput("page", "pages are numbered from 1")
        if not 1 <= self.per_page <= MAX_PAGE_SIZE:
            raise InvalidInput("per_page", f"from 1 to {MAX_PAGE_SIZE} rows a page")
        if len(self.facility_id) > 36:
            raise InvalidInput("facility_id", "not a facility id")
        return self

    def query(self, **changes: Any) -> str:
        """The query string of these filters with `changes` (for links that keep the other filters)."""
        values = {
            "facility_id": self.facility_id,
            "status": self.status,
            "flag": self.flag,
            "page": self.page,
            "per_page": self.per_page,
            **changes,
        }
        defaults = {"page": 1, "per_page": PAGE_SIZE}
        return "&".join(f"{k}={v}" for k, v in values.items() if v not in ("", None) and defaults.get(k) != v)


@dataclass(frozen=True)
class BoardPage:
    rows: list[Any]
    has_next: bool
    filters: BoardFilters
    facilities: list[Any]
    alerts: list[Any]
    now: datetime


def _scoped(query: Select, actor: Actor) -> Select:
    return query if actor.all_agencies else query.where(Hold.agency_id == actor.agency_id)


def _urgency_group(where: list[Any], actor: Actor, *, past: bool) -> Select:
    """One half of the board in its order: the index on (agency, active, past deadline, sort_at) gives
    the rows already sorted, so a page reads about as many rows as it shows, whatever the total."""
    return _scoped(
        select(*_COLUMNS)
        .join(tables.Facility, tables.Facility.id == Hold.facility_id)
        .where(and_(*where), Hold.flag_past_deadline == (true() if past else false())),
        actor,
    ).order_by(Hold.sort_at.asc().nulls_last(), Hold.id)


@functools.lru_cache(maxsize=64)
def _first_page_statement(*, scoped: bool, status: bool, facility: bool, flag: str) -> Select:
    """Page 1 (the page a jail keeps open and refreshes) in one round trip: both parts, each limited in
    the index's order, glued by UNION ALL and put in order (part, sort_at, id) over at most 2 x want rows.

    Built once per shape of filters, with bound parameters: building this statement costs more Python
    time (about 2.6 ms) than PostgreSQL needs to run it."""
    where = [Hold.warrant_form.is_not(None)]
    where.append(Hold.status == bindparam("status") if status else Hold.active == true())
    if facility:
        where.append(Hold.facility_id == bindparam("facility_id"))
    if flag:
        where.append(FLAGS[flag] == true())
    if scoped:
        where.append(Hold.agency_id == bindparam("agency_id"))
    parts = [
        select(*_COLUMNS, literal(rank).label("part"))
        .join(tables.Facility, tables.Facility.id == Hold.facility_id)
        .where(and_(*where), Hold.flag_past_deadline == (true() if past else false()))
        .order_by(Hold.sort_at.asc().nulls_last(), Hold.id)
        .limit(bindparam("want"))
        .subquery()
        for rank, past in ((0, True), (1, False))
    ]
    glued = union_all(*(select(part) for part in parts)).subquery()
    return select(glued).order_by(glued.c.part, glued.c.sort_at.asc().nulls_last(), glued.c.id).limit(bindparam("want"))


def _first_page(session: Session, filters: BoardFilters, actor: Actor, want: int) -> list[Any]:
    statement = _first_page_statement(
        scoped=not actor.all_agencies,
        status=bool(filters.status),
        facility=bool(filters.facility_id),
        flag=filters.flag,
    )
    values: dict[str, Any] = {"want": want}
    if filters.status:
        values["status"] = filters.status
    if filters.facility_id:
        values["facility_id"] = filters.facility_id
    if not actor.all_agencies:
        values["agency_id"] = actor.agency_id
    return list(session.execute(statement, values).all())


def board_page(
    session: Session, *, actor: Actor, filters: BoardFilters, now: datetime, with_facilities: bool = True
) -> BoardPage:
    """The board as of `now`: every person with an ICE warrant or detainer, most urgent first.

    Past the binding deadline first, then by the earlier of the binding deadline and the next action's
    due time (ties by id); without a status filter only active holds (not transferred or released).
    No total is counted (that would read every matching row on each refresh); a page knows whether
    another follows by asking one row more. Page 1 is one query for the rows (see `_first_page`); a later
    page reads the overdue part, the rest if the page is not full, and counts the overdue part only if
    the page starts past it. Then the facilities for the filter (the full page only) and the latest
    alerts: at most five queries, whatever the number of holds.
    """
    require(actor, Permission.READ_RECORDS)
    filters = filters.checked()
    where = [Hold.warrant_form.is_not(None)]
    where.append(Hold.status == filters.status if filters.status else Hold.active == true())
    if filters.facility_id:
        where.append(Hold.facility_id == filters.facility_id)
    if filters.flag:
        where.append(FLAGS[filters.flag] == true())
    want, offset = filters.per_page + 1, (filters.page - 1) * filters.per_page
    if offset == 0:
        rows = _first_page(session, filters, actor, want)
    else:
        rows = list(session.execute(_urgency_group(where, actor, past=True).limit(want).offset(offset)).all())
    if offset and len(rows) < want:
        if rows or offset == 0:
            past_total = offset + len(rows)
        else:
            past_query = select(func.count()).select_from(Hold).where(and_(*where), Hold.flag_past_deadline == true())
            past_total = session.scalar(_scoped(past_query, actor)) or 0
        rest = _urgency_group(where, actor, past=False).limit(want - len(rows)).offset(max(0, offset - past_total))
        rows += session.execute(rest).all()
    facilities: list[Any] = []
    if with_facilities:  # the filter form; the refreshed rows do not redraw it
        facility_query = select(tables.Facility.id, tables.Facility.name).order_by(tables.Facility.name)
        if not actor.all_agencies:
            facility_query = facility_query.where(tables.Facility.agency_id == actor.agency_id)
        facilities = list(session.execute(facility_query).all())
    alert_query = select(Alert.key, Alert.kind, Alert.stream, Alert.due_at, Alert.fired_at, Alert.payload).where(
        Alert.fired_at.is_not(None)
    )
    if not actor.all_agencies:
        alert_query = alert_query.where(Alert.agency_id == actor.agency_id)
    alerts = session.execute(alert_query.order_by(Alert.fired_at.desc(), Alert.id.desc()).limit(10)).all()
    return BoardPage(
        rows=rows[: filters.per_page],
        has_next=len(rows) > filters.per_page,
        filters=filters,
        facilities=facilities,
        alerts=list(alerts),
        now=now,
    )
