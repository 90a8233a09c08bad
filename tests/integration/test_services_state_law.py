"""A8 through the services (issue 10, item 10): judged on the later signature's local day, re-judged
when a law's date arrives, and a law that requires an agreement on the coordinator's what-is-due list.
Each test runs on SQLite and PostgreSQL (the `database_url` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.records_support import SYSTEM
from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.due.service import what_is_due
from wso.services.permissions import Actor
from wso.store.uow import Store

UTC = UTC


def _agency(store: Store, *, name: str, state: str, tz: str, jail: bool = True) -> str:
    with store.unit_of_work() as uow:
        view = agencies.create_agency(
            uow,
            actor=SYSTEM,
            at=datetime(2025, 1, 2, tzinfo=UTC),
            name=name,
            state=state,
            timezone=tz,
            facility_name=f"{name} Jail" if jail else None,
        )
    return view.id


def _signed(store: Store, agency_id: str, *, created: datetime, lea: datetime, ice: datetime) -> str:
    with store.unit_of_work() as uow:
        agreement = agreements.create_agreement(
            uow, actor=SYSTEM, at=created, agency_id=agency_id, model="WSO", template="MOA-2025"
        )
    with store.unit_of_work() as uow:
        agreements.record_signature(uow, actor=SYSTEM, at=lea, agreement_id=agreement.id, party="LEA", signed_at=lea)
    with store.unit_of_work() as uow:
        agreements.record_signature(uow, actor=SYSTEM, at=ice, agreement_id=agreement.id, party="ICE", signed_at=ice)
    return agreement.id


def _view(store: Store, agreement_id: str, at: datetime):  # noqa: ANN202
    with store.unit_of_work() as uow:
        return agreements.agreement_view(uow, actor=SYSTEM, agreement_id=agreement_id, at=at)


def test_A8_judged_on_the_later_signatures_local_day_not_the_utc_day_of_creation(store: Store) -> None:
    # Maryland's law is in force from 2026-02-18. ICE signs at 22:30 on the 17th in Baltimore, which is
    # already the 18th in UTC: the signing day is the 17th, so signing is not flagged.
    agency = _agency(store, name="Chesapeake County Sheriff's Office", state="MD", tz="America/New_York")
    evening = datetime(2026, 2, 18, 3, 30, tzinfo=UTC)  # 2026-02-17 22:30 EST
    agreement = _signed(
        store,
        agency,
        created=datetime(2026, 2, 10, 15, tzinfo=UTC),
        lea=datetime(2026, 2, 12, 15, tzinfo=UTC),
        ice=evening,
    )
    at_signing = _view(store, agreement, evening)
    assert at_signing.state_law["values"]["signed_on"] == "2026-02-17" and at_signing.state_law_status == "silent"
    # One minute after local midnight the same agreement signed then would be flagged.
    other = _agency(store, name="Tidewater County Sheriff's Office", state="MD", tz="America/New_York")
    after_midnight = datetime(2026, 2, 18, 5, 1, tzinfo=UTC)  # 2026-02-18 00:01 EST
    flagged = _view(
        store,
        _signed(
            store,
            other,
            created=datetime(2026, 2, 10, 15, tzinfo=UTC),
            lea=datetime(2026, 2, 12, 15, tzinfo=UTC),
            ice=after_midnight,
        ),
        after_midnight,
    )
    assert flagged.state_law_status == "forbids" and flagged.state_law["values"]["law_ids"] == ["MD-2026"]


def test_A8_re_judged_when_a_law_takes_effect_for_an_agreement_in_force(store: Store) -> None:
    # Signed in 2025 in Maryland: silent then; read on 2026-02-18 the law in force flags it, citing it.
    agency = _agency(store, name="Allegheny Ridge Sheriff's Office", state="MD", tz="America/New_York")
    agreement = _signed(
        store,
        agency,
        created=datetime(2025, 5, 1, 15, tzinfo=UTC),
        lea=datetime(2025, 5, 2, 15, tzinfo=UTC),
        ice=datetime(2025, 5, 5, 15, tzinfo=UTC),
    )
    before = _view(store, agreement, datetime(2026, 2, 17, 12, tzinfo=UTC))
    after = _view(store, agreement, datetime(2026, 2, 18, 12, tzinfo=UTC))
    assert before.state_law_status == "silent" and before.state_law["allowed"] is True
    assert after.state_law_status == "forbids" and after.state_law["allowed"] is False
    assert any("Since signing" in r["text"] and r["rule"] == "A8" for r in after.state_law["reasons"])


def test_A8_texas_sb8_puts_an_agency_with_a_jail_and_no_agreement_on_the_due_list(store: Store) -> None:
    agency = _agency(store, name="Pecos Plains Sheriff's Office", state="TX", tz="America/Chicago")
    coordinator = Actor(user_id=None, username="coord", role="coordinator", agency_id=agency)

    def due(at: datetime) -> list:
        with store.unit_of_work() as uow:
            return [i for i in what_is_due(uow, actor=coordinator, agency_id=agency, at=at) if i.rule == "A8"]

    assert due(datetime(2025, 12, 31, 12, tzinfo=UTC)) == []  # SB 8 not yet in force
    pending = due(datetime(2026, 11, 30, 12, tzinfo=UTC))
    assert len(pending) == 1 and not pending[0].overdue and pending[0].entity == "agency"
    assert pending[0].due == datetime(2026, 12, 1, 6, tzinfo=UTC)  # local midnight in Chicago (CST)
    late = due(datetime(2026, 12, 1, 6, 1, tzinfo=UTC))
    assert len(late) == 1 and late[0].overdue
    # With a WSO agreement in force, nothing is due.
    _signed(
        store,
        agency,
        created=datetime(2026, 3, 1, 15, tzinfo=UTC),
        lea=datetime(2026, 3, 2, 15, tzinfo=UTC),
        ice=datetime(2026, 3, 3, 15, tzinfo=UTC),
    )
    assert due(datetime(2026, 12, 2, 12, tzinfo=UTC)) == []


def test_A8_an_agency_without_a_jail_is_not_flagged_by_a_law_for_jail_operators(store: Store) -> None:
    agency = _agency(store, name="Llano Constable Office", state="TX", tz="America/Chicago", jail=False)
    coordinator = Actor(user_id=None, username="coord", role="coordinator", agency_id=agency)
    with store.unit_of_work() as uow:
        assert [
            i
            for i in what_is_due(uow, actor=coordinator, agency_id=agency, at=datetime(2026, 12, 2, tzinfo=UTC))
            if i.rule == "A8"
        ] == []
