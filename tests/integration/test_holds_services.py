"""Holds through the services on SQLite and PostgreSQL: the workflow end to end, decide on write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.holds_support import Jail, book, i200, make_jail, ny, run
from tests.integration.records_support import store  # noqa: F401
from wso.holds import commands as c
from wso.holds import service as s
from wso.holds import tables as t
from wso.holds.decide import facility_fact, load_events, release_standard_fact
from wso.holds.events import AREA_CATALOG, UnknownEventType, parse_event
from wso.holds.fold import hold_facts
from wso.rules.holds import hold_status
from wso.services.errors import ConcurrencyError, Forbidden, NotFound, Refused
from wso.services.to_facts import agreement_fact
from wso.store import tables
from wso.store.ledger import LedgerEvent
from wso.store.uow import Store


@pytest.fixture
def jail(store: Store) -> Jail:
    return make_jail(store)


RELEASE = ny(2026, 6, 10, 9)  # a Wednesday


def test_H5_the_workflow_end_to_end_book_warrant_clear_serve_notify_transfer(store: Store, jail: Jail) -> None:
    hold = book(store, jail, number="B-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    assert hold.status == "in_criminal_custody" and hold.next_action == "release_at_scheduled_time"
    hold = run(
        store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1)
    )
    assert hold.next_action == "serve_warrant" and hold.next_action_role == "wso" and hold.warrant_form == "I-200"
    hold = run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=RELEASE)
    served = run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=RELEASE,
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    assert served.status == "held_for_ice" and served.flag_ice_not_notified and served.served_at == RELEASE
    assert served.binding_deadline_at == RELEASE + timedelta(hours=48) and served.next_action == "notify_ice"
    notified = run(
        store,
        s.notify_ice,
        actor=jail.clerk,
        hold_id=hold.id,
        now=RELEASE + timedelta(minutes=5),
        command=c.NotifyIce(how="phone", to="ERO Miami duty officer"),
    )
    assert not notified.flag_ice_not_notified and notified.next_action == "transfer_or_release"
    moved = run(
        store,
        s.transfer_to_ice,
        actor=jail.clerk,
        hold_id=hold.id,
        now=RELEASE + timedelta(hours=30),
        command=c.TransferToIce(received_by="ICE ERO officer J. Park"),
    )
    assert moved.status == "transferred" and not moved.active and moved.allowed


def _served_hold(store: Store, jail: Jail, *, number: str, release, cleared: bool = True) -> str:
    hold = book(store, jail, number=number, release=release, now=release - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=release - timedelta(days=1))
    if cleared:
        run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=release)
    run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=release,
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    return hold.id


def refreshed(store: Store, jail: Jail, hold_id: str, *, now) -> s.HoldSummary:
    return run(store, s.refresh, actor=jail.supervisor, hold_id=hold_id, command=c.RefreshHold(), now=now)


def test_H5_a_dst_night_48_elapsed_hours_not_wall_clock(store: Store, jail: Jail) -> None:
    # served 01:30 EDT on the night clocks go back (the first 01:30): the deadline is 00:30 EST two days on
    served_at = ny(2026, 11, 1, 1, 30, fold=0)
    hold_id = _served_hold(store, jail, number="DST-1", release=served_at)
    deadline = ny(2026, 11, 3, 0, 30)
    at_deadline = refreshed(store, jail, hold_id, now=deadline)
    assert at_deadline.binding_deadline_at == deadline and at_deadline.status == "held_for_ice"
    over = refreshed(store, jail, hold_id, now=deadline + timedelta(minutes=1))
    assert over.status == "release_required" and over.flag_past_deadline and over.next_action == "release_now"
    assert over.next_action_role == "clerk" and not over.allowed


def test_H8_a_holiday_under_the_cfr_clock_is_kept_apart_and_does_not_bind(store: Store, jail: Jail) -> None:
    release = ny(2026, 7, 3, 10)  # Friday, the observed Independence Day holiday
    hold = book(store, jail, number="CFR-1", release=release, now=release - timedelta(days=2))
    detainer = c.ReceiveWarrant(
        form="I-247A",
        number="D-1",
        issuing_officer="SDDO R. Vance",
        issued_on=release.date() - timedelta(days=5),
        accompanied_by=("I-200",),
    )
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=detainer, now=release - timedelta(days=1))
    run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=release)
    served = run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=release,
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="D-1"),
    )
    with store.unit_of_work() as uow:
        detail = s.hold_detail(uow, actor=jail.auditor, hold_id=hold.id, now=release)
        uow.commit()
    clocks = {d["name"]: d for d in detail.decision["deadlines"]}
    # Fri (holiday), Sat and Sun are excluded: Monday and Tuesday count, so Wednesday 00:00
    assert (
        datetime.fromisoformat(clocks["cfr_287_7"]["due"]) == ny(2026, 7, 8, 0) and not clocks["cfr_287_7"]["binding"]
    )
    assert served.binding_deadline_name == "wso_48h" and served.binding_deadline_at == release + timedelta(hours=48)
    assert "H8" in served.rule_ids


def test_H7_a_citizenship_claim_before_service_flags_the_hold_and_schedules_its_alerts(
    store: Store, jail: Jail
) -> None:
    from wso.holds.decide import upcoming_due

    hold = book(store, jail, number="H7-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    claimed_at = RELEASE - timedelta(hours=3)
    flagged = run(
        store, s.claim_citizenship, actor=jail.clerk, hold_id=hold.id, command=c.ClaimCitizenship(), now=claimed_at
    )
    assert flagged.flag_citizenship_open and flagged.status == "in_criminal_custody"
    assert flagged.next_action == "report_citizenship_claim" and flagged.next_action_role == "supervisor"
    assert flagged.next_action_due_at == claimed_at + timedelta(hours=1)
    with store.unit_of_work() as uow:
        row = uow.session.get(s.t.Hold, hold.id)
        kinds = {d.kind: d.due_at for d in upcoming_due(row, after=claimed_at)}
        next_due = row.next_due_at
    assert kinds["citizenship_report_due_soon"] == claimed_at + timedelta(minutes=45)
    assert kinds["citizenship_report_due"] == claimed_at + timedelta(hours=1)
    assert next_due == claimed_at + timedelta(minutes=45)
    reported = run(
        store,
        s.report_citizenship_claim,
        actor=jail.supervisor,
        hold_id=hold.id,
        now=claimed_at + timedelta(minutes=40),
        command=c.ReportCitizenshipClaim(to="ERO duty officer", how="phone"),
    )
    assert reported.flag_citizenship_open and reported.next_action == "record_ice_answer"
    answered = run(
        store,
        s.record_ice_answer,
        actor=jail.supervisor,
        hold_id=hold.id,
        now=claimed_at + timedelta(hours=2),
        command=c.RecordIceAnswer(reference="ERO-MIA-2026-0612"),
    )
    assert not answered.flag_citizenship_open


def test_H5_an_igsa_booking_at_47_hours_ends_the_wso_hold(store: Store, jail: Jail) -> None:
    with store.unit_of_work() as uow:
        s.record_detention_agreement(
            uow,
            actor=jail.coordinator,
            now=RELEASE - timedelta(days=10),
            command=c.RecordDetentionAgreement(
                facility_id=jail.facility_id,
                kind="IGSA",
                number="40-18-0042",
                parties=["ICE ERO Miami", "Test County Sheriff"],
                effective_at=ny(2018, 3, 1),
                bed_rate_usd_per_day=88.0,
            ),
        )
        uow.commit()
    hold_id = _served_hold(store, jail, number="IGSA-1", release=RELEASE)
    booked = run(
        store,
        s.book_under_igsa,
        actor=jail.clerk,
        hold_id=hold_id,
        now=RELEASE + timedelta(hours=47),
        command=c.BookUnderIgsa(agreement_number="40-18-0042"),
    )
    assert booked.status == "igsa_detention" and booked.allowed and not booked.active
    later = refreshed(store, jail, hold_id, now=RELEASE + timedelta(hours=100))
    assert later.status == "igsa_detention" and not later.flag_past_deadline


def test_H3_an_invalid_service_past_the_standard_is_recorded_and_demands_release(store: Store, jail: Jail) -> None:
    hold = book(store, jail, number="H3-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1))
    run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=RELEASE)
    late = run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=RELEASE + timedelta(minutes=20),
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    # no written standard: the allowance is zero, so twenty minutes after clearance is a finding
    assert late.status == "release_required" and late.served_at is None and late.flag_past_deadline
    assert late.next_action == "release_now" and "H3" in late.rule_ids
    with store.unit_of_work() as uow:
        events = s.all_events(uow, hold.id)
        detail = s.hold_detail(uow, actor=jail.clerk, hold_id=hold.id, now=RELEASE + timedelta(minutes=21))
    served = [x for x in events if x.type == "warrant_served"]
    assert len(served) == 1 and served[0].valid is False
    assert detail.decision["values"]["release_gap_minutes"] == 20  # the decision stored at the last write


def test_H3_within_the_written_release_processing_standard_the_service_is_valid(store: Store, jail: Jail) -> None:
    with store.unit_of_work() as uow:
        s.set_release_standard(
            uow,
            actor=jail.coordinator,
            now=RELEASE - timedelta(days=30),
            command=c.SetReleaseStandard(
                agency_id=jail.county.agency_id,
                minutes=30,
                source="Jail Policy 7.12, Inmate Release Processing",
                effective_at=RELEASE - timedelta(days=30),
            ),
        )
        uow.commit()
    hold = book(store, jail, number="H3-2", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1))
    cleared = run(
        store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=RELEASE
    )
    assert cleared.status == "release_processing" and cleared.binding_deadline_at == RELEASE + timedelta(minutes=30)
    served = run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=RELEASE + timedelta(minutes=20),
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    assert served.status == "held_for_ice" and served.served_at == RELEASE + timedelta(minutes=20)


def _refused(store: Store, jail: Jail, hold_id: str, command: c.ServeWarrant, *, now) -> Refused:
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        s.serve_warrant(uow, actor=jail.wso, hold_id=hold_id, command=command, now=now)
    return exc.value


def test_O4_H1_H6_services_the_rules_refuse_are_refused_with_their_rule_ids(store: Store, jail: Jail) -> None:
    from tests.integration.records_support import nominate

    hold = book(store, jail, number="REF-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1))
    early = _refused(
        store,
        jail,
        hold.id,
        c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
        now=RELEASE - timedelta(minutes=1),
    )
    assert "H1" in early.rule_ids
    nominee = nominate(store, jail.county, "Deputy N. Trainee")
    untrained = _refused(store, jail, hold.id, c.ServeWarrant(officer_id=nominee, warrant_number="W-1"), now=RELEASE)
    assert "O4" in untrained.rule_ids and untrained.field == "officer_id"
    unnamed = _refused(
        store,
        jail,
        hold.id,
        c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1", interpreter_used=True),
        now=RELEASE,
    )
    assert unnamed.rule_ids and "H6" in [r.rule for r in unnamed.decision.reasons if not r.satisfied]
    with store.unit_of_work() as uow:  # nothing was written by the refusals
        assert [x.type for x in s.all_events(uow, hold.id)] == ["booked", "warrant_received"]


def test_O9_a_wso_recording_transport_or_interrogation_is_refused(store: Store, jail: Jail) -> None:
    hold = book(store, jail, number="O9-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    for function in ("transport", "interrogate"):
        with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
            s.record_act(
                uow,
                actor=jail.wso,
                hold_id=hold.id,
                now=RELEASE,
                command=c.RecordAct(officer_id=jail.officer_id, function=function),
            )
        assert exc.value.rule_ids == ("O9",)


def test_H9_a_service_where_state_law_forbids_it_is_refused(store: Store) -> None:
    jail = make_jail(store, name="Golden County Sheriff", state="CA")
    hold = book(store, jail, number="CA-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1))
    refused = _refused(
        store, jail, hold.id, c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"), now=RELEASE
    )
    assert "H9" in refused.rule_ids


def test_permissions_clerk_cannot_serve_wso_cannot_release_auditor_reads_only_agency_b_gets_not_found(
    store: Store, jail: Jail
) -> None:
    hold = book(store, jail, number="P-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1))
    serve = c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1")
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        s.serve_warrant(uow, actor=jail.clerk, hold_id=hold.id, command=serve, now=RELEASE)
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        s.release_person(uow, actor=jail.wso, hold_id=hold.id, command=c.Release(reason="other"), now=RELEASE)
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        s.release_person(uow, actor=jail.auditor, hold_id=hold.id, command=c.Release(reason="other"), now=RELEASE)
    with store.unit_of_work() as uow:
        assert [h.id for h in s.list_holds(uow, actor=jail.auditor)] == [hold.id]
    other = make_jail(store, name="Other County Sheriff")
    with store.unit_of_work() as uow, pytest.raises(NotFound):
        s.hold_detail(uow, actor=other.clerk, hold_id=hold.id, now=RELEASE)
    with store.unit_of_work() as uow, pytest.raises(NotFound):
        s.release_person(uow, actor=other.clerk, hold_id=hold.id, command=c.Release(reason="other"), now=RELEASE)
    with store.unit_of_work() as uow:
        assert s.list_holds(uow, actor=other.clerk) == []


def test_two_clerks_on_the_same_hold_the_second_gets_a_conflict(store: Store, jail: Jail) -> None:
    hold = book(store, jail, number="V-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    run(
        store,
        s.receive_warrant,
        actor=jail.clerk,
        hold_id=hold.id,
        now=RELEASE - timedelta(days=1),
        command=i200().model_copy(update={"expected_version": hold.version}),
    )
    with store.unit_of_work() as uow, pytest.raises(ConcurrencyError):
        s.clear_for_release(
            uow,
            actor=jail.clerk,
            hold_id=hold.id,
            now=RELEASE,
            command=c.ClearForRelease(expected_version=hold.version),
        )


def test_the_stored_summary_is_what_the_rules_say_when_each_holds_events_are_folded(store: Store, jail: Jail) -> None:
    """Decide on write: fold every hold's events through the rules and find the stored summary."""
    _served_hold(store, jail, number="F-1", release=RELEASE)
    hold = book(store, jail, number="F-2", release=RELEASE + timedelta(days=1), now=RELEASE)
    run(store, s.claim_citizenship, actor=jail.clerk, hold_id=hold.id, command=c.ClaimCitizenship(), now=RELEASE)
    assert stored_summaries_match_the_fold(store) == 2


