"""The booking feed from a jail management system: a documented CSV or JSON form (docs/holds.md).

Idempotent by booking number: the same booking again writes nothing; a changed scheduled release
becomes a `release_changed` event. Each bad row is reported with its line and reason and the good rows
are kept, all in the caller's one unit of work (nothing half-written within a row: each row is checked
before anything of it is written).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import AliasChoices, ValidationError
from sqlalchemy import select

from wso.holds import commands as c
from wso.holds import service as s
from wso.holds import tables as t
from wso.holds.views import ImportReport, RowProblem
from wso.services.errors import DomainError, InvalidInput, NotFound
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.uow import UnitOfWork

Row = tuple[int, dict[str, Any]]  # (line or position, the raw fields)


def parse_csv(text: str) -> list[Row]:
    """CSV rows with their line numbers (the header is line 1); empty lines are skipped."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise InvalidInput("file", "the CSV has no header line")
    rows: list[Row] = []
    for record in reader:
        extra = record.pop(None, None)  # type: ignore[call-overload]
        values = {k.strip(): (v or "").strip() for k, v in record.items() if k is not None}
        if not any(values.values()) and not extra:
            continue
        cleaned: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
        if extra:
            cleaned["__extra__"] = extra
        rows.append((reader.line_num, cleaned))
    return rows


def parse_json(data: Any) -> list[Row]:
    """`{"Bookings": [...]}` or a bare list of bookings; positions count from 1."""
    items = data.get("Bookings") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InvalidInput("Bookings", 'expected {"Bookings": [ ... ]} or a list of bookings')
    return [(i, item if isinstance(item, dict) else {"__not_an_object__": item}) for i, item in enumerate(items, 1)]


def parse_file(name: str, content: bytes) -> list[Row]:
    """By the file's extension: .csv or .json."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", "not UTF-8 text") from None
    if name.lower().endswith(".json"):
        try:
            return parse_json(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InvalidInput("file", f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if name.lower().endswith(".csv"):
        return parse_csv(text)
    raise InvalidInput("file", "expected a .csv or .json file")


def import_bookings(
    uow: UnitOfWork,
    *,
    actor: Actor,
    rows: Sequence[Row],
    now: datetime,
    agency_id: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Book each new booking, record a changed scheduled release, and report each bad row."""
    s.require_role(actor, "book")
    agency = actor.agency_id or agency_id
    if agency is None:
        raise InvalidInput("agency_id", "name the agency whose bookings these are")
    if uow.session.get(tables.Agency, agency) is None or (actor.agency_id and actor.agency_id != agency):
        raise NotFound("agency", agency)
    facilities = list(uow.session.scalars(select(tables.Facility).where(tables.Facility.agency_id == agency)))
    report = ImportReport()
    for line, raw in rows:
        try:
            _import_one(uow, actor=actor, raw=raw, agency_id=agency, facilities=facilities, now=now, report=report)
        except _RowError as exc:
            report.problems.append(RowProblem(line=line, field=exc.field, reason=exc.reason))
        except DomainError as exc:
            report.problems.append(RowProblem(line=line, field=exc.field, reason=exc.reason))
        if progress is not None:
            progress(1)
    return report


class _RowError(Exception):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _import_one(
    uow: UnitOfWork,
    *,
    actor: Actor,
    raw: dict[str, Any],
    agency_id: str,
    facilities: list[tables.Facility],
    now: datetime,
    report: ImportReport,
) -> None:
    if "__not_an_object__" in raw:
        raise _RowError(None, "a booking must be an object with named fields")
    if "__extra__" in raw:
        raise _RowError(None, "more values than header columns")
    try:
        booking = c.Booking.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _RowError(_user_field(first["loc"], raw), first["msg"]) from None
    facility = _facility(booking.facility, facilities)
    existing = uow.session.scalars(
        select(t.Hold).where(t.Hold.agency_id == agency_id, t.Hold.booking_number == booking.booking_number)
    ).first()
    if existing is None:
        s.book_person(
            uow,
            actor=actor,
            now=now,
            command=c.BookPerson(
                facility_id=facility.id,
                booking_number=booking.booking_number,
                person_name=booking.person_name,
                date_of_birth=booking.date_of_birth,
                booking_date=booking.booking_date,
                scheduled_release_at=booking.scheduled_release_at,
                note="booking feed",
            ),
        )
        report.booked += 1
        return
    if existing.scheduled_release_at == booking.scheduled_release_at:
        report.unchanged += 1
        return
    s.change_release(
        uow,
        actor=actor,
        hold_id=existing.id,
        now=now,
        command=c.ChangeRelease(
            reason="other",
            scheduled_release_at=booking.scheduled_release_at,
            note="booking feed",
        ),
    )
    report.changed += 1


def _user_field(loc: tuple, raw: dict[str, Any]) -> str | None:
    """The field as the file names it: the alias it used, else the naming style of the row's other keys."""
    if not loc:
        return None
    name = str(loc[0])
    for field in c.Booking.model_fields.values():
        alias = field.validation_alias
        aliases = [str(a) for a in alias.choices] if isinstance(alias, AliasChoices) else []
        if name in aliases:
            used = next((a for a in aliases if a in raw), None)
            if used is not None:
                return used
            niem = any(k[:1].isupper() for k in raw)
            return next((a for a in aliases if a[:1].isupper() == niem), aliases[0])
    return name


def _facility(name: str | None, facilities: list[tables.Facility]) -> tables.Facility:
    if name is None:
        if len(facilities) == 1:
            return facilities[0]
        raise _RowError("facility", "the agency has several facilities: name the booking facility")
    found = [f for f in facilities if name in (f.id, f.name)]
    if not found:
        raise _RowError("facility", f"no facility {name!r} in this agency")
    return found[0]
