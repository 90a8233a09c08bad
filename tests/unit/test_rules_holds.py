"""Holds: H1-H9. Every boundary on both sides: 48 h exactly and one minute more, minute 59/61."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.dates import CHICAGO, LOS_ANGELES, NEW_YORK, local, utc
from tests.unit.factories import agreement, authorized_officer, facility, hold
from wso.rules.facts import CitizenshipClaim, DetentionAgreement, Hold, ReleaseStandard, Service, Warrant
from wso.rules.holds import hold_status, interpreter_annotation, service_valid, warrant_suffices

RELEASE = local(NEW_YORK, 2026, 3, 12, 9)  # a Thursday, no DST change within 48 h
I200 = Warrant(form="I-200")


def claim(
    at: datetime, *, reported: int | None = None, answered: int | None = None, exigency: str | None = None
) -> CitizenshipClaim:
    """A claim at `at`, reported and answered so many minutes later (None: not yet)."""

    def later(minutes: int | None) -> datetime | None:
        return at + timedelta(minutes=minutes) if minutes is not None else None

    return CitizenshipClaim(
        claimed_at=at, reported_at=later(reported), answered_at=later(answered), exigency_reason=exigency
    )


def serve(**changes: object) -> Service:
    base = {"served_at": RELEASE, "scheduled_release_at": RELEASE}
    return Service(**{**base, **changes})


def test_H1_only_in_the_leas_own_jail_after_criminal_custody() -> None:
    outside = service_valid(
        serve(in_own_facility=False),
        officer=authorized_officer(),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
    pending = service_valid(
        serve(criminal_custody_complete=False),
        officer=authorized_officer(),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
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
    decision = service_valid(
        serve(),
        officer=authorized_officer(form_70_006_at=None),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
    assert not decision.allowed and "H3" in decision.rule_ids and "O4" in decision.rule_ids


def test_H3_service_after_the_scheduled_release_counts_the_unauthorized_minutes() -> None:
    late = service_valid(
        serve(served_at=RELEASE + timedelta(minutes=7)),
        officer=authorized_officer(),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
    assert not late.allowed and late.values["unauthorized_minutes"] == 7
    on_time = service_valid(
        serve(), officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility()
    )
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
    late = hold_status(
        hold(release=RELEASE, served_at=RELEASE, ice_notified_at=RELEASE + timedelta(hours=2)),
        at=RELEASE + timedelta(hours=3),
    )
    assert late.values["ice_notification_late"] is True and late.allowed  # an audit flag, never a refusal


def test_H5_48_elapsed_hours_exactly_is_lawful_one_minute_more_is_not() -> None:
    served = hold(release=RELEASE, served_at=RELEASE, ice_notified_at=RELEASE)
    deadline = RELEASE + timedelta(hours=48)
    assert hold_status(served, at=deadline).allowed
    over = hold_status(served, at=deadline + timedelta(minutes=1))
    assert not over.allowed and over.status == "release_required" and over.values["overdue_minutes"] == 1
    assert (
        over.binding_deadline is not None
        and over.binding_deadline.name == "wso_48h"
        and over.binding_deadline.due == deadline
    )


def test_H5_a_dst_night_does_not_move_the_deadline() -> None:
    # served 01:30 EDT on the night clocks go back: 48 elapsed hours later is 00:30 EST (47 wall-clock hours)
    served_at = local(NEW_YORK, 2026, 11, 1, 1, 30, fold=0)
    decision = hold_status(hold(release=served_at, served_at=served_at), at=served_at)
    assert decision.binding_deadline.due == local(NEW_YORK, 2026, 11, 3, 0, 30)


def test_H5_transfer_within_the_deadline_closes_the_hold_lawfully() -> None:
    moved = hold(release=RELEASE, served_at=RELEASE, transferred_at=RELEASE + timedelta(hours=47, minutes=59))
    assert hold_status(moved, at=RELEASE + timedelta(hours=72)).status == "transferred"
    late = hold(release=RELEASE, served_at=RELEASE, transferred_at=RELEASE + timedelta(hours=48, minutes=5))
    decision = hold_status(late, at=RELEASE + timedelta(hours=72))
    assert not decision.allowed and decision.values["overdue_minutes"] == 5


def test_H6_an_interpreter_used_must_be_named_on_the_warrant() -> None:
    assert not interpreter_annotation(serve(interpreter_used=True)).allowed
    assert interpreter_annotation(serve(interpreter_used=True, interpreter_name="R. Interpreter")).allowed
    refused = service_valid(
        serve(interpreter_used=True, interpreter_name="  "),
        officer=authorized_officer(),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
    assert not refused.allowed and "H6" in [r.rule for r in refused.reasons if not r.satisfied]


def test_H7_citizenship_claim_reported_at_minute_59_is_on_time_at_minute_61_late() -> None:
    claimed = RELEASE + timedelta(minutes=10)
    on_time = hold(release=RELEASE, served_at=RELEASE, citizenship_claims=(claim(claimed, reported=59),))
    late = hold(release=RELEASE, served_at=RELEASE, citizenship_claims=(claim(claimed, reported=61),))
    at = claimed + timedelta(hours=2)
    assert hold_status(on_time, at=at).values["citizenship_report_late"] is False
    assert hold_status(late, at=at).values["citizenship_report_late"] is True
    assert hold_status(on_time, at=at).values["citizenship_claim_open"] is True  # until ICE answers


def test_H7_an_unreported_claim_opens_a_one_hour_deadline() -> None:
    claimed = RELEASE + timedelta(minutes=10)
    case = hold(release=RELEASE, served_at=RELEASE, citizenship_claims=(claim(claimed),))
    decision = hold_status(case, at=claimed + timedelta(minutes=5))
    report = next(d for d in decision.deadlines if d.name == "citizenship_report")
    assert report.due == claimed + timedelta(hours=1) and decision.actions[0].name == "report_citizenship_claim"


def test_H8_three_clocks_kept_apart_the_earliest_binds() -> None:
    # release Friday 2026-07-03 10:00 Chicago, the observed Independence Day holiday
    release = local(CHICAGO, 2026, 7, 3, 10)
    served_late = release + timedelta(hours=3)
    case = hold(
        release=release,
        served_at=served_late,
        detainer_i247a=True,
        cfr_287_7_applies=True,
        facility=facility(timezone=CHICAGO),
    )
    decision = hold_status(case, at=served_late)
    clocks = {d.name: d for d in decision.deadlines}
    assert clocks["wso_48h"].due == served_late + timedelta(hours=48)
    assert clocks["i247a_48h"].due == release + timedelta(hours=48)
    # Fri (holiday), Sat, Sun excluded: Monday and Tuesday count, so Wednesday 00:00
    assert clocks["cfr_287_7"].due == local(CHICAGO, 2026, 7, 8, 0)
    assert [d.name for d in decision.deadlines if d.binding] == ["i247a_48h"]


def test_H9_a_hold_in_a_state_that_forbids_it_is_refused_with_the_citation() -> None:
    california = facility(state="CA", timezone=LOS_ANGELES)
    decision = service_valid(
        serve(), officer=authorized_officer(), agreement=agreement(state="CA"), warrant=I200, facility=california
    )
    refused = [r for r in decision.reasons if not r.satisfied]
    assert not decision.allowed and refused[0].rule == "H9" and "7284" in refused[0].source
    held = hold_status(hold(release=RELEASE, served_at=RELEASE, facility=california), at=RELEASE + timedelta(hours=1))
    assert not held.allowed and "H9" in held.rule_ids


def test_H1_a_service_before_the_scheduled_release_is_invalid() -> None:
    early = service_valid(
        serve(served_at=RELEASE - timedelta(minutes=1)),
        officer=authorized_officer(),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
    assert not early.allowed and [r.rule for r in early.reasons if not r.satisfied] == ["H1"]


# ---------------------------------------------------------------- issue 10: H5 IGSA, H9 daily, H7 always, H3 gap

SERVED = hold(release=RELEASE, served_at=RELEASE, ice_notified_at=RELEASE + timedelta(minutes=5))
DEADLINE = RELEASE + timedelta(hours=48)


def igsa(**changes: Any) -> DetentionAgreement:
    base = DetentionAgreement(
        kind="IGSA", number="IGSA-17-0042", parties=("ICE ERO", "Demo County Sheriff"), effective_at=utc(2017, 1, 1)
    )
    return replace(base, **changes)


def with_agreements(case: Hold, *agreements: DetentionAgreement) -> Hold:
    return replace(case, facility=replace(case.facility, detention_agreements=agreements))


def test_H5_the_old_bug_100_hours_after_service_without_a_booking_release_is_demanded() -> None:
    case = with_agreements(SERVED, igsa())
    decision = hold_status(case, at=RELEASE + timedelta(hours=100))
    assert not decision.allowed and decision.status == "release_required"
    assert decision.binding_deadline is not None and decision.binding_deadline.due == DEADLINE


def test_H5_igsa_in_force_booked_at_47_hours_ends_the_wso_hold_lawfully() -> None:
    case = replace(
        with_agreements(SERVED, igsa()), igsa_booked_at=RELEASE + timedelta(hours=47), igsa_number="IGSA-17-0042"
    )
    decision = hold_status(case, at=RELEASE + timedelta(hours=100))
    assert decision.allowed and decision.status == "igsa_detention"
    assert decision.values["igsa_number"] == "IGSA-17-0042" and "overdue_minutes" not in decision.values


def test_H5_booked_one_minute_after_the_deadline_is_no_exception() -> None:
    case = replace(
        with_agreements(SERVED, igsa()), igsa_booked_at=DEADLINE + timedelta(minutes=1), igsa_number="IGSA-17-0042"
    )
    decision = hold_status(case, at=DEADLINE + timedelta(minutes=2))
    assert not decision.allowed and decision.status == "release_required"
    assert any("after the deadline" in r.text for r in decision.reasons)


def test_H5_an_igsa_that_ended_before_the_deadline_is_no_exception() -> None:
    ended = igsa(ends_at=RELEASE + timedelta(hours=47, minutes=30))
    case = replace(
        with_agreements(SERVED, ended), igsa_booked_at=RELEASE + timedelta(hours=47), igsa_number="IGSA-17-0042"
    )
    decision = hold_status(case, at=DEADLINE + timedelta(minutes=1))
    assert decision.status == "release_required" and not decision.allowed


def test_H5_an_igsa_in_force_one_second_before_its_effective_date_is_not() -> None:
    late_start = igsa(effective_at=DEADLINE + timedelta(seconds=1))
    case = replace(
        with_agreements(SERVED, late_start), igsa_booked_at=RELEASE + timedelta(hours=47), igsa_number="IGSA-17-0042"
    )
    assert hold_status(case, at=DEADLINE + timedelta(minutes=1)).status == "release_required"
    on_time = replace(case, facility=replace(case.facility, detention_agreements=(igsa(effective_at=DEADLINE),)))
    assert hold_status(on_time, at=DEADLINE + timedelta(minutes=1)).status == "igsa_detention"


def test_H5_K2_a_boa_is_not_an_exception_release_at_48_hours() -> None:
    boa = DetentionAgreement(kind="BOA", number="BOA-2018-FL-3", effective_at=utc(2018, 1, 17))
    case = replace(
        with_agreements(SERVED, boa), igsa_booked_at=RELEASE + timedelta(hours=40), igsa_number="BOA-2018-FL-3"
    )
    assert hold_status(case, at=DEADLINE).allowed
    over = hold_status(case, at=DEADLINE + timedelta(minutes=1))
    assert not over.allowed and over.status == "release_required" and "K2" in over.rule_ids


def test_H9_law_takes_effect_mid_hold_ends_the_authority_that_local_day() -> None:
    # Colorado HB19-1124 takes effect 2019-05-28; a WSO hold served 2019-05-27 10:00 in Denver spans it
    denver = "America/Denver"
    served_at = local(denver, 2019, 5, 27, 10)
    case = hold(
        release=served_at,
        served_at=served_at,
        ice_notified_at=served_at,
        facility=facility(state="CO", timezone=denver),
        agreement=agreement(
            state="CO",
            template="MOA-2019",
            timezone=denver,
            lea_signed_at=utc(2019, 4, 1),
            ice_signed_at=utc(2019, 4, 2),
        ),
    )
    before = hold_status(case, at=local(denver, 2019, 5, 27, 23, 59))
    assert before.allowed and before.status == "held_for_ice"
    after = hold_status(case, at=local(denver, 2019, 5, 28, 0, 1))
    assert not after.allowed and after.status == "release_required"
    assert after.actions[0].name == "release_now" and after.actions[0].rule == "H9"
    assert after.actions[0].due == local(denver, 2019, 5, 28, 0) and after.values["unauthorized_minutes"] == 1
    assert any(r.rule == "H9" and "24-76.6" in r.source for r in after.reasons)


def test_H7_claim_before_service_opens_the_one_hour_deadline() -> None:
    claimed = RELEASE - timedelta(hours=3)
    decision = hold_status(
        hold(release=RELEASE, citizenship_claims=(claim(claimed),)), at=claimed + timedelta(minutes=10)
    )
    assert decision.status == "in_criminal_custody" and decision.values["citizenship_claim_open"] is True
    assert {d.name: d.due for d in decision.deadlines}["citizenship_report"] == claimed + timedelta(hours=1)
    assert decision.actions[0].name == "report_citizenship_claim"


def test_H7_claim_while_held_without_authority_is_still_marked() -> None:
    claimed = RELEASE + timedelta(minutes=30)
    decision = hold_status(
        hold(release=RELEASE, citizenship_claims=(claim(claimed),)), at=claimed + timedelta(minutes=5)
    )
    assert decision.status == "release_required"
    assert [a.name for a in decision.actions][:2] == ["release_now", "report_citizenship_claim"]
    assert decision.values["citizenship_claim_open"] is True


def test_H7_MOA_2019_late_report_is_a_violation_unless_an_exigency_is_recorded() -> None:
    claimed = RELEASE + timedelta(minutes=10)
    template_2019 = agreement(template="MOA-2019")
    late = hold(
        release=RELEASE,
        served_at=RELEASE,
        ice_notified_at=RELEASE,
        agreement=template_2019,
        citizenship_claims=(claim(claimed, reported=61),),
    )
    decision = hold_status(late, at=claimed + timedelta(hours=2))
    report = next(r for r in decision.reasons if r.rule == "H7" and not r.satisfied)
    assert report.modality == "must" and not decision.allowed
    excused = replace(
        late, citizenship_claims=(claim(claimed, reported=61, exigency="riot in C block, all staff on lockdown"),)
    )
    decision = hold_status(excused, at=claimed + timedelta(hours=2))
    report = next(r for r in decision.reasons if r.rule == "H7" and not r.satisfied)
    assert report.modality == "should" and decision.allowed and "riot" in report.text


def test_H7_MOA_2025_late_report_is_a_departure_never_a_refusal() -> None:
    claimed = RELEASE + timedelta(minutes=10)
    late = hold(
        release=RELEASE, served_at=RELEASE, ice_notified_at=RELEASE, citizenship_claims=(claim(claimed, reported=61),)
    )
    decision = hold_status(late, at=claimed + timedelta(hours=2))
    assert decision.allowed and decision.values["citizenship_report_late"] is True
    assert [r.modality for r in decision.reasons if not r.satisfied] == ["should"]


def test_H7_every_claim_gets_its_own_deadline_and_the_case_stays_marked_until_each_is_answered() -> None:
    first, second = RELEASE + timedelta(minutes=10), RELEASE + timedelta(hours=5)
    claims = (claim(first, reported=20, answered=90), claim(second))
    decision = hold_status(
        hold(release=RELEASE, served_at=RELEASE, citizenship_claims=claims), at=second + timedelta(minutes=1)
    )
    names = {d.name: d.due for d in decision.deadlines}
    assert names["citizenship_report_2"] == second + timedelta(hours=1)
    assert decision.values["citizenship_claim_open"] is True


STANDARD = ReleaseStandard(minutes=30, source="Demo County Jail Policy 7.12 (release processing), rev. 2025")


def test_H3_release_processing_gap_within_standard_is_valid_and_shown() -> None:
    cleared = RELEASE + timedelta(minutes=20)
    service = serve(
        served_at=cleared + timedelta(minutes=30), cleared_for_release_at=cleared, release_standard=STANDARD
    )
    decision = service_valid(
        service, officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility()
    )
    assert decision.allowed and decision.values["release_gap_minutes"] == 30
    assert any(r.rule == "H3" and "30 minute(s) after release began" in r.text for r in decision.reasons)


def test_H3_release_processing_gap_beyond_standard_is_a_finding() -> None:
    cleared = RELEASE + timedelta(minutes=20)
    service = serve(
        served_at=cleared + timedelta(minutes=31), cleared_for_release_at=cleared, release_standard=STANDARD
    )
    decision = service_valid(
        service, officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility()
    )
    assert not decision.allowed and decision.values["release_gap_minutes"] == 31
    assert decision.values["unauthorized_minutes"] == 1


def test_H3_no_standard_recorded_means_zero_minutes_but_service_need_not_match_the_schedule() -> None:
    cleared = RELEASE + timedelta(minutes=40)  # release processing ran late; the clerk records it as it was
    at_clearance = serve(served_at=cleared, cleared_for_release_at=cleared)
    assert service_valid(
        at_clearance, officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility()
    ).allowed
    one_minute_later = serve(served_at=cleared + timedelta(minutes=1), cleared_for_release_at=cleared)
    late = service_valid(
        one_minute_later, officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility()
    )
    assert not late.allowed and late.values["release_gap_minutes"] == 1 and late.values["release_standard_minutes"] == 0


def test_H3_before_clearance_the_person_is_still_in_criminal_custody() -> None:
    cleared = RELEASE + timedelta(minutes=40)
    early = serve(served_at=cleared - timedelta(minutes=1), cleared_for_release_at=cleared)
    decision = service_valid(
        early, officer=authorized_officer(), agreement=agreement(), warrant=I200, facility=facility()
    )
    assert not decision.allowed and [r.rule for r in decision.reasons if not r.satisfied] == ["H1"]


def test_H3_hold_status_in_release_processing_then_release_required() -> None:
    cleared = RELEASE + timedelta(minutes=5)
    case = hold(release=RELEASE, cleared_for_release_at=cleared, release_standard=STANDARD)
    within = hold_status(case, at=cleared + timedelta(minutes=30))
    assert within.allowed and within.status == "release_processing" and within.values["release_gap_minutes"] == 30
    assert within.binding_deadline is not None and within.binding_deadline.due == cleared + timedelta(minutes=30)
    beyond = hold_status(case, at=cleared + timedelta(minutes=31))
    assert not beyond.allowed and beyond.status == "release_required" and beyond.values["unauthorized_minutes"] == 1
    assert beyond.values["release_gap_minutes"] == 31


def test_H3_warrant_served_after_release_is_never_allowed_with_an_unsatisfied_reason() -> None:
    late = service_valid(
        serve(served_at=RELEASE + timedelta(minutes=7)),
        officer=authorized_officer(),
        agreement=agreement(),
        warrant=I200,
        facility=facility(),
    )
    assert not late.allowed and any(not r.satisfied for r in late.reasons)


# ------------------------------------------------- issue 10 item 4: allowed never contradicts the reasons

minutes = st.integers(min_value=-600, max_value=6000)


def _after(offset: int | None) -> datetime | None:
    return None if offset is None else RELEASE + timedelta(minutes=offset)


@settings(max_examples=300, deadline=None)
@given(
    served=st.none() | minutes,
    notified=st.none() | minutes,
    transferred=st.none() | minutes,
    released=st.none() | minutes,
    cleared=st.none() | minutes,
    booked=st.none() | minutes,
    claims=st.lists(st.tuples(minutes, st.none() | st.integers(0, 200), st.booleans()), max_size=2),
    template=st.sampled_from(["MOA-2019", "MOA-2025"]),
    state=st.sampled_from(["AL", "CA", "CO"]),
    detainer=st.booleans(),
    standard=st.none() | st.integers(0, 120),
    agreements=st.sampled_from(["none", "igsa", "boa"]),
    at=minutes,
)
def test_H_property_hold_status_is_never_allowed_with_an_unsatisfied_must_reason(
    served: int | None,
    notified: int | None,
    transferred: int | None,
    released: int | None,
    cleared: int | None,
    booked: int | None,
    claims: list[tuple[int, int | None, bool]],
    template: str,
    state: str,
    detainer: bool,
    standard: int | None,
    agreements: str,
    at: int,
) -> None:
    recorded = {"none": (), "igsa": (igsa(),), "boa": (replace(igsa(), kind="BOA"),)}[agreements]
    case = hold(
        release=RELEASE,
        served_at=_after(served),
        ice_notified_at=_after(notified),
        transferred_at=_after(transferred),
        released_at=_after(released),
        cleared_for_release_at=_after(cleared),
        igsa_booked_at=_after(booked),
        igsa_number="IGSA-17-0042",
        detainer_i247a=detainer,
        cfr_287_7_applies=detainer,
        release_standard=ReleaseStandard(minutes=standard, source="policy") if standard is not None else None,
        citizenship_claims=tuple(
            claim(RELEASE + timedelta(minutes=c), reported=r, exigency="exigency" if e else None) for c, r, e in claims
        ),
        facility=facility(state=state, detention_agreements=recorded),
        agreement=agreement(template=template, state=state),
    )
    decision = hold_status(case, at=RELEASE + timedelta(minutes=at))
    violated = [r for r in decision.reasons if not r.satisfied and r.modality == "must"]
    assert decision.allowed == (not violated)


@settings(max_examples=200, deadline=None)
@given(
    served=minutes,
    cleared=st.none() | minutes,
    standard=st.none() | st.integers(0, 120),
    interpreter=st.booleans(),
    named=st.booleans(),
    own=st.booleans(),
    state=st.sampled_from(["AL", "CA"]),
    form=st.sampled_from(["I-200", "I-205", "I-247A"]),
)
def test_H_property_service_valid_is_never_allowed_with_an_unsatisfied_must_reason(
    served: int,
    cleared: int | None,
    standard: int | None,
    interpreter: bool,
    named: bool,
    own: bool,
    state: str,
    form: str,
) -> None:
    service = serve(
        served_at=RELEASE + timedelta(minutes=served),
        cleared_for_release_at=_after(cleared),
        in_own_facility=own,
        release_standard=ReleaseStandard(minutes=standard, source="policy") if standard is not None else None,
        interpreter_used=interpreter,
        interpreter_name="A. Interpreter" if named else None,
    )
    decision = service_valid(
        service,
        officer=authorized_officer(),
        agreement=agreement(state=state),
        warrant=Warrant(form=form),
        facility=facility(state=state),
    )
    violated = [r for r in decision.reasons if not r.satisfied and r.modality == "must"]
    assert decision.allowed == (not violated)


def test_H9_before_release_in_a_state_that_forbids_holds_the_next_step_is_release_not_service() -> None:
    california = facility(state="CA", timezone=LOS_ANGELES)
    decision = hold_status(hold(release=RELEASE, facility=california), at=RELEASE - timedelta(hours=2))
    assert decision.status == "in_criminal_custody" and not decision.allowed
    assert decision.actions[0].name == "release_at_scheduled_time" and decision.actions[0].rule == "H9"