def test_the_demo_holds_stored_summaries_are_what_the_rules_say(store: Store) -> None:
    from wso.demo import load_demo

    load_demo(store, at=datetime.now(UTC))
    assert stored_summaries_match_the_fold(store) >= 14


def stored_summaries_match_the_fold(store: Store) -> int:
    """Fold each hold's events through the rules at its decision instant; the row must say the same."""
    with store.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(t.Hold)))
        for row in rows:
            agreement = agreement_fact(uow, uow.session.get(tables.Agreement, row.agreement_id))
            at = row.decided_at
            standard = release_standard_fact(uow, row.agency_id, at=at)
            facts = hold_facts(
                load_events(uow, row.id),
                at=at,
                facility=facility_fact(uow, row.facility_id),
                agreement=agreement,
                release_standard=standard,
            )
            decision = hold_status(facts, at=at)
            assert (row.status, row.allowed, row.rule_ids.split()) == (
                decision.status,
                decision.allowed,
                list(decision.rule_ids),
            )
            assert row.binding_deadline_at == (decision.binding_deadline.due if decision.binding_deadline else None)
            assert row.decision == decision.to_dict()
        return len(rows)


def test_every_event_appended_by_the_holds_area_is_in_the_catalog(store: Store, jail: Jail) -> None:
    _served_hold(store, jail, number="C-1", release=RELEASE)
    with store.unit_of_work() as uow:
        s.set_release_standard(
            uow,
            actor=jail.coordinator,
            now=RELEASE,
            command=c.SetReleaseStandard(
                agency_id=jail.county.agency_id, minutes=10, source="Policy 7.12", effective_at=RELEASE
            ),
        )
        uow.commit()
    with store.unit_of_work() as uow:
        rows = [
            (r.stream, r.type, r.data)
            for r in uow.session.scalars(
                select(LedgerEvent).where(
                    LedgerEvent.stream.like("hold:%")
                    | LedgerEvent.stream.like("%release-standard")
                    | LedgerEvent.stream.like("facility:%")
                )
            )
        ]
    assert rows and {kind for _, kind, _ in rows} <= set(AREA_CATALOG)
    assert "release_standard_recorded" in {kind for _, kind, _ in rows}
    for stream, kind, data in rows:
        if stream.startswith("hold:"):
            parse_event(kind, data)  # every payload parses back into its typed event


