"""Issue 14, item 7: the read audit as evidence. One row per record shown, every refusal and sign-in
attempt with address and outcome; append-only on PostgreSQL; chained and covered by verify; kept
for the retention period, and a purge is itself a ledger event. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.integration.records_support import SYSTEM, County, later, make_county, nominate
from tests.integration.security_support import raw, wso
from tests.integration.web_support import World
from wso.complaints import service as complaints
from wso.officers import service as officers
from wso.services import ledger as ledger_service
from wso.services.errors import Forbidden, NotFound
from wso.store.access import record_access
from wso.store.ledger import LedgerEvent
from wso.store.tables import AccessLog
from wso.store.uow import Store


def log_rows(store: Store) -> list[AccessLog]:
    with store.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(AccessLog).order_by(AccessLog.seq)))
        uow.session.expunge_all()  # kept readable after the read-only unit of work rolls back
        return rows


def test_item7_a_roster_of_eight_officers_is_eight_rows(store: Store, county: County) -> None:
    ids = {nominate(store, county, f"Officer {n}") for n in range(8)}
    with store.unit_of_work() as uow:
        officers.officer_roster(uow, actor=county.clerk, agency_id=county.agency_id, at=later(3))
    rows = log_rows(store)
    assert {r.entity_id for r in rows} == ids and len(rows) == 8
    assert {(r.actor, r.action, r.entity, r.outcome) for r in rows} == {("clerk (clerk)", "read", "officer", "shown")}


def test_item7_a_complaint_list_is_one_row_per_complaint(store: Store, county: County) -> None:
    oid = nominate(store, county)
    for day in (3, 4):
        with store.unit_of_work() as uow:
            complaints.receive_complaint(
                uow,
                actor=county.coordinator,
                at=later(day),
                received_at=later(day),
                source="public",
                officer_id=oid,
                summary=f"Complaint {day}",
            )
    with store.unit_of_work() as uow:
        shown = complaints.list_complaints(uow, actor=county.coordinator, agency_id=county.agency_id, at=later(5))
    assert sorted(r.entity_id for r in log_rows(store)) == sorted(c.id for c in shown)


def test_item7_refusals_are_logged_with_who_and_the_outcome(store: Store, county: County) -> None:
    other = make_county(store, name="Other County Sheriff's Office")
    foreign = nominate(store, other, "Officer Elsewhere")
    with pytest.raises(NotFound), store.unit_of_work() as uow:  # the refusal leaves the unit of work
        officers.officer_view(uow, actor=county.clerk, officer_id=foreign, at=later(3))
    with pytest.raises(Forbidden), store.unit_of_work() as uow:
        officers.record_training(
            uow, actor=county.clerk, at=later(3), officer_id=foreign, name="x", completed_at=later(3)
        )
    rows = log_rows(store)
    assert [(r.actor, r.action, r.entity, r.entity_id, r.outcome) for r in rows] == [
        ("clerk (clerk)", "refused", "officer", foreign, "not_found"),
        ("clerk (clerk)", "refused", "action", "", "forbidden"),
    ]


def test_item7_record_access_for_sign_in_attempts_with_address(store: Store) -> None:
    """The call the sign-in (websec's) makes for each attempt, success or failure."""
    at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    with store.unit_of_work() as uow:
        record_access(
            uow.session,
            actor="demo-clerk",
            action="sign_in",
            entity="user",
            entity_id="demo-clerk",
            outcome="failure",
            address="203.0.113.9",
            at=at,
        )
        record_access(
            uow.session,
            actor="demo-clerk",
            action="sign_in",
            entity="user",
            entity_id="demo-clerk",
            outcome="success",
            address="203.0.113.9",
            at=at + timedelta(seconds=5),
        )
        uow.commit()
    rows = log_rows(store)
    assert [(r.seq, r.outcome, r.address, r.at) for r in rows] == [
        (1, "failure", "203.0.113.9", at),
        (2, "success", "203.0.113.9", at + timedelta(seconds=5)),
    ]
    assert rows[1].prev_hash == rows[0].hash


def test_item7_the_web_request_address_is_logged(client: TestClient, world: World, database_url: str) -> None:
    made = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers",
        headers=world.headers("coord_a"),
        json={
            "name": "Officer Addressed",
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
    )
    assert made.status_code == 201, made.text
    officer_id = made.json()["id"]
    assert client.get(f"/api/v1/officers/{officer_id}", headers=world.headers("clerk_a")).status_code == 200
    assert client.get(f"/api/v1/officers/{officer_id}", headers=world.headers("coord_b")).status_code == 404
    store = Store(database_url)
    try:
        rows = [(r.actor, r.action, r.outcome, r.address) for r in log_rows(store) if r.entity_id == officer_id]
    finally:
        store.dispose()
    assert rows == [
        ("clerk_a (clerk)", "read", "shown", "testclient"),
        ("coord_b (coordinator)", "refused", "not_found", "testclient"),
    ]


@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
@pytest.mark.parametrize(
    "statement", ["UPDATE access_log SET outcome = 'shown'", "DELETE FROM access_log", "TRUNCATE access_log"]
)
def test_item7_postgresql_keeps_the_access_log_append_only(store: Store, county: County, statement: str) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(3))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert len(log_rows(store)) == 1


