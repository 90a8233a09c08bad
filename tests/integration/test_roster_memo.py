"""The roster's facts remembered by their ledger stream's head hash (wso.services.memo, issue 11 item 6).

A warm roster reads no child table and costs the same statements for 8 and 80 officers; every kind of change
to an officer or its agreement moves a stream's head, so the next roster shows it (the memo misses), exactly
as one computed with the memo cleared; two databases in one process never share entries. SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.conftest import MigratedTemplates
from tests.integration.records_support import County, authorize, later, make_county, nominate
from tests.integration.web_support import World, sign_in
from wso.agreements import service as agreements
from wso.demo.crowd import add_officers
from wso.officers import service as officers
from wso.officers.views import OfficerRowView
from wso.services.memo import memo_of
from wso.store import tables
from wso.store.uow import Store

CHILD_TABLES = ("exam_attempts", "withdrawals", "credentials", "trainings", "required_trainings", "notices", "meetings")
_CHILD = re.compile(r"\bFROM (" + "|".join(CHILD_TABLES) + r")\b", re.IGNORECASE)
DECISIONS = ("nomination", "exam", "authorization", "credentials_status", "training")


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def children_read(statements: list[str]) -> list[str]:
    return [s for s in statements if _CHILD.search(s)]


def roster(store: Store, county: County, at: datetime) -> list[OfficerRowView]:
    with store.unit_of_work() as uow:
        return officers.roster_rows(uow, actor=county.coordinator, agency_id=county.agency_id, at=at)


def counted_roster(store: Store, county: County, at: datetime) -> list[str]:
    with counting(store.engine) as statements:
        roster(store, county, at)
    return statements


# ---- a warm roster reads no child table -----------------------------------------------------------


def test_a_warm_roster_reads_no_child_table_and_costs_the_same_for_8_and_80(store: Store, county: County) -> None:
    now = datetime.now(UTC)
    memo = memo_of(store.engine)
    add_officers(store, agreement_id=county.agreement_id, count=8, at=now)
    roster(store, county, now)  # the read log's first row ever looks up its chain's start
    counts = {}
    for size in (8, 80):
        if size == 80:
            add_officers(store, agreement_id=county.agreement_id, count=72, at=now, first=8)
        memo.clear()
        cold = counted_roster(store, county, now)
        warm = counted_roster(store, county, now)
        assert len(children_read(cold)) == len(CHILD_TABLES), children_read(cold)  # one query per child table
        assert children_read(warm) == [], children_read(warm)
        counts[size] = (len(cold), len(warm))
    assert counts[8] == counts[80], counts
    cold, warm = counts[80]
    assert cold - warm == len(CHILD_TABLES)


def test_the_api_roster_and_the_roster_page_warm_read_no_child_table(
    client: TestClient, world: World, database_url: str
) -> None:
    store = Store(database_url)
    try:
        add_officers(store, agreement_id=world.agreement["a"], count=8, at=datetime.now(UTC))
    finally:
        store.dispose()
    sign_in(client, world, "coord_a")
    agency = world.agency["a"]
    # The page links to the agency's agreements without deciding them (agreement_links: no child table either).
    for path in (f"/api/v1/agencies/{agency}/officers", f"/agencies/{agency}/officers"):
        headers = world.headers("coord_a") if path.startswith("/api/") else {}
        memo_of(world.app.state.engine).clear()
        with counting(world.app.state.engine) as cold:
            assert client.get(path, headers=headers).status_code == 200
        with counting(world.app.state.engine) as warm:
            response = client.get(path, headers=headers)
        assert response.status_code == 200, response.text[:300]
        assert len(children_read(cold)) == len(CHILD_TABLES), (path, children_read(cold))
        assert children_read(warm) == [], (path, children_read(warm))
    assert f'href="/agreements/{world.agreement["a"]}"' in response.text  # the page still links its agreements


# ---- every change moves a head: the next roster shows it ------------------------------------------


@dataclass
class Case:
    """A change recorded through a service between two roster reads; `setup` runs before the first read."""

    change: Callable[[Store, County, str, dict[str, Any]], None]
    setup: Callable[[Store, County, str, dict[str, Any]], None] = lambda *_: None
    authorized: bool = True  # the officer is authorized (O4) before the setup
    bystanders: bool = True  # the change leaves the other officer's stream alone (A4 revokes every officer)
    read_at: datetime = field(default_factory=lambda: later(50))


def run(store: Store, service: Callable[..., Any], **kwargs: Any) -> Any:
    with store.unit_of_work() as uow:
        return service(uow, at=kwargs.pop("at", later(20)), **kwargs)


def _officer(service: Callable[..., Any], **fixed: Any) -> Callable[[Store, County, str, dict[str, Any]], Any]:
    def act(store: Store, county: County, oid: str, ctx: dict[str, Any]) -> Any:
        values = {k: (v(ctx) if callable(v) else v) for k, v in fixed.items()}
        return run(store, service, actor=county.coordinator, officer_id=oid, **values)

    return act


def _withdrawal(service: Callable[..., Any], key: str) -> Callable[[Store, County, str, dict[str, Any]], None]:
    """A withdrawal or a suspension (both withdrawal rows), its id kept under `key` for a later void or lift."""

    def act(store: Store, county: County, oid: str, ctx: dict[str, Any]) -> None:
        view = run(
            store, service, actor=county.coordinator, officer_id=oid, notice_at=later(20), effective_at=later(20)
        )
        ctx[key] = view.withdrawals[-1].id

    return act


_withdraw = _withdrawal(officers.withdraw_authorization, "withdrawal")
_suspend = _withdrawal(officers.suspend_officer, "suspension")


def _two_failures(store: Store, county: County, oid: str, ctx: dict[str, Any]) -> None:
    for day, score in ((15, 50), (16, 60)):
        view = run(
            store, officers.record_exam_attempt, actor=county.coordinator, officer_id=oid, at=later(day),
            taken_at=later(day), score_percent=score,
        )  # fmt: skip
    ctx["attempt"] = view.exam_attempts[-1].id


def _exam_passed(store: Store, county: County, oid: str, ctx: dict[str, Any]) -> None:
    run(
        store, officers.record_exam_attempt, actor=county.coordinator, officer_id=oid, at=later(15),
        taken_at=later(15), score_percent=85,
    )  # fmt: skip


def _documents(store: Store, county: County, oid: str, ctx: dict[str, Any]) -> None:
    _exam_passed(store, county, oid, ctx)
    for service in (officers.record_authorization_letter, officers.record_form_70_006):
        run(store, service, actor=county.coordinator, officer_id=oid, at=later(16), signed_at=later(16))


def _agreement(service: Callable[..., Any], **fixed: Any) -> Callable[[Store, County, str, dict[str, Any]], Any]:
    def act(store: Store, county: County, oid: str, ctx: dict[str, Any]) -> Any:
        values = {k: (v(ctx) if callable(v) else v) for k, v in fixed.items()}
        view = run(store, service, actor=county.coordinator, agreement_id=county.agreement_id, **values)
        ctx["notice"] = view.notices[-1].id if view.notices else None

    return act


_SUSPEND_AGREEMENT = _agreement(
    agreements.record_notice, kind="suspension", by="ICE", received_at=later(20), exigent_effective_at=later(20),
    exigent_reason="investigation",
)  # fmt: skip

CASES = {
    "exam attempt": Case(authorized=False, change=_exam_passed),
    "exam attempt voided": Case(
        authorized=False,
        setup=_two_failures,
        change=_officer(
            officers.void_officer_entry, entry="exam_attempt", entry_id=lambda c: c["attempt"], reason="wrong candidate"
        ),
    ),
    "background check failed": Case(
        change=_officer(officers.record_background_check, status="failed"), authorized=False
    ),
    "letter": Case(
        authorized=False, setup=_exam_passed, change=_officer(officers.record_authorization_letter, signed_at=later(20))
    ),
    "credentials issued": Case(
        authorized=False, setup=_documents, change=_officer(officers.issue_credentials, issued_at=later(20))
    ),
    "credentials return requested": Case(change=_officer(officers.request_credentials_return, requested_at=later(20))),
    "credentials returned": Case(
        setup=_officer(officers.request_credentials_return, requested_at=later(20)),
        change=_officer(officers.return_credentials, at=later(21), returned_at=later(21)),
    ),
    "withdrawal": Case(change=_withdraw),
    "withdrawal voided": Case(
        setup=_withdraw,
        change=_officer(
            officers.void_officer_entry,
            at=later(21),
            entry="withdrawal",
            entry_id=lambda c: c["withdrawal"],
            reason="entered on the wrong officer",
        ),
    ),  # fmt: skip
    "suspension": Case(change=_suspend),
    "suspension lifted": Case(
        setup=_suspend,
        change=_officer(
            officers.lift_officer_suspension, at=later(21), suspension_id=lambda c: c["suspension"], ended_at=later(21)
        ),
    ),
    "training required": Case(change=_officer(officers.require_training, name="Refresher", due_at=later(30))),
    "training completed": Case(
        setup=_officer(officers.require_training, name="Refresher", due_at=later(30)),
        change=_officer(officers.record_training, at=later(25), name="Refresher", completed_at=later(25)),
    ),
    "departure": Case(change=_officer(officers.record_departure_notice, notice_at=later(20), departure_at=later(30))),
    "agreement terminated (A4)": Case(
        bystanders=False,
        change=_agreement(
            agreements.record_notice,
            kind="termination",
            by="LEA",
            received_at=later(20),
            exigent_effective_at=later(21),
            exigent_reason="Jail evacuated after flood",
        ),
    ),  # fmt: skip
    "agreement suspended": Case(change=_SUSPEND_AGREEMENT),
    "agreement suspension lifted": Case(
        setup=_SUSPEND_AGREEMENT,
        change=_agreement(
            agreements.lift_suspension, at=later(21), notice_id=lambda c: c["notice"], lifted_at=later(21)
        ),
    ),
}


def decisions(rows: list[OfficerRowView]) -> list[tuple[Any, ...]]:
    return [(row.id, *(getattr(row, name) for name in DECISIONS)) for row in rows]


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_the_next_roster_after_a_change_shows_it_as_one_computed_afresh(
    store: Store, county: County, case: Case
) -> None:
    oid = nominate(store, county)
    bystander = nominate(store, county, "Officer B. Unchanged")
    run(
        store, officers.record_background_check, actor=county.coordinator, at=later(3), officer_id=oid, status="cleared"
    )
    if case.authorized:
        authorize(store, county, oid)
    ctx: dict[str, Any] = {}
    case.setup(store, county, oid, ctx)
    memo = memo_of(store.engine)
    memo.clear()
    before = roster(store, county, case.read_at)
    case.change(store, county, oid, ctx)
    hits = memo.hits
    after = roster(store, county, case.read_at)  # the memo holds every fact of `before`
    if case.bystanders:
        assert memo.hits > hits  # the other officer's facts were remembered
    memo.clear()
    afresh = roster(store, county, case.read_at)
    assert after == afresh
    assert decisions(after) != decisions(before), "the change should change a decision"
    assert [row.id for row in after] == [row.id for row in before] and bystander in {row.id for row in after}


# ---- two databases in one process -----------------------------------------------------------------


@pytest.fixture
def other_database_url(database_kind: str, migrated_templates: MigratedTemplates, tmp_path: Path) -> Iterator[str]:
    """A second migrated database of the same kind as `database_url`."""
    with migrated_templates.database(database_kind, tmp_path / "other.sqlite3") as url:
        yield url


def test_two_databases_in_one_process_never_share_entries(
    store: Store, county: County, other_database_url: str
) -> None:
    other = Store(other_database_url)
    try:
        other_county = make_county(other, name="Other County Sheriff's Office")
        now = datetime.now(UTC)
        add_officers(store, agreement_id=county.agreement_id, count=4, at=now)
        add_officers(other, agreement_id=other_county.agreement_id, count=4, at=now)
        mine, theirs = memo_of(store.engine), memo_of(other.engine)
        assert mine is not theirs
        mine.clear()
        theirs.clear()
        roster(store, county, now)
        assert len(mine) == 4 + 1 and len(theirs) == 0  # four officers and their agreement, in this database's memo
        statements = counted_roster(other, other_county, now)  # the other database is cold all the same
        assert len(children_read(statements)) == len(CHILD_TABLES)
        assert len(mine) == len(theirs) == 5
        mine.clear()
        assert len(theirs) == 5
        assert children_read(counted_roster(other, other_county, now)) == []
    finally:
        other.dispose()


def test_a_row_read_earlier_in_the_same_unit_of_work_is_never_remembered_under_a_newer_head(
    store: Store, county: County
) -> None:
    """The list's rows are read in the statement that reads their heads: an officer or agreement the unit of
    work already held from an earlier statement is refreshed by it, never paired with a head written after."""
    oid = nominate(store, county)
    authorize(store, county, oid)
    memo_of(store.engine).clear()
    with store.unit_of_work() as uow:
        held = (uow.session.get(tables.Officer, oid), uow.session.get(tables.Agreement, county.agreement_id))
        run(
            store, officers.record_departure_notice, actor=county.coordinator, officer_id=oid,
            notice_at=later(20), departure_at=later(30),
        )  # fmt: skip
        _SUSPEND_AGREEMENT(store, county, oid, {})  # both streams move while the rows are held
        officers.roster_rows(uow, actor=county.coordinator, agency_id=county.agency_id, at=later(50))
        assert all(row is not None for row in held)
    remembered = roster(store, county, later(50))
    memo_of(store.engine).clear()
    assert remembered == roster(store, county, later(50))
