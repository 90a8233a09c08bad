"""`wso ledger verify` over the holds area (issue 14 item 1, issue 12): the hold, facility and
release-standard streams are replayed into `holds`, `detention_agreements` and `release_standards`, and
each hold's stored decision is recomputed at its `decided_at` (src/wso/holds/folds.py). SQLite and
PostgreSQL through the `database_url` fixture."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.holds_support import Jail, book, i200, make_jail, ny, run
from tests.integration.security_support import raw, wso
from wso.agencies import export as records_export
from wso.demo import load_demo
from wso.holds import commands as c
from wso.holds import service as s
from wso.holds import tables as t
from wso.store.projections import Event, replay
from wso.store.uow import Store

DEMO_AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def verify(database_url: str) -> tuple[int, dict, str]:
    code, output = wso("ledger", "verify", "--json", "--database", database_url)
    text = wso("ledger", "verify", "--database", database_url)[1]
    return code, json.loads(output), text


def differences(report: dict) -> set[tuple[str, str, str | None, str]]:
    return {(d["table"], d["row_id"], d["column"], d["what"]) for d in report["differences"]}


def demo_holds(store: Store) -> dict[str, t.Hold]:
    """The demo's holds by status (one of each is enough here)."""
    with store.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(t.Hold).order_by(t.Hold.booking_number)))
        uow.session.expunge_all()
    by_status: dict[str, t.Hold] = {}
    for row in rows:
        by_status.setdefault(row.status, row)
    return by_status


@pytest.fixture
def demo(store: Store, database_url: str) -> dict[str, t.Hold]:
    load_demo(store, at=DEMO_AT)
    return demo_holds(store)


def test_item1_the_demo_with_holds_igsa_and_release_standard_verifies_clean(
    demo: dict[str, t.Hold], database_url: str
) -> None:
    code, report, text = verify(database_url)
    assert code == 0 and report["differences"] == [] and report["breaks"] == [], text
    assert "no projection is registered" not in text
    assert {"held_for_ice", "release_required", "transferred", "released", "igsa_detention"} <= set(demo)


def test_item1_a_deleted_hold_row_is_missing(store: Store, demo: dict[str, t.Hold], database_url: str) -> None:
    hold = demo["held_for_ice"]
    raw(store, "DELETE FROM holds WHERE id = :h", h=hold.id)
    code, report, text = verify(database_url)
    assert code == 1, text
    assert differences(report) == {("holds", hold.id, None, "missing")}
    assert f"holds row {hold.id} is missing (the ledger records it)" in text


def test_item1_an_edited_scheduled_release_is_named(store: Store, demo: dict[str, t.Hold], database_url: str) -> None:
    hold = demo["in_criminal_custody"]
    forged = hold.scheduled_release_at + timedelta(days=30)
    raw(store, "UPDATE holds SET scheduled_release_at = :r WHERE id = :h", r=forged, h=hold.id)
    code, report, text = verify(database_url)
    assert code == 1, text
    assert differences(report) == {("holds", hold.id, "scheduled_release_at", "differs")}
    expected = hold.scheduled_release_at.astimezone(UTC).isoformat()
    assert f"holds row {hold.id} column scheduled_release_at: expected '{expected}'" in text


def test_item1_an_edited_status_and_binding_deadline_are_named(
    store: Store, demo: dict[str, t.Hold], database_url: str
) -> None:
    """What the attack buys: a person past the deadline shown as lawfully held, or a later deadline."""
    late, held = demo["release_required"], demo["held_for_ice"]
    raw(store, "UPDATE holds SET status = 'held_for_ice', flag_past_deadline = :f WHERE id = :h", f=False, h=late.id)
    moved = held.binding_deadline_at + timedelta(hours=24)
    raw(store, "UPDATE holds SET binding_deadline_at = :d WHERE id = :h", d=moved, h=held.id)
    code, report, text = verify(database_url)
    assert code == 1, text
    assert differences(report) == {
        ("holds", late.id, "status", "differs"),
        ("holds", late.id, "flag_past_deadline", "differs"),
        ("holds", held.id, "binding_deadline_at", "differs"),
    }
    assert f"holds row {late.id} column status: expected 'release_required', found 'held_for_ice'" in text


def test_item1_a_forged_decided_at_must_still_give_the_stored_decision(
    store: Store, demo: dict[str, t.Hold], database_url: str
) -> None:
    """Moving `decided_at` back to before the deadline, so the stored 'held_for_ice' would look
    current, does not pass: at that instant the rules' summary differs elsewhere (its next due time)."""
    late = demo["release_required"]
    raw(store, "UPDATE holds SET status = 'held_for_ice', flag_past_deadline = :f WHERE id = :h", f=False, h=late.id)
    before = late.binding_deadline_at - timedelta(hours=1)
    raw(store, "UPDATE holds SET decided_at = :d WHERE id = :h", d=before, h=late.id)
    code, report, text = verify(database_url)
    assert code == 1, text
    assert {(table, row) for table, row, _, _ in differences(report)} == {("holds", late.id)}


