"""The unit of work: one database transaction per use case (Cosmic Python's pattern).

`with store.unit_of_work() as uow: ...; uow.commit()`. Leaving the block without commit() rolls
everything back, so an exception (or a killed process) anywhere in a service writes nothing: the
ledger event and the projection rows it explains are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from wso.store.db import make_engine, session_factory
from wso.store.errors import ConcurrencyError
from wso.store.ledger import LedgerEvent, append_event


class UnitOfWork:
    """A session in one transaction, plus the ledger append every change goes through."""

    session: Session

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self._committed = False
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
        if _is_conflict(exc):
            raise _conflict(exc) from exc

    def append(
        self,
        *,
        stream: str,
        actor: str,
        at: datetime,
        type: str,
        payload: Mapping[str, Any],
        aggregate: Any | None = None,
    ) -> LedgerEvent:
        """Append an event; when `aggregate` is given, its version becomes the event's seq.

        The mapper then updates the aggregate's row only if its version is still the one loaded,
        which is how two writers on the same record are kept from both winning.
        """
        event = append_event(self.session, stream=stream, actor=actor, at=at, type=type, payload=payload)
        if aggregate is not None:
            aggregate.version = event.seq
        self.session.flush()
        return event

    def commit(self) -> None:
        try:
            self.session.commit()
        except (StaleDataError, IntegrityError) as exc:
            self.session.rollback()
            if _is_conflict(exc):
                raise _conflict(exc) from exc
            raise
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()


def _is_conflict(exc: BaseException | None) -> bool:
    """A stale version, or a unique key taken by a concurrent writer (not any other integrity error)."""
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, IntegrityError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)  # psycopg
    return sqlstate == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def _conflict(exc: BaseException) -> ConcurrencyError:
    """A stale version or a lost race for a stream's next seq (or a unique name taken meanwhile)."""
    return ConcurrencyError("the record was changed by someone else meanwhile; reload it and try again")


class Store:
    """One database: its engine and a factory of units of work (one per use case)."""

    def __init__(self, url: str, *, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def dispose(self) -> None:
        self.engine.dispose()
