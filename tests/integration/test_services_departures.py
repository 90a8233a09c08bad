"""Departures' reasons through the services, on SQLite and PostgreSQL (issue 10 item 7; PROGRAM.md, Modality):
a `should` missed (A6, O7, C3) gets room for its reason, shown apart from violations; verify proves the table."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from tests.integration.records_support import County, later, make_county, nominate
from wso.complaints import service as complaints
from wso.departures import service as departures
from wso.officers import service as officers
from wso.services.errors import Forbidden, InvalidInput, NotFound
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.uow import Store
from wso.store.verify import verify_all

WHY = "The FOD's office postponed the meeting twice; rescheduled for next month."


def _record(
    store: Store, actor: Actor, *, at: datetime, entity: str, entity_id: str, rule: str, reason: str = WHY
) -> departures.DeparturesView:
    with store.unit_of_work() as uow:
        return departures.record_departure_reason(
            uow, actor=actor, at=at, entity=entity, entity_id=entity_id, rule=rule, reason=reason
        )


def test_A6_a_missed_annual_meeting_shows_no_reason_then_the_recorded_one(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        before = departures.departures_view(
            uow, actor=county.auditor, entity="agreement", entity_id=county.agreement_id, at=later(400)
        )
    missed = [d for d in before.departures if d.rule == "A6"]
    assert len(missed) == 1 and missed[0].reason is None and missed[0].due_at is not None
    assert missed[0].due_at < later(400) and before.violations == ()
    view = _record(
        store, county.coordinator, at=later(400), entity="agreement", entity_id=county.agreement_id, rule="A6"
    )
    shown = [d for d in view.departures if d.rule == "A6"][0]
    assert shown.reason == WHY and shown.recorded_by == "coord (coordinator)" and shown.due_at == missed[0].due_at
    with store.unit_of_work() as uow:
        again = departures.departures_view(
            uow, actor=county.auditor, entity="agreement", entity_id=county.agreement_id, at=later(401)
        )
    assert [d.reason for d in again.departures if d.rule == "A6"] == [WHY]
    with store.unit_of_work() as uow:
        assert verify_all(uow.session).ok


def test_A6_no_reason_without_a_current_departure(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
        departures.record_departure_reason(
            uow,
            actor=county.coordinator,
            at=later(30),
            entity="agreement",
            entity_id=county.agreement_id,
            rule="A6",
            reason=WHY,
        )
    assert exc.value.field == "rule" and "no departure" in str(exc.value)


def test_A6_the_reason_is_required_and_bounded(store: Store, county: County) -> None:
    for bad in ("   ", "x" * (departures.REASON_MAX + 1)):
        with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
            departures.record_departure_reason(
                uow,
                actor=county.coordinator,
                at=later(400),
                entity="agreement",
                entity_id=county.agreement_id,
                rule="A6",
                reason=bad,
            )
        assert exc.value.field == "reason"


def test_A6_the_auditor_cannot_record_a_reason(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        departures.record_departure_reason(
            uow,
            actor=county.auditor,
            at=later(400),
            entity="agreement",
            entity_id=county.agreement_id,
            rule="A6",
            reason=WHY,
        )


def test_A6_another_agency_s_record_is_not_found(store: Store, county: County) -> None:
    other = make_county(store, name="Other County SO")
    with store.unit_of_work() as uow, pytest.raises(NotFound):
        departures.record_departure_reason(
            uow,
            actor=other.coordinator,
            at=later(400),
            entity="agreement",
            entity_id=county.agreement_id,
            rule="A6",
            reason=WHY,
        )


def test_C1_a_must_rule_is_refused_and_C3_a_late_resolution_takes_a_reason(store: Store) -> None:
    county = make_county(store, template="MOA-2019")
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow, actor=county.clerk, at=later(3), received_at=later(3), source="officer", summary="x", officer_id=oid
        )
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
        departures.record_departure_reason(
            uow, actor=county.coordinator, at=later(200), entity="complaint", entity_id=view.id, rule="C1", reason=WHY
        )
    assert exc.value.field == "rule" and "must" in str(exc.value)
    shown = _record(
        store,
        county.coordinator,
        at=later(200),
        entity="complaint",
        entity_id=view.id,
        rule="C3",
        reason="The investigation waited on ICE OPR's interview.",
    )
    assert [(d.rule, d.reason) for d in shown.departures] == [
        ("C3", "The investigation waited on ICE OPR's interview.")
    ]
    assert "C1" in shown.violations  # the violation is listed apart, never given a reason
    with store.unit_of_work() as uow:
        assert verify_all(uow.session).ok


def test_O7_a_late_departure_notice_takes_a_reason(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        officers.record_departure_notice(
            uow, actor=county.coordinator, at=later(50), officer_id=oid, notice_at=later(50), departure_at=later(60)
        )
    shown = _record(
        store,
        county.coordinator,
        at=later(51),
        entity="officer",
        entity_id=oid,
        rule="O7",
        reason="The officer resigned for family reasons with ten days' notice.",
    )
    o7 = [d for d in shown.departures if d.rule == "O7"]
    assert len(o7) == 1 and o7[0].reason and o7[0].due_at is not None and o7[0].due_at < later(50)


def test_verify_catches_an_edited_departure_reason(store: Store, county: County) -> None:
    _record(store, county.coordinator, at=later(400), entity="agreement", entity_id=county.agreement_id, rule="A6")
    with store.unit_of_work() as uow:
        assert verify_all(uow.session).ok
        uow.session.execute(update(tables.DepartureReason).values(reason="A nicer story."))
        uow.session.commit()
    with store.unit_of_work() as uow:
        report = verify_all(uow.session)
    assert not report.ok
    assert [(d.table, d.column) for d in report.differences] == [("departure_reasons", "reason")]
