"""The read log under concurrent readers (issue 11 item 6): one unbroken chain, nothing lost.

On PostgreSQL reads are logged by the process's access writer (group commit, wso.store.access.
AccessWriter) in its own transaction, committed before `record_reads` returns; on SQLite in the
reader's transaction. Twelve threads reading at once must leave exactly their rows, chained with
no fork, and on PostgreSQL a read is in the log before the reader's own transaction ends.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from wso.store.access import AccessWriter, check_access_log, record_reads
from wso.store.tables import AccessLog
from wso.store.uow import Store

READERS, READS, IDS = 12, 5, 20


def test_concurrent_reads_leave_one_unbroken_chain_with_every_row(store: Store) -> None:
    at = datetime.now(UTC)
    errors: list[BaseException] = []
    start = threading.Barrier(READERS)

    def reader(number: int) -> None:
        try:
            start.wait()
            for read in range(READS):
                with store.unit_of_work() as uow:
                    ids = [f"r{number}-{read}-{i}" for i in range(IDS)]
                    record_reads(uow.session, actor=f"reader {number}", entity="officer", entity_ids=ids, as_of=at)
                    uow.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with store.unit_of_work() as uow:
        count, breaks = check_access_log(uow.session)
        ids = set(uow.session.scalars(select(AccessLog.entity_id)))
    assert breaks == [] and count == READERS * READS * IDS
    assert ids == {f"r{n}-{r}-{i}" for n in range(READERS) for r in range(READS) for i in range(IDS)}


# SQLite has no writer: the rows are the reader's transaction's, committed with it.
@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_a_read_is_logged_before_the_readers_transaction_ends(store: Store) -> None:
    with store.unit_of_work() as uow:
        record_reads(uow.session, actor="reader", entity="officer", entity_ids=["o1", "o2"], as_of=datetime.now(UTC))
        with store.unit_of_work() as other:
            seen = other.session.scalar(select(func.count()).select_from(AccessLog))
        assert seen == 2  # committed by the writer, although this unit of work is still open
        writer = AccessWriter.of(uow.session.get_bind())
    assert writer is AccessWriter.of(store.engine)  # one writer per engine, so per process


@pytest.mark.parametrize("database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_a_writer_whose_connection_the_server_closed_reconnects_and_logs_the_next_read(store: Store) -> None:
    """The writer does not ping before each batch: a connection found closed is replaced, nothing lost."""

    def read(entity_id: str) -> None:
        with store.unit_of_work() as uow:
            record_reads(uow.session, actor="reader", entity="officer", entity_ids=[entity_id], as_of=datetime.now(UTC))
            uow.commit()

    read("before")
    writer = AccessWriter.of(store.engine)
    with writer.engine.connect() as conn:
        writer_pid = conn.connection.driver_connection.info.backend_pid
    with store.engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": writer_pid})
    read("after")
    with store.unit_of_work() as uow:
        count, breaks = check_access_log(uow.session)
        ids = list(uow.session.scalars(select(AccessLog.entity_id).order_by(AccessLog.seq)))
    assert (count, breaks, ids) == (2, [], ["before", "after"])
