"""Complaints through the services: C1/C2 clocks in the facility's zone, C3, C5, what is due."""

from __future__ import annotations

import pytest

from tests.integration.records_support import County, later, make_county, nominate
from wso.complaints import service as complaints
from wso.due import service as due
from wso.services.errors import InvalidInput
from wso.store.uow import Store


def test_C1_a_complaint_about_an_officer_opens_the_ICE_notification_clock(store: Store, county: County) -> None:
    oid = nominate(store, county)
    # Friday 2026-03-06 14:00 UTC: the clock skips the weekend (the rules decide how).
    friday = later(4)
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow,
            actor=county.clerk,
            at=friday,
            received_at=friday,
            source="inmate",
            summary="Rough handling",
            officer_id=oid,
            facility_id=county.facility_id,
        )
    notify = [d for d in view.deadlines.deadlines if d.name == "ice_notification"][0]
    assert notify.rule == "C1" and notify.due.weekday() == 1  # Friday + 48 h excluding Sat/Sun = Tuesday
    assert view.subject_name == "Officer A. Rivera" and view.about_designated_officer
    with store.unit_of_work() as uow:
        done = complaints.notify_ice_of_complaint(
            uow,
            actor=county.coordinator,
            at=later(5),
            complaint_id=view.id,
            notified_at=later(5),
            notified_to="ICE duty officer",
        )
    assert done.deadlines.allowed
    assert not any(a.name == "notify_ice" for a in done.deadlines.actions)


def test_C2_a_complaint_about_non_designated_personnel(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow,
            actor=county.clerk,
            at=later(3),
            received_at=later(3),
            source="public",
            summary="Asked about status",
            agreement_id=county.agreement_id,
            subject_name="Deputy K. Moss",
        )
    assert not view.about_designated_officer
    assert "C2" in view.deadlines.rule_ids


def test_C3_resolution_target_and_a_late_resolution_is_shown_late(store: Store) -> None:
    county = make_county(store, template="MOA-2019")  # the 90-day target exists only in MOA-2019 (issue 10, item 8)
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow, actor=county.clerk, at=later(3), received_at=later(3), source="officer", summary="x", officer_id=oid
        )
    target = [d for d in view.deadlines.deadlines if d.name == "resolution"][0].due
    with store.unit_of_work() as uow:
        complaints.record_investigation_result(
            uow,
            actor=county.coordinator,
            at=later(200),
            complaint_id=view.id,
            result="Unfounded",
            reported_at=later(200),
        )
    with store.unit_of_work() as uow:
        late = complaints.resolve_complaint(
            uow,
            actor=county.coordinator,
            at=later(200),
            complaint_id=view.id,
            resolution="Closed",
            resolved_at=later(200),
        )
    assert later(200) > target
    assert late.deadlines.status == "resolved_overdue" and "C3" in late.deadlines.rule_ids
    # C3 is a should (a departure); the C1 notice never sent is the only violation.
    assert [r.rule for r in late.deadlines.departures] == ["C3"] and [r.rule for r in late.deadlines.violations] == [
        "C1"
    ]


def test_C3_a_2025_complaint_has_no_resolution_target(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow, actor=county.clerk, at=later(3), received_at=later(3), source="officer", summary="x", officer_id=oid
        )
    assert "resolution" not in {d.name for d in view.deadlines.deadlines} and "C3" in view.deadlines.rule_ids


def test_C5_an_unknown_source_is_refused(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
        complaints.receive_complaint(
            uow,
            actor=county.clerk,
            at=later(3),
            received_at=later(3),
            source="rumour",
            summary="x",
            agreement_id=county.agreement_id,
            subject_name="Someone",
        )
    assert exc.value.field == "source"


def test_what_is_due_is_ordered_by_deadline(store: Store) -> None:
    county = make_county(store, template="MOA-2019")
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        complaints.receive_complaint(
            uow, actor=county.clerk, at=later(3), received_at=later(3), source="inmate", summary="x", officer_id=oid
        )
    with store.unit_of_work() as uow:
        items = due.what_is_due(uow, actor=county.coordinator, agency_id=county.agency_id, at=later(4))
    dated = [i.due for i in items if i.due is not None]
    assert dated == sorted(dated) and len(dated) >= 3
    assert {"C1", "C3", "A6"} <= {i.rule for i in items}
    assert items[0].rule == "C1" and items[0].entity == "complaint"
