"""The audit's tabulated clocks (two equi-joins, any engine) agree with rules/clock.py on the same instants:
the C.F.R. 287.7 clock (H8) and the C1 clock, across DST changes, holidays, weekends and year ends."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import ibis
import pyarrow as pa
import pytest

from wso.audit.calendar import calendar_tables
from wso.audit.rules import counted_deadline
from wso.rules.clock import (
    add_hours_excluding_weekends,
    add_hours_excluding_weekends_and_holidays,
    is_weekend,
    is_weekend_or_us_holiday,
)

ZONES = ("America/Chicago", "America/New_York", "America/Los_Angeles", "America/Phoenix")
NAMED = [  # instants a reader can check by hand
    datetime(2025, 3, 9, 7, 30, tzinfo=UTC),  # spring forward, Chicago 01:30 CST
    datetime(2025, 11, 2, 6, 30, tzinfo=UTC),  # fall back, Chicago 01:30 CDT
    datetime(2025, 8, 29, 22, 0, tzinfo=UTC),  # Friday before Labor Day
    datetime(2025, 12, 31, 23, 59, tzinfo=UTC),  # year end
    datetime(2024, 2, 29, 12, 0, tzinfo=UTC),  # leap day
    datetime(2025, 3, 8, 12, 0, tzinfo=UTC),  # a Saturday: counting starts Monday's midnight
]


def _instants(n: int) -> list[datetime]:
    rng = random.Random(13)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return NAMED + [start + timedelta(seconds=rng.randrange(0, 2 * 365 * 86400)) for _ in range(n)]


@pytest.mark.parametrize(
    ("rule", "excluded", "pure"),
    [
        ("H8", is_weekend_or_us_holiday, add_hours_excluding_weekends_and_holidays),
        ("C1", is_weekend, add_hours_excluding_weekends),
    ],
)
def test_H8_and_C1_tabulated_clock_equals_the_rules_clock(rule: str, excluded, pure) -> None:
    starts = _instants(400)
    rows = [(s, tz, h) for s in starts for tz in ZONES for h in (48, 24, 1)]
    by_hour, by_counted = calendar_tables(
        timezones=ZONES, first=date(2023, 12, 25), last=date(2026, 3, 1), excluded=excluded
    )
    con = ibis.duckdb.connect()
    t = ibis.memtable(
        pa.table(
            {
                "i": list(range(len(rows))),
                "timezone": [tz for _, tz, _ in rows],
                "start_s": [int(s.timestamp()) for s, _, _ in rows],
                "hours": [float(h) for _, _, h in rows],
            }
        )
    )
    out = counted_deadline(
        t,
        start=t.start_s,
        hours=t.hours,
        by_hour=ibis.memtable(by_hour),
        by_counted=ibis.memtable(by_counted),
        name="due",
    )
    got = {r["i"]: r["due"] for r in con.to_pyarrow(out.select("i", "due")).to_pylist()}
    wrong = []
    for i, (start, tz, hours) in enumerate(rows):
        expected = int(pure(start, hours, tz=tz).timestamp())
        if got[i] != expected:
            wrong.append((start.isoformat(), tz, hours, got[i], expected))
    assert not wrong, f"{rule}: {len(wrong)} deadlines differ, e.g. {wrong[:3]}"


def test_a_zone_with_half_hour_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="Asia/Kolkata"):
        calendar_tables(timezones=["Asia/Kolkata"], first=date(2025, 1, 1), last=date(2025, 1, 3), excluded=is_weekend)
