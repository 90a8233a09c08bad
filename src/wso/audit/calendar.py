"""Clocks that skip local days (C1: weekends; 8 C.F.R. 287.7(d): weekends and holidays), as tables
any SQL engine can join.

Why tables: SQL cannot ask "is this local day a US federal holiday", and a per-row Python loop
over 10M holds is slow. The counted clock is a monotone function C(t) = counted seconds since an
origin; it is piecewise linear with a break at each local midnight. Tabulating it per UTC hour
turns `start + 48 counted hours` into two equi-joins:
  1. `by_hour` (timezone, hour index of t) gives C(t) = cum + counted * (t - hour start);
  2. `by_counted_hour` (timezone, counted-hour index k) gives the instant where C reaches
     target = C(start) + hours * 3600: hour start + (target - k * 3600).
Which days count is decided day by day by the very predicates `rules/clock.py` uses
(`is_weekend`, `is_weekend_or_us_holiday`), so the audit and the pure rules share one calendar;
`tests/unit/test_audit_calendar.py` shows both give the same deadlines.
Local midnights must fall on whole UTC hours (true of every US zone); other zones are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pyarrow as pa

from wso.rules.clock import DayFilter, zone

HOUR = 3600


def _midnight_epoch(day: date, tz: str) -> int:
    local = datetime.combine(day, time(0)).replace(tzinfo=zone(tz))
    return int(local.astimezone(UTC).timestamp())


def calendar_tables(
    *, timezones: Iterable[str], first: date, last: date, excluded: DayFilter
) -> tuple[pa.Table, pa.Table]:
    """`by_hour` and `by_counted_hour` for each zone over the local days `first`..`last` inclusive."""
    by_hour: dict[str, list[np.ndarray]] = {
        "timezone": [],
        "hour_index": [],
        "cum_s": [],
        "counted": [],
        "hour_start": [],
    }
    by_counted: dict[str, list[np.ndarray]] = {"timezone": [], "counted_index": [], "hour_start": []}
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    for tz in sorted(set(timezones)):
        midnights = np.array([_midnight_epoch(d, tz) for d in days + [last + timedelta(days=1)]], dtype=np.int64)
        if np.any(midnights % HOUR):
            raise ValueError(
                f"time zone {tz!r}: local midnight is not on a whole UTC hour; the audit calendar needs it"
            )
        hours_per_day = (np.diff(midnights) // HOUR).astype(np.int64)
        starts = np.concatenate(
            [
                np.arange(m, m + n * HOUR, HOUR, dtype=np.int64)
                for m, n in zip(midnights[:-1], hours_per_day, strict=True)
            ]
        )
        counted_day = np.array([0 if excluded(d) else 1 for d in days], dtype=np.int64)
        counted = np.repeat(counted_day, hours_per_day)
        cum = np.concatenate([[0], np.cumsum(counted * HOUR)[:-1]]).astype(np.int64)
        by_hour["timezone"].append(np.full(len(starts), tz, dtype=object))
        by_hour["hour_index"].append(starts // HOUR)
        by_hour["cum_s"].append(cum)
        by_hour["counted"].append(counted)
        by_hour["hour_start"].append(starts)
        mask = counted == 1
        by_counted["timezone"].append(np.full(int(mask.sum()), tz, dtype=object))
        by_counted["counted_index"].append(cum[mask] // HOUR)
        by_counted["hour_start"].append(starts[mask])
    return _table(by_hour), _table(by_counted)


def _table(columns: dict[str, list[np.ndarray]]) -> pa.Table:
    arrays = {}
    for name, parts in columns.items():
        joined = np.concatenate(parts) if parts else np.array([], dtype=object if name == "timezone" else np.int64)
        arrays[name] = pa.array(joined, type=pa.string() if name == "timezone" else pa.int64())
    return pa.table(arrays)


def day_span(first: datetime, last: datetime, *, margin_days: int = 40) -> tuple[date, date]:
    """Local days to tabulate for clocks starting between `first` and `last` (a margin covers the
    longest run of excluded days plus the counted hours themselves)."""
    return (first - timedelta(days=2)).date(), (last + timedelta(days=margin_days)).date()
