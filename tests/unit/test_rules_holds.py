"""Holds: H1-H9. Every boundary on both sides: 48 h exactly and one minute more, minute 59/61."""

from __future__ import annotations

from datetime import timedelta

from wso.rules.facts import Service, Warrant
from wso.rules.holds import hold_status, interpreter_annotation, service_valid, warrant_suffices

from tests.unit.dates import CHICAGO, LOS_ANGELES, NEW_YORK, local, utc
from tests.unit.factories import agreement, authorized_officer, facility, hold

RELEASE = local(NEW_YORK, 2026, 3, 12, 9)  # a Thursday, no DST change within 48 h
I200 = Warrant(form="I-200")


def serve(**changes: object) -> Service:
    base = {"served_at": RELEASE, "scheduled_release_at": RELEASE}
    return Service(**{**base, **changes})


def test_H1_only_in_the_leas_own_jail_after_criminal_custody() -> None:
    outside = service_valid(serve(in_own_facility=False), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility())
    pending = service_valid(serve(criminal_custody_complete=False), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility())
    assert not outside.allowed and not pending.allowed
    assert {r.rule for r in outside.reasons if not r.satisfied} == {"H1"}


def test_H2_a_detainer_alone_is_not_authority() -> None:
    detainer = warrant_suffices(Warrant(form="I-247A"), at=RELEASE)
    assert not detainer.allowed and detainer.status == "detainer_only"
    with_i200 = warrant_suffices(Warrant(form="I-247A", accompanied_by=("I-200",)), at=RELEASE)
    assert with_i200.allowed and with_i200.values["authority"] == "I-200"


def test_H2_the_warrant_must_name_the_person_and_be_signed() -> None:
    assert warrant_suffices(Warrant(form="I-205"), at=RELEASE).allowed
    assert not warrant_suffices(Warrant(form="I-205", names_person=False), at=RELEASE).allowed
    assert not warrant_suffices(Warrant(form="I-200", signed_by_authorized_officer=False), at=RELEASE).allowed


def test_H3_service_by_an_unauthorized_officer_is_invalid() -> None:
    decision = service_valid(serve(), officer=authorized_officer(form_70_006_at=None), agreement=agreement(), warrant=I200, facility=facility())
    assert not decision.allowed and "H3" in decision.rule_ids and "O4" in decision.rule_ids


def test_H3_service_after_the_scheduled_release_counts_the_unauthorized_minutes() -> None:
    late = service_valid(serve(served_at=RELEASE + timedelta(minutes=7)), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility())
    assert not late.allowed and late.values["unauthorized_minutes"] == 7
    on_time = service_valid(serve(), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility())
    assert on_time.allowed


def test_H3_past_release_without_a_served_warrant_the_software_demands_release() -> None:
    before = hold_status(hold(release=RELEASE), at=RELEASE)
    assert before.allowed and before.status == "in_criminal_custody"
    after = hold_status(hold(release=RELEASE), at=RELEASE + timedelta(seconds=30))
    assert not after.allowed and after.status == "release_required"
    assert after.actions[0].name == "release_now" and after.values["unauthorized_minutes"] == 1


def test_H4_ice_is_notified_immediately_after_service() -> None:
    served = hold(release=RELEASE, served_at=RELEASE)
    pending = hold_status(served, at=RELEASE + timedelta(minutes=5))
    assert any(a.name == "notify_ice" and a.rule == "H4" for a in pending.actions)
    late = hold_status(hold(release=RELEASE, served_at=RELEASE, ice_notified_at=RELEASE + timedelta(hours=2)), at=RELEASE + timedelta(hours=3))
    assert late.values["ice_notification_late"] is True and late.allowed  # an audit flag, never a refusal


def test_H5_48_elapsed_hours_exactly_is_lawful_one_minute_more_is_not() -> None:
    served = hold(release=RELEASE, served_at=RELEASE, ice_notified_at=RELEASE)
    deadline = RELEASE + timedelta(hours=48)
    assert hold_status(served, at=deadline).allowed
    over = hold_status(served, at=deadline + timedelta(minutes=1))
    assert not over.allowed and over.status == "release_required" and over.values["overdue_minutes"] == 1
    assert over.binding_deadline is not None and over.binding_deadline.name == "wso_48h" and over.binding_deadline.due == deadline


def test_H5_a_dst_night_does_not_move_the_deadline() -> None:
    # served 01:30 EDT on the night clocks go back: 48 elapsed hours later is 00:30 EST (47 wall-clock hours)
    served_at = local(NEW_YORK, 2026, 11, 1, 1, 30, fold=0)
    decision = hold_status(hold(release=served_at, served_at=served_at), at=served_at)
    assert decision.binding_deadline.due == local(NEW_YORK, 2026, 11, 3, 0, 30)