def test_item1_an_edited_igsa_or_release_standard_is_named(
    store: Store, demo: dict[str, t.Hold], database_url: str
) -> None:
    with store.unit_of_work() as uow:
        igsa = uow.session.scalars(select(t.DetentionAgreement)).one()
        standard = uow.session.scalars(select(t.ReleaseStandard)).one()
        igsa_id, standard_id, minutes = igsa.id, standard.id, standard.minutes
    raw(store, "UPDATE detention_agreements SET ends_at = :e WHERE id = :i", e=DEMO_AT, i=igsa_id)
    raw(store, "UPDATE release_standards SET minutes = :m WHERE id = :i", m=minutes + 600, i=standard_id)
    code, report, text = verify(database_url)
    assert code == 1, text
    found = differences(report)
    assert {(table, column) for table, _, column, _ in found} == {
        ("detention_agreements", "ends_at"),
        ("release_standards", "minutes"),
    }
    assert all(row.startswith((igsa_id, standard_id)) for _, row, _, _ in found)
    raw(store, "DELETE FROM detention_agreements WHERE id = :i", i=igsa_id)
    raw(store, "DELETE FROM holds WHERE status = 'igsa_detention'")
    code, report, text = verify(database_url)
    assert code == 1 and "detention_agreements row" in text and "is missing" in text, text


@pytest.fixture
def jail(store: Store) -> Jail:
    return make_jail(store)


def test_item1_decisions_on_events_policy_changes_and_refreshes_verify_clean(
    store: Store, jail: Jail, database_url: str
) -> None:
    """The three ways a summary is written: on each event, on a policy record (re-deciding the active
    holds at that instant) and by the worker's refresh without an event; an export of the agency's
    records (`records.exported` on the agency's stream) is folded too."""
    release = ny(2026, 6, 10, 9)
    hold = book(store, jail, number="B-1", release=release, now=release - timedelta(days=2))
    other = book(store, jail, number="B-2", release=release + timedelta(days=5), now=release - timedelta(days=2))
    run(store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=release - timedelta(days=1))
    with store.unit_of_work() as uow:
        s.set_release_standard(
            uow,
            actor=jail.supervisor,
            now=release - timedelta(hours=20),
            command=c.SetReleaseStandard(
                agency_id=jail.county.agency_id,
                minutes=60,
                source="Jail policy 4.2",
                effective_at=release - timedelta(days=30),
            ),
        )
        s.record_detention_agreement(
            uow,
            actor=jail.supervisor,
            now=release - timedelta(hours=20),
            command=c.RecordDetentionAgreement(
                facility_id=jail.facility_id,
                kind="IGSA",
                number="IGSA-1",
                parties=["ICE", "Test County"],
                effective_at=release - timedelta(days=300),
            ),
        )
        uow.commit()
    run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=release)
    run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=release + timedelta(minutes=10),
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    after = run(
        store,
        s.refresh,
        actor=jail.supervisor,
        hold_id=hold.id,
        command=c.RefreshHold(),
        now=release + timedelta(hours=49),
    )
    assert after.status == "release_required"  # decided by time alone: no event says so
    with store.unit_of_work() as uow:
        records_export.export_agency_records(
            uow,
            actor=jail.coordinator,
            at=release + timedelta(hours=50),
            agency_id=jail.county.agency_id,
            destination="ice",
        )
    code, report, text = verify(database_url)
    assert code == 0 and report["differences"] == [], text
    raw(store, "UPDATE holds SET status = 'held_for_ice' WHERE id = :h", h=hold.id)
    raw(store, "UPDATE holds SET next_action = 'release_now' WHERE id = :h", h=other.id)
    code, report, text = verify(database_url)
    assert code == 1 and differences(report) == {
        ("holds", hold.id, "status", "differs"),
        ("holds", other.id, "next_action", "differs"),
    }, text


def test_item1_an_unknown_hold_event_type_is_unprovable() -> None:
    at = datetime(2026, 6, 1, tzinfo=UTC)
    _, problems = replay([Event(1, "hold:h-1", 1, "hold.teleported", at, "test", {})])
    assert [p.what for p in problems] == ["unprovable"]
    assert "hold.teleported" in problems[0].expected


def test_item1_an_officer_attestation_edited_in_the_table_is_named(store: Store, jail: Jail, database_url: str) -> None:
    """`inmate_conduct_attested` (migration r0003) is in `officer.nominated`'s payload and feeds O-rule
    decisions, so verify compares it too."""
    assert verify(database_url)[0] == 0
    raw(store, "UPDATE officers SET inmate_conduct_attested = :f WHERE id = :o", f=False, o=jail.officer_id)
    code, report, text = verify(database_url)
    assert code == 1 and differences(report) == {("officers", jail.officer_id, "inmate_conduct_attested", "differs")}
    assert f"officers row {jail.officer_id} column inmate_conduct_attested: expected True, found False" in text
