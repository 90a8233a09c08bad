"""A process killed in the middle of a service call leaves no half-written record.

A child process runs a real service (a termination notice, which writes the notice, the agreement's
event and one revocation per officer) against the same database; its unit of work flushes every
statement to the database, says "flushed", then waits instead of committing. The parent kills it
with SIGKILL at that moment and checks that none of it was written and the ledger still verifies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import func, select

from tests.integration.records_support import SYSTEM, County, authorize, later, nominate
from wso.services import ledger
from wso.store import tables
from wso.store.ledger import LedgerEvent
from wso.store.uow import Store

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from wso.agreements import service as agreements
    from wso.services.permissions import Actor
    from wso.store.uow import Store, UnitOfWork

    class FlushThenHang(UnitOfWork):
        def commit(self):
            self.session.flush()            # every INSERT and UPDATE has reached the database
            print("flushed", flush=True)
            time.sleep(600)                 # ... and the process dies here, before COMMIT

    url, agreement_id, at = sys.argv[1:4]
    store = Store(url)
    with FlushThenHang(store.sessions) as uow:
        agreements.record_notice(
            uow,
            actor=Actor.system("child"),
            at=datetime.fromisoformat(at),
            agreement_id=agreement_id,
                                 kind="termination", by="ICE", received_at=datetime.fromisoformat(at))
    """
)


def counts(store: Store) -> tuple[int, int, int]:
    with store.unit_of_work() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(LedgerEvent)),
            uow.session.scalar(select(func.count()).select_from(tables.Notice)),
            uow.session.scalar(select(func.count()).select_from(tables.Withdrawal)),
        )


def test_a_killed_service_call_writes_nothing(store: Store, county: County, database_url: str) -> None:
    for name in ("Officer One", "Officer Two"):
        authorize(store, county, nominate(store, county, name))
    before = counts(store)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, county.agreement_id, later(40).isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "flushed", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert counts(store) == before  # no event, no notice, no revocation
    with store.unit_of_work() as uow:
        assert ledger.verify_ledger(uow, actor=SYSTEM).ok
    # and the database is usable: the same act now succeeds once, whole
    from wso.agreements import service as agreements

    with store.unit_of_work() as uow:
        agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(41),
            agreement_id=county.agreement_id,
            kind="termination",
            by="ICE",
            received_at=later(41),
        )
    events, notices, withdrawals = counts(store)
    assert (events - before[0], notices - before[1], withdrawals - before[2]) == (3, 1, 2)


def test_an_exception_after_the_ledger_append_rolls_everything_back(store: Store, county: County) -> None:
    """The same guarantee within one process: an error after the append, before commit."""
    from wso.agreements import service as agreements
    from wso.store.uow import UnitOfWork

    class FailingCommit(UnitOfWork):
        def commit(self) -> None:
            self.session.flush()
            raise RuntimeError("power cut")

    before = counts(store)
    try:
        with FailingCommit(store.sessions) as uow:
            agreements.record_meeting(
                uow, actor=county.coordinator, at=later(5), agreement_id=county.agreement_id, held_at=later(5)
            )
    except RuntimeError:
        pass
    assert counts(store) == before
