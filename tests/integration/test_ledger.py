"""The ledger: chains per stream, tamper detection by `wso ledger verify`, PostgreSQL's refusal."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.integration.records_support import SYSTEM, County, later, nominate
from wso.agreements import service as agreements
from wso.cli.main import app
from wso.services import ledger as ledger_service
from wso.services.errors import ConcurrencyError
from wso.store import tables
from wso.store.ledger import LedgerEvent, stream_events
from wso.store.uow import Store

runner = CliRunner()


def raw(store: Store, sql: str, **params: object) -> None:
    """Edit the database by hand, as an attacker with write access would (bypassing services)."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE ledger_events DISABLE TRIGGER USER"))
        conn.execute(text(sql), params)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE ledger_events ENABLE TRIGGER USER"))


def verify_cli(database_url: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ledger", "verify", "--database", database_url])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_an_untouched_ledger_verifies(store: Store, county: County, database_url: str) -> None:
    nominate(store, county)
    code, output = verify_cli(database_url)
    assert code == 0, output
    assert "ledger intact" in output


@pytest.mark.parametrize(
    ("column", "value"),
    [("payload", '{"name":"Someone Else"}'), ("actor", "intruder (admin)"), ("type", "officer.deleted")],
)
def test_editing_any_field_of_an_event_is_caught(
    store: Store, county: County, database_url: str, column: str, value: str
) -> None:
    officer_id = nominate(store, county)
    raw(
        store,
        f"UPDATE ledger_events SET {column} = :v WHERE stream = :s AND seq = 1",
        v=value,
        s=f"officer:{officer_id}",
    )
    code, output = verify_cli(database_url)
    assert code == 1
    assert f"officer:{officer_id}" in output and "seq 1" in output


def test_rewriting_an_event_and_its_hash_breaks_the_next_link(store: Store, county: County, database_url: str) -> None:
    # The agreement stream has created, LEA signed, ICE signed: rewrite the first and re-hash it.
    with store.unit_of_work() as uow:
        report = ledger_service.verify_ledger(uow, actor=SYSTEM)
    assert report.ok
    raw(
        store,
        "UPDATE ledger_events SET hash = :h WHERE stream = :s AND seq = 1",
        h="f" * 64,
        s=f"agreement:{county.agreement_id}",
    )
    with store.unit_of_work() as uow:
        report = ledger_service.verify_ledger(uow, actor=SYSTEM)
    assert not report.ok
    assert {(b.where, b.seq) for b in report.breaks} >= {
        (f"stream agreement:{county.agreement_id}", 1),
        (f"stream agreement:{county.agreement_id}", 2),
    }
    assert report.first_break.seq == 1


def test_deleting_an_event_in_the_middle_of_a_stream_is_caught(store: Store, county: County) -> None:
    raw(store, "DELETE FROM ledger_events WHERE stream = :s AND seq = 2", s=f"agreement:{county.agreement_id}")
    with store.unit_of_work() as uow:
        report = ledger_service.verify_ledger(uow, actor=SYSTEM)
    assert not report.ok and report.first_break.seq == 3 and "missing" in report.first_break.what


def test_a_checkpoint_catches_a_whole_stream_deleted(store: Store, county: County, database_url: str) -> None:
    officer_id = nominate(store, county)
    result = runner.invoke(app, ["ledger", "checkpoint", "--database", database_url])
    assert result.exit_code == 0, result.output
    raw(store, "DELETE FROM ledger_events WHERE stream = :s", s=f"officer:{officer_id}")
    code, output = verify_cli(database_url)
    assert code == 1
    assert "checkpoint" in output and "Merkle root" in output


def test_checkpoints_chain_and_verify(store: Store, county: County) -> None:
    for day in (1, 2):
        with store.unit_of_work() as uow:
            ledger_service.checkpoint_ledger(uow, actor=SYSTEM, at=later(day))
        nominate(store, county, f"Officer {day}")
    with store.unit_of_work() as uow:
        report = ledger_service.verify_ledger(uow, actor=SYSTEM)
    assert report.ok and report.checkpoints == 3  # the genesis checkpoint (first key registration) and these two


@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
@pytest.mark.parametrize(
    "statement", ["UPDATE ledger_events SET actor = 'x'", "DELETE FROM ledger_events", "TRUNCATE ledger_events"]
)
def test_postgresql_refuses_to_change_the_ledger(store: Store, county: County, statement: str) -> None:
    """The append-only trigger exists on PostgreSQL only, so this runs there alone."""
    assert store.engine.dialect.name == "postgresql"
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.unit_of_work() as uow:
        assert ledger_service.verify_ledger(uow, actor=SYSTEM).ok


def test_two_writers_racing_on_the_same_stream_cannot_both_append_the_same_seq(store: Store, county: County) -> None:
    """Two units of work, in two threads, both load the agreement and compute the same next seq
    (stream, seq) before either writes or commits; then both flush and commit. Exactly one wins; the
    other gets ConcurrencyError (the unique (stream, seq) or the version check), never a fork."""
    stream = f"agreement:{county.agreement_id}"
    with store.unit_of_work() as uow:
        head = len(stream_events(uow.session, stream))
    both_ready = threading.Barrier(2, timeout=30)
    seqs: list[int] = []
    outcomes: list[str] = []

    def writer(held_at_days: int) -> None:
        flushed: list[bool] = []

        def before_first_write(session: Session, *_: object) -> None:
            # Called at the first flush, after the service loaded the agreement and appended its event
            # (seq computed from the head it read) and before anything reached the database.
            if flushed:
                return
            flushed.append(True)
            seqs.extend(e.seq for e in session.new if isinstance(e, LedgerEvent))
            both_ready.wait()

        try:
            # The unit of work turns the losing flush's IntegrityError into ConcurrencyError on exit.
            with store.unit_of_work() as uow:
                event.listen(uow.session, "before_flush", before_first_write)
                agreements.record_meeting(
                    uow,
                    actor=county.coordinator,
                    at=later(5),
                    agreement_id=county.agreement_id,
                    held_at=later(held_at_days),
                )
            outcomes.append("committed")
        except ConcurrencyError:
            outcomes.append("conflict")
        except Exception as exc:  # anything else (a lock timeout, a fork) is shown in the failure
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(days,)) for days in (4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert seqs == [head + 1, head + 1], "both writers computed the same next seq before either wrote"
    assert sorted(outcomes) == ["committed", "conflict"]
    with store.unit_of_work() as uow:
        events = stream_events(uow.session, stream)
        meetings = uow.session.scalars(select(tables.Meeting).where(tables.Meeting.agreement_id == county.agreement_id))
        assert [e.seq for e in events] == list(range(1, head + 2))
        assert len(list(meetings)) == 1  # the loser's meeting row was rolled back with its event
        assert ledger_service.verify_ledger(uow, actor=SYSTEM).ok
