"""The legal clock across DST changes, year ends and leap days (Hypothesis), and named cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.dates import NEW_YORK, local
from wso.rules.clock import (
    NaiveDatetime,
    add_calendar_days,
    add_elapsed_hours,
    add_hours_excluding_weekends,
    add_hours_excluding_weekends_and_holidays,
    counted_hours_between,
    is_us_federal_holiday,
    is_weekend,
    is_weekend_or_us_holiday,
)

ZONES = st.sampled_from(
    [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        "America/Puerto_Rico",
    ]
)
# Instants around the hard days: DST changes, New Year, 29 February 2028.
INSTANTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC))
HOURS = st.integers(min_value=0, max_value=24 * 10).map(float) | st.floats(min_value=0, max_value=240, allow_nan=False)


@given(start=INSTANTS, hours=HOURS)
def test_elapsed_deadline_minus_start_is_exactly_the_hours(start: datetime, hours: float) -> None:
    assert add_elapsed_hours(start, hours) - start == timedelta(hours=hours)


@settings(max_examples=300)
@given(start=INSTANTS, hours=st.integers(min_value=0, max_value=120), tz=ZONES)
def test_excluding_weekends_counts_exactly_the_hours_and_never_ends_in_an_excluded_day(
    start: datetime, hours: int, tz: str
) -> None:
    end = add_hours_excluding_weekends(start, hours, tz=tz)
    assert counted_hours_between(start, end, tz=tz, excluded=is_weekend) == pytest.approx(hours, abs=1e-6)
    assert end >= start + timedelta(hours=hours)
    if hours:
        last_counted = end - timedelta(microseconds=1)
        from zoneinfo import ZoneInfo

        assert not is_weekend(last_counted.astimezone(ZoneInfo(tz)).date())


@settings(max_examples=200, deadline=None)  # first call builds the holiday table; the machine is shared
@given(start=INSTANTS, hours=st.integers(min_value=1, max_value=96), tz=ZONES)
def test_excluding_holidays_counts_exactly_the_hours_on_counted_days(start: datetime, hours: int, tz: str) -> None:
    end = add_hours_excluding_weekends_and_holidays(start, hours, tz=tz)
    assert counted_hours_between(start, end, tz=tz, excluded=is_weekend_or_us_holiday) == pytest.approx(hours, abs=1e-6)


@given(start=INSTANTS, tz=ZONES, days=st.integers(min_value=1, max_value=400))
def test_calendar_days_keep_the_local_wall_time_where_it_exists(start: datetime, tz: str, days: int) -> None:
    from zoneinfo import ZoneInfo

    later = add_calendar_days(start, days, tz=tz)
    before, after = start.astimezone(ZoneInfo(tz)), later.astimezone(ZoneInfo(tz))
    assert after.date() - before.date() == timedelta(days=days)
    assert (after.hour, after.minute) == (
        before.hour,
        before.minute,
    ) or after.hour == before.hour + 1  # pushed past a spring-forward gap


def test_48_hours_after_0130_on_the_fall_back_night_is_47_wall_clock_hours_later() -> None:
    served = local(NEW_YORK, 2026, 11, 1, 1, 30, fold=0)  # EDT, the first 01:30
    assert add_elapsed_hours(served, 48) == local(NEW_YORK, 2026, 11, 3, 0, 30)
    second = local(NEW_YORK, 2026, 11, 1, 1, 30, fold=1)  # EST, the repeated 01:30
    assert add_elapsed_hours(second, 48) == local(NEW_YORK, 2026, 11, 3, 1, 30)


def test_48_hours_across_new_year() -> None:
    served = local(NEW_YORK, 2026, 12, 31, 22, 15)
    assert add_elapsed_hours(served, 48) == local(NEW_YORK, 2027, 1, 2, 22, 15)
    # C.F.R. clock: New Year's Day is a holiday, 2 and 3 January 2027 a weekend
    assert add_hours_excluding_weekends_and_holidays(served, 48, tz=NEW_YORK) == local(NEW_YORK, 2027, 1, 5, 22, 15)


def test_leap_day_counts_as_a_working_day() -> None:
    tuesday_29_february_2028 = local(NEW_YORK, 2028, 2, 29, 9)
    assert add_hours_excluding_weekends(tuesday_29_february_2028, 24, tz=NEW_YORK) == local(NEW_YORK, 2028, 3, 1, 9)


def test_friday_at_2359_excluding_weekends_starts_again_on_monday() -> None:
    friday_2359 = local(NEW_YORK, 2026, 3, 13, 23, 59)
    assert add_hours_excluding_weekends(friday_2359, 1, tz=NEW_YORK) == local(NEW_YORK, 2026, 3, 16, 0, 59)


def test_a_start_inside_a_weekend_counts_from_monday_midnight() -> None:
    saturday_noon = local(NEW_YORK, 2026, 3, 14, 12)
    assert add_hours_excluding_weekends(saturday_noon, 48, tz=NEW_YORK) == local(NEW_YORK, 2026, 3, 18, 0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDatetime):
        add_elapsed_hours(datetime(2026, 1, 1, 12), 48)
    with pytest.raises(NaiveDatetime):
        add_hours_excluding_weekends(datetime(2026, 1, 1, 12), 48, tz=NEW_YORK)


def test_unknown_time_zone_is_named() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        add_hours_excluding_weekends(local(NEW_YORK, 2026, 1, 1), 1, tz="Mars/Olympus")


def test_holiday_data_covers_next_year() -> None:
    """Fails when the `holidays` package has nothing for next year: upgrade it (pip install -U holidays)."""
    next_year = date.today().year + 1
    assert is_us_federal_holiday(date(next_year, 1, 1)) or is_us_federal_holiday(date(next_year, 1, 2))
    assert sum(is_us_federal_holiday(date(next_year, 1, 1) + timedelta(days=d)) for d in range(366)) >= 10
