"""What the public pages remember between requests (memo.py): kept per import batch, recomputed after the next one,
bounded; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from wso.publicdata import memo
from wso.publicdata.tables import Snapshot
from wso.store.db import make_engine, session_factory


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as s:
            yield s
    finally:
        engine.dispose()


def _snapshot(session: Session, n: int) -> None:
    session.add(Snapshot(
        file_name=f"participatingAgencies{n}.xlsx", sha256=f"{n:064d}", kind="participating",
        as_of=dt.date(2025, 7, n), part="", imported_at=dt.datetime(2025, 7, n, 12, tzinfo=dt.UTC), columns=[],
        rows_read=0, blank_rows=0, cells_trimmed=0, rejected=[],
    ))  # fmt: skip
    session.commit()


def test_remembered_until_a_new_snapshot_lands(session: Session) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    name = f"test-{id(session)}"
    _snapshot(session, 1)
    assert memo.remembered(session, name, compute) == 1
    assert memo.remembered(session, name, compute) == 1 and len(calls) == 1  # the second call computes nothing
    assert memo.remembered(session, name, compute, "FL") == 2  # other arguments, another entry
    _snapshot(session, 2)  # an import: the key changes, the next call recomputes
    assert memo.remembered(session, name, compute) == 3
    session.query(Snapshot).filter(Snapshot.id == session.query(Snapshot.id).order_by(Snapshot.id.desc()).limit(1)
                                   .scalar_subquery()).delete(synchronize_session=False)  # fmt: skip
    session.commit()
    assert memo.remembered(session, name, compute) == 1  # back to the first batch: what it computed then


def test_memory_is_bounded(session: Session) -> None:
    for i in range(memo.MAX_ENTRIES + 20):
        memo.remembered(session, "bound", lambda: i, i)  # noqa: B023 - computed at once, inside the loop
    assert len(memo._entries) <= memo.MAX_ENTRIES
    assert memo.remembered(session, "bound", lambda: -1, memo.MAX_ENTRIES + 19) == memo.MAX_ENTRIES + 19  # newest kept
    assert memo.remembered(session, "bound", lambda: -1, 0) == -1  # oldest dropped, computed again