def test_item7_an_edited_or_deleted_row_breaks_verify(store: Store, county: County, database_url: str) -> None:
    oid = nominate(store, county)
    for day in (3, 4, 5):
        with store.unit_of_work() as uow:
            officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(day))
    assert wso("ledger", "verify", "--database", database_url)[0] == 0
    raw(store, "UPDATE access_log SET actor = 'someone else (clerk)' WHERE seq = 2")
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1 and "access log, seq 2: hash does not match" in output
    raw(store, "DELETE FROM access_log WHERE seq = 2")
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1 and "seq 3 where 2 was expected" in output


def test_item7_a_truncated_log_tail_breaks_verify_after_a_checkpoint(
    store: Store, county: County, database_url: str
) -> None:
    oid = nominate(store, county)
    for day in (3, 4):
        with store.unit_of_work() as uow:
            officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(day))
    assert wso("ledger", "checkpoint", "--database", database_url)[0] == 0
    raw(store, "DELETE FROM access_log WHERE seq = 2")
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1 and "checkpoint 2 recorded this row's hash" in output


def test_item7_purge_refuses_rows_inside_retention_and_is_an_event(
    store: Store, county: County, database_url: str
) -> None:
    oid = nominate(store, county)
    for day in (3, 4):
        with store.unit_of_work() as uow:
            officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(day))
    now = datetime.now(UTC)
    code, output = wso("ledger", "purge-access-log", "--before", now.isoformat(), "--database", database_url)
    assert code == 2 and "retention period" in output and "before" in output
    assert len(log_rows(store)) == 2
    # A year and more later (the service takes its clock), the rows may go, and the purge is recorded.
    with store.unit_of_work() as uow:
        result = ledger_service.purge_access_log_before(
            uow, actor=SYSTEM, before=now + timedelta(days=1), now=now + timedelta(days=400)
        )
    assert result.rows == 2 and log_rows(store) == []
    with store.unit_of_work() as uow:
        officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(5))
    with store.engine.connect() as conn:
        event = conn.execute(select(LedgerEvent).where(LedgerEvent.type == "access_log.purged")).one()
    assert json.loads(event.payload)["through_seq"] == 2 and event.signature
    code, output = wso("ledger", "verify", "--json", "--database", database_url)
    report = json.loads(output)
    assert code == 0 and report["access_rows"] == 1, output  # the chain resumes after the purge


def test_item7_retention_is_a_cited_parameter() -> None:
    from wso.params import default_params

    value = default_params().at("audit.access_log_retention_days", datetime(2026, 1, 1, tzinfo=UTC))
    assert value.value >= 365 and "CJIS" in value.reference and value.confidence in ("H", "M")