def test_an_unknown_event_type_is_never_appended_or_folded() -> None:
    with pytest.raises(UnknownEventType):
        parse_event("warrant_torn_up", {"at": "2026-06-10T09:00:00-04:00"})


def test_the_worker_finds_due_holds_and_refresh_hold_moves_them_past_the_deadline(store: Store, jail: Jail) -> None:
    from wso.holds.decide import due_hold_ids, refresh_hold

    hold_id = _served_hold(store, jail, number="W-1", release=RELEASE)
    run(
        store,
        s.notify_ice,
        actor=jail.clerk,
        hold_id=hold_id,
        now=RELEASE + timedelta(minutes=5),
        command=c.NotifyIce(how="phone", to="ERO duty officer"),
    )
    deadline = RELEASE + timedelta(hours=48)
    with store.unit_of_work() as uow:
        assert due_hold_ids(uow, now=deadline - timedelta(minutes=1)) == []
        assert due_hold_ids(uow, now=deadline) == [hold_id]
        row = refresh_hold(uow, hold_id=hold_id, now=deadline + timedelta(seconds=1))
        assert row.status == "release_required" and row.flag_past_deadline
        uow.commit()
    with store.unit_of_work() as uow:
        # the release_now action's due instant has passed: nothing more comes due by time alone
        assert uow.session.get(t.Hold, hold_id).next_due_at is None


def test_D3_no_hold_event_or_command_field_holds_a_forbidden_attribute() -> None:
    from pydantic import BaseModel

    from tests.integration.test_privacy_D3 import FORBIDDEN_WORDS
    from wso.holds import commands

    models = [*AREA_CATALOG.values()] + [
        m for m in vars(commands).values() if isinstance(m, type) and issubclass(m, BaseModel)
    ]
    offending = [
        f"{m.__name__}.{name}"
        for m in models
        for name in m.model_fields
        if any(word in name.lower() for word in FORBIDDEN_WORDS)
    ]
    assert len(models) > 20 and offending == []
