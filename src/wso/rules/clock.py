"""Legal durations: elapsed hours, and hours that skip excluded days of a local calendar.

Why a module of its own: three different clocks govern a hold (H8) and one a complaint (C1),
and each counts differently. "48 hours" after service is elapsed time (H5): a DST change does
not move it. "48 hours, excluding weekends" (C1) and "excluding Saturdays, Sundays and
holidays" (8 C.F.R. 287.7(d)) skip whole days of the facility's own calendar, in its IANA zone.
Every function takes and returns timezone-aware datetimes (returned in UTC) and refuses naive
ones: a naive datetime is a bug here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from dateutil.relativedelta import relativedelta

DayFilter = Callable[[date], bool]
SATURDAY, SUNDAY = 5, 6


class NaiveDatetime(ValueError):
    """A datetime without a UTC offset reached a legal clock."""


def require_aware(value: datetime, *, name: str = "instant") -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(f"{name} {value.isoformat()} has no UTC offset; legal clocks need aware datetimes")
    return value


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, with an error that names it when it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


def add_elapsed_hours(start: datetime, hours: float) -> datetime:
    """`start` plus `hours` of real elapsed time (H5: "no more than 48 hours")."""
    require_aware(start, name="start")
    return start.astimezone(UTC) + timedelta(hours=hours)


def is_weekend(day: date) -> bool:
    return day.weekday() in (SATURDAY, SUNDAY)


@lru_cache(maxsize=1)
def _us_federal_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("US")


def is_us_federal_holiday(day: date) -> bool:
    return day in _us_federal_holidays()


def is_weekend_or_us_holiday(day: date) -> bool:
    return is_weekend(day) or is_us_federal_holiday(day)


def weekends_and_holidays(calendar: Mapping[str, Any]) -> DayFilter:
    """A day filter for "excluding Saturdays, Sundays, and holidays" from a cited calendar parameter
    (`calendar.us_federal_holidays`: the `holidays` package's calendar for a country and categories)."""
    if calendar.get("package") != "holidays" or not isinstance(calendar.get("country"), str):
        expected = "{package: holidays, country: <code>, categories: public}"
        raise ValueError(f"calendar {dict(calendar)!r}: expected {expected}")
    categories = tuple(str(calendar.get("categories") or "public").split(","))
    table = _holiday_table(calendar["country"], categories)
    return lambda day: is_weekend(day) or day in table


@lru_cache(maxsize=8)
def _holiday_table(country: str, categories: tuple[str, ...]) -> holidays.HolidayBase:
    return holidays.country_holidays(country, categories=categories)


def add_hours_excluding(start: datetime, hours: float, *, tz: str, excluded: DayFilter) -> datetime:
    """`start` plus `hours` of elapsed time counted only on local days that `excluded` lets through.

    Time runs day by day in the zone `tz`: an excluded local day contributes nothing, any other
    day contributes its elapsed time (23 or 25 hours on a DST day). A start inside an excluded day
    begins counting at the next counted day's local midnight.
    """
    require_aware(start, name="start")
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours}")
    local_zone = zone(tz)
    remaining = timedelta(hours=hours)
    current = start.astimezone(UTC)
    while True:
        local_day = current.astimezone(local_zone).date()
        day_end = _local_midnight(local_day + timedelta(days=1), local_zone)
        if not excluded(local_day):
            available = day_end - current
            if remaining <= available:
                return current + remaining
            remaining -= available
        current = day_end


def counted_hours_between(start: datetime, end: datetime, *, tz: str, excluded: DayFilter) -> float:
    """Hours from `start` to `end` that fall on counted days of the local calendar (inverse of the above)."""
    require_aware(start, name="start")
    require_aware(end, name="end")
    local_zone = zone(tz)
    total = timedelta(0)
    current = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    while current < stop:
        local_day = current.astimezone(local_zone).date()
        day_end = min(_local_midnight(local_day + timedelta(days=1), local_zone), stop)
        if not excluded(local_day):
            total += day_end - current
        current = day_end
    return total.total_seconds() / 3600


def add_hours_excluding_weekends(start: datetime, hours: float, *, tz: str) -> datetime:
    """C1: "within 48 hours, excluding weekends" (Saturday and Sunday in the facility's zone)."""
    return add_hours_excluding(start, hours, tz=tz, excluded=is_weekend)


def add_hours_excluding_weekends_and_holidays(start: datetime, hours: float, *, tz: str) -> datetime:
    """8 C.F.R. 287.7(d): "not to exceed 48 hours, excluding Saturdays, Sundays, and holidays"."""
    return add_hours_excluding(start, hours, tz=tz, excluded=is_weekend_or_us_holiday)


def add_calendar_days(start: datetime, days: int, *, tz: str) -> datetime:
    """The same local wall time `days` calendar days later in `tz` (A3's "90 days after receipt")."""
    return _add_local(start, relativedelta(days=days), tz=tz)


def add_calendar_months(start: datetime, months: int, *, tz: str) -> datetime:
    """The same local wall time `months` later (clamped to the month's last day), for A6's meetings."""
    return _add_local(start, relativedelta(months=months), tz=tz)


def local_date(instant: datetime, *, tz: str) -> date:
    require_aware(instant)
    return instant.astimezone(zone(tz)).date()


def _add_local(start: datetime, delta: relativedelta, *, tz: str) -> datetime:
    require_aware(start, name="start")
    local_zone = zone(tz)
    local = start.astimezone(local_zone)
    wall = local.replace(tzinfo=None) + delta
    return _resolve_wall_time(wall, local_zone).astimezone(UTC)


def _resolve_wall_time(wall: datetime, local_zone: ZoneInfo) -> datetime:
    """A local wall time as an instant: the earlier one when ambiguous, shifted forward past a gap."""
    candidate = wall.replace(tzinfo=local_zone, fold=0)
    round_trip = candidate.astimezone(UTC).astimezone(local_zone).replace(tzinfo=None)
    if round_trip != wall:  # the wall time does not exist (spring forward): take the instant after the gap
        candidate = wall.replace(tzinfo=local_zone, fold=1)
    return candidate


def local_midnight(day: date, *, tz: str) -> datetime:
    """The instant a local calendar day begins in zone `tz` (a comply-by day, a law's effective day)."""
    return _local_midnight(day, zone(tz))


def _local_midnight(day: date, local_zone: ZoneInfo) -> datetime:
    return _resolve_wall_time(datetime.combine(day, time(0)), local_zone).astimezone(UTC)