def test_H5_a_reimbursable_agreement_continues_the_hold_tracked_separately() -> None:
    served = hold(release=RELEASE, served_at=RELEASE, reimbursable_agreement="IGSA")
    decision = hold_status(served, at=RELEASE + timedelta(hours=60))
    assert decision.allowed and decision.status == "reimbursable_hold"
    assert [d.binding for d in decision.deadlines] == [False]


def test_H5_transfer_within_the_deadline_closes_the_hold_lawfully() -> None:
    moved = hold(release=RELEASE, served_at=RELEASE, transferred_at=RELEASE + timedelta(hours=47, minutes=59))
    assert hold_status(moved, at=RELEASE + timedelta(hours=72)).status == "transferred"
    late = hold(release=RELEASE, served_at=RELEASE, transferred_at=RELEASE + timedelta(hours=48, minutes=5))
    decision = hold_status(late, at=RELEASE + timedelta(hours=72))
    assert not decision.allowed and decision.values["overdue_minutes"] == 5


def test_H6_an_interpreter_used_must_be_named_on_the_warrant() -> None:
    assert not interpreter_annotation(serve(interpreter_used=True)).allowed
    assert interpreter_annotation(serve(interpreter_used=True, interpreter_name="R. Interpreter")).allowed
    refused = service_valid(serve(interpreter_used=True, interpreter_name="  "), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility())
    assert not refused.allowed and "H6" in [r.rule for r in refused.reasons if not r.satisfied]


def test_H7_citizenship_claim_reported_at_minute_59_is_on_time_at_minute_61_late() -> None:
    claimed = RELEASE + timedelta(minutes=10)
    on_time = hold(release=RELEASE, served_at=RELEASE, citizenship_claimed_at=claimed, citizenship_reported_at=claimed + timedelta(minutes=59))
    late = hold(release=RELEASE, served_at=RELEASE, citizenship_claimed_at=claimed, citizenship_reported_at=claimed + timedelta(minutes=61))
    at = claimed + timedelta(hours=2)
    assert hold_status(on_time, at=at).values["citizenship_report_late"] is False
    assert hold_status(late, at=at).values["citizenship_report_late"] is True
    assert hold_status(on_time, at=at).values["citizenship_claim_open"] is True  # until ICE answers


def test_H7_an_unreported_claim_opens_a_one_hour_deadline() -> None:
    claimed = RELEASE + timedelta(minutes=10)
    decision = hold_status(hold(release=RELEASE, served_at=RELEASE, citizenship_claimed_at=claimed), at=claimed + timedelta(minutes=5))
    report = next(d for d in decision.deadlines if d.name == "citizenship_report")
    assert report.due == claimed + timedelta(hours=1) and decision.actions[0].name == "report_citizenship_claim"


def test_H8_three_clocks_kept_apart_the_earliest_binds() -> None:
    # release Friday 2026-07-03 10:00 Chicago, the observed Independence Day holiday
    release = local(CHICAGO, 2026, 7, 3, 10)
    served_late = release + timedelta(hours=3)
    case = hold(release=release, served_at=served_late, detainer_i247a=True, cfr_287_7_applies=True, facility=facility(timezone=CHICAGO))
    decision = hold_status(case, at=served_late)
    clocks = {d.name: d for d in decision.deadlines}
    assert clocks["wso_48h"].due == served_late + timedelta(hours=48)
    assert clocks["i247a_48h"].due == release + timedelta(hours=48)
    # Fri (holiday), Sat, Sun excluded: Monday and Tuesday count, so Wednesday 00:00
    assert clocks["cfr_287_7"].due == local(CHICAGO, 2026, 7, 8, 0)
    assert [d.name for d in decision.deadlines if d.binding] == ["i247a_48h"]


def test_H9_a_hold_in_a_state_that_forbids_it_is_refused_with_the_citation() -> None:
    california = facility(state="CA", timezone=LOS_ANGELES)
    decision = service_valid(serve(), officer=authorized_officer(), agreement=agreement(state="CA"), warrant=I200, facility=california)
    refused = [r for r in decision.reasons if not r.satisfied]
    assert not decision.allowed and refused[0].rule == "H9" and "7284" in refused[0].source
    held = hold_status(hold(release=RELEASE, served_at=RELEASE, facility=california), at=RELEASE + timedelta(hours=1))
    assert not held.allowed and "H9" in held.rule_ids


def test_H1_a_service_before_the_scheduled_release_is_invalid() -> None:
    early = service_valid(serve(served_at=RELEASE - timedelta(minutes=1)), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility())
    assert not early.allowed and [r.rule for r in early.reasons if not r.satisfied] == ["H1"]
