"""The audit's Ibis rule set on hand-made holds: both sides of every threshold, run on DuckDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.unit.audit_support import RELEASE, audit_rows, complaint, found, hold
from wso.params import default_params
from wso.rules.clock import add_hours_excluding_weekends

UTC = UTC
M = timedelta(minutes=1)
H = timedelta(hours=1)


def test_a_lawful_hold_has_no_finding() -> None:
    assert found(audit_rows([hold()])) == []


def test_H3_gap_beyond_the_release_standard_counts_every_minute() -> None:
    within = hold(booking_number="B-in", served_at=RELEASE + 30 * M, ice_notified_at=RELEASE + 31 * M)  # standard 30
    beyond = hold(booking_number="B-out", served_at=RELEASE + 31 * M, ice_notified_at=RELEASE + 32 * M)
    never = hold(
        booking_number="B-never", served_at=None, released_at=RELEASE + 2 * H, transferred_at=None, ice_notified_at=None
    )
    no_standard = hold(booking_number="B-zero", release_standard_minutes=None, served_at=RELEASE + 1 * M)
    result = found(audit_rows([within, beyond, never, no_standard]))
    assert result == [("B-never", "H3", "must", 90), ("B-out", "H3", "must", 1), ("B-zero", "H3", "must", 1)]


def test_H3_gap_starts_when_cleared_for_release() -> None:
    late_clearance = hold(
        cleared_for_release_at=RELEASE + H, served_at=RELEASE + H + 30 * M, ice_notified_at=RELEASE + H + 31 * M
    )
    assert found(audit_rows([late_clearance])) == []


def test_H5_48_hours_exactly_is_lawful_one_minute_more_is_a_finding() -> None:
    exact = hold(booking_number="B-48", transferred_at=RELEASE + 48 * H)
    over = hold(booking_number="B-48m1", transferred_at=RELEASE + 48 * H + M)
    assert found(audit_rows([exact, over])) == [("B-48m1", "H5", "must", 1)]


def test_H5_elapsed_hours_across_dst_fall_back() -> None:
    # Served 2025-11-02 01:30 CDT (06:30 UTC), the night clocks go back: 48 h later is 07:30 UTC on 11-04.
    served = datetime(2025, 11, 2, 6, 30, tzinfo=UTC)
    row = hold(
        scheduled_release_at=served,
        cleared_for_release_at=served,
        served_at=served,
        ice_notified_at=served + M,
        transferred_at=served + 48 * H + M,
    )
    assert found(audit_rows([row])) == [("B-1", "H5", "must", 1)]


def test_H5_open_hold_is_measured_to_as_of() -> None:
    row = hold(transferred_at=None)
    result = audit_rows([row], as_of=RELEASE + 50 * H)
    assert found(result) == [("B-1", "H5", "must", 120)]


def test_H5_igsa_booking_by_the_deadline_continues_the_hold() -> None:
    booked = hold(
        booking_number="B-igsa",
        igsa_in_force_at_deadline=True,
        igsa_booked_at=RELEASE + 47 * H,
        transferred_at=RELEASE + 90 * H,
    )
    booked_late = hold(
        booking_number="B-late",
        igsa_in_force_at_deadline=True,
        igsa_booked_at=RELEASE + 48 * H + M,
        transferred_at=RELEASE + 90 * H,
    )
    assert found(audit_rows([booked, booked_late])) == [("B-late", "H5", "must", 42 * 60)]


def test_H5_what_if_max_hours_24() -> None:
    row = hold(transferred_at=RELEASE + 30 * H)
    params = default_params().with_overrides({"hold.max_hours": 24})
    assert found(audit_rows([row])) == []
    result = audit_rows([row], params=params)
    assert found(result) == [("B-1", "H5", "must", 6 * 60)]
    assert "[what-if override]" in result.findings["source"][0].as_py()


def test_H8_i247a_clock_binds_when_earlier() -> None:
    # Served 40 min after the scheduled release (standard 60): the I-247A clock ends 40 min before the WSO one.
    row = hold(
        detainer_i247a=True,
        release_standard_minutes=60,
        served_at=RELEASE + 40 * M,
        ice_notified_at=RELEASE + 41 * M,
        transferred_at=RELEASE + 48 * H + 10 * M,
    )
    assert found(audit_rows([row])) == [("B-1", "H8", "must", 10)]


def test_H8_cfr_287_7_clock_skips_labor_day_weekend() -> None:
    # Released Friday 2025-08-29 12:00 CDT; Sat, Sun and Labor Day skipped: 48 counted hours end Wed 12:00 CDT.
    release = datetime(2025, 8, 29, 17, 0, tzinfo=UTC)
    due = datetime(2025, 9, 3, 17, 0, tzinfo=UTC)
    base = {
        "cfr_287_7_applies": True,
        "scheduled_release_at": release,
        "cleared_for_release_at": release,
        "served_at": release + 10 * M,
        "ice_notified_at": release + 11 * M,
        "officer_authorized_from": release - 9 * H,
    }
    # The WSO clock (service + 48 h, Sunday) is earlier and binds: H5.
    assert found(audit_rows([hold(**base, transferred_at=release + 48 * H + 11 * M)])) == [("B-1", "H5", "must", 1)]
    # On a weekday run the C.F.R. clock is 48 h after release, 10 min before the WSO clock: H8.
    tue = datetime(2025, 9, 9, 17, 0, tzinfo=UTC)
    weekday = dict(
        base, scheduled_release_at=tue, cleared_for_release_at=tue, served_at=tue + 10 * M, ice_notified_at=tue + 11 * M
    )
    assert found(audit_rows([hold(**weekday, transferred_at=tue + 48 * H + 5 * M)])) == [("B-1", "H8", "must", 5)]
    assert due > release  # the Friday case's C.F.R. deadline, shown by the calendar test


def test_O4_O5_A4_service_without_authority() -> None:
    rows = [
        hold(booking_number="B-never", officer_authorized_from=None),
        hold(booking_number="B-early", officer_authorized_from=RELEASE + M),
        hold(booking_number="B-from", officer_authorized_from=RELEASE),  # authorized from that minute: lawful
        hold(booking_number="B-o5", officer_authorization_end=RELEASE, officer_authorization_end_cause="withdrawn"),
        hold(
            booking_number="B-a4",
            officer_authorization_end=RELEASE - H,
            officer_authorization_end_cause="agreement_terminated",
        ),
        hold(
            booking_number="B-after", officer_authorization_end=RELEASE + M, officer_authorization_end_cause="withdrawn"
        ),
    ]
    assert found(audit_rows(rows)) == [
        ("B-a4", "A4", "must", 360),
        ("B-early", "O4", "must", 360),
        ("B-never", "O4", "must", 360),
        ("B-o5", "O5", "must", 360),
    ]


def test_H4_fifteen_minutes_is_in_time_sixteen_is_late() -> None:
    window = default_params().at("hold.ice_notification_minutes", RELEASE).value
    rows = [
        hold(booking_number="B-15", ice_notified_at=RELEASE + window * M),
        hold(booking_number="B-16", ice_notified_at=RELEASE + (window + 1) * M),
    ]
    assert found(audit_rows(rows)) == [("B-16", "H4", "must", 1)]


def test_H6_interpreter_without_name() -> None:
    rows = [
        hold(booking_number="B-named", interpreter_used=True, interpreter_named=True),
        hold(booking_number="B-unnamed", interpreter_used=True, interpreter_named=False),
    ]
    assert found(audit_rows(rows)) == [("B-unnamed", "H6", "must", 0)]


def test_H7_modality_follows_the_template_and_the_exigency() -> None:
    claim = {"citizenship_claimed_at": RELEASE + H, "citizenship_reported_at": RELEASE + 2 * H + M}
    rows = [
        hold(booking_number="B-2019", template="MOA-2019", **claim),
        hold(booking_number="B-2019x", template="MOA-2019", exigency_recorded=True, **claim),
        hold(booking_number="B-2025", template="MOA-2025", **claim),
        hold(booking_number="B-60", citizenship_claimed_at=RELEASE + H, citizenship_reported_at=RELEASE + 2 * H),
    ]
    result = audit_rows(rows)
    assert found(result) == [("B-2019", "H7", "must", 1), ("B-2019x", "H7", "should", 1), ("B-2025", "H7", "should", 1)]
    assert result.counts()["findings"]["H7"] == 1 and result.counts()["departures"] == {"H7": 2}


def test_H9_law_taking_effect_mid_hold_ends_its_authority_that_day() -> None:
    # Maryland's law (params/states/laws.yaml, from 2026-02-18): a hold from 2026-02-17 22:00 to 02:00 local.
    start = datetime(2026, 2, 18, 3, 0, tzinfo=UTC)  # 22:00 EST on the 17th
    row = hold(
        state="MD",
        timezone="America/New_York",
        scheduled_release_at=start,
        cleared_for_release_at=start,
        served_at=start,
        ice_notified_at=start + M,
        transferred_at=start + 4 * H,
    )
    day_before = hold(
        booking_number="B-0",
        state="MD",
        timezone="America/New_York",
        scheduled_release_at=start - H,
        cleared_for_release_at=start - H,
        served_at=start - H,
        ice_notified_at=start - H + M,
        transferred_at=start + H + 59 * M,
    )
    assert found(audit_rows([row, day_before])) == [("B-1", "H9", "must", 120)]


def test_C1_friday_complaint_skips_the_weekend_and_C2_2019_has_no_deadline() -> None:
    # Received Friday 10:00 CST: 14 h on Friday, Sat/Sun skipped (DST starts Sunday), 24 h on Monday, 10 h on
    # Tuesday: due Tuesday 10:00 CDT = 15:00 UTC.
    friday = datetime(2025, 3, 7, 16, 0, tzinfo=UTC)
    due = datetime(2025, 3, 11, 15, 0, tzinfo=UTC)
    assert add_hours_excluding_weekends(friday, 48, tz="America/Chicago") == due
    rows = [
        complaint(complaint_id="C-in", received_at=friday, ice_notified_at=due),
        complaint(complaint_id="C-late", received_at=friday, ice_notified_at=due + M),
        complaint(
            complaint_id="C2-2019",
            about_designated_officer=False,
            template="MOA-2019",
            ice_notified_at=RELEASE + 30 * 24 * H,
        ),
        complaint(complaint_id="C2-2025", about_designated_officer=False, ice_notified_at=RELEASE + 48 * H + M),
    ]
    assert found(audit_rows([hold()], rows)) == [("C-late", "C1", "must", 1), ("C2-2025", "C2", "must", 1)]
