"""The unit of work: one database transaction per use case (Cosmic Python's pattern).

`with store.unit_of_work() as uow: ...; uow.commit()`. Leaving the block without commit() rolls
everything back, so an exception (or a killed process) anywhere in a service writes nothing: the
ledger event and the projection rows it explains are committed together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from wso.store.db import make_engine, session_factory
from wso.store.errors import ConcurrencyError, Forbidden, NotFound
from wso.store.ledger import LedgerCheckpoint, LedgerEvent, append_checkpoint, append_event
from wso.store.signing import Signer, require_signer, signer_from_env

T = TypeVar("T")
_log = logging.getLogger(__name__)
SignerSource = Callable[[], Signer | None]


class UnitOfWork:
    """A session in one transaction, plus the ledger append every change goes through."""

    session: Session

    def __init__(
        self, sessions: Callable[[], Session], *, signer: SignerSource | None = None, registered: set[str] | None = None
    ) -> None:
        self._sessions = sessions
        self._signer = signer or signer_from_env
        self._registered = registered if registered is not None else set()
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self._committed = False
        return self

    @property
    def signer(self) -> Signer:
        """The ledger's signing key (from the environment, never from the database)."""
        return require_signer(self._signer())

    def ensure_key_registered(self, *, at: datetime) -> None:
        """Make sure the signing key is recorded in `ledger:keys` before an event it signs.

        Registration (and the genesis checkpoint of a fresh ledger) is its own short transaction,
        so that it never depends on, nor is rolled back with, the caller's work.
        """
        from wso.store.keys import key_registered

        signer = self.signer
        if signer.key_id in self._registered:
            return
        with self.session.no_autoflush:
            if key_registered(self.session, signer.key_id):
                self._registered.add(signer.key_id)
                return
        register_key_once(self._sessions, signer=signer, at=at)
        self._registered.add(signer.key_id)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
        if isinstance(exc, (Forbidden, NotFound)):
            self._log_refusal(exc)
        if _is_conflict(exc):
            raise _conflict(exc) from exc

    def _log_refusal(self, exc: Forbidden | NotFound) -> None:
        """Every refusal is evidence (CJIS 5.4.1.1): logged in its own transaction, as the work was rolled back."""
        from wso.store.access import record_access

        entity = getattr(exc, "entity", "") or "action"
        try:
            with self._sessions() as session, session.begin():
                record_access(
                    session,
                    actor=getattr(exc, "actor_label", None) or "(unknown)",
                    action="refused",
                    entity=entity,
                    entity_id=str(getattr(exc, "id", "") or "")[:64],
                    outcome=exc.error,
                )
        except Exception:  # the refusal itself still reaches the user; the failure to log it is reported
            _log.exception("could not log a refusal in the access log")

    def retrying(self, step: Callable[[], T], *, attempts: int = 5) -> T:
        """Run `step` (load, change, append, commit) again after a lost race for the stream's next seq.

        Only for commands that commute (adding a training to an officer does not depend on another
        training added meanwhile): each attempt reloads the record and re-applies the change, so
        both writers' changes land. A command that would overwrite a field is not retried: the
        second writer gets ConcurrencyError and must look at what changed.
        """
        for attempt in range(attempts):
            try:
                return step()
            except (ConcurrencyError, StaleDataError, IntegrityError) as exc:
                if attempt == attempts - 1 or not (isinstance(exc, ConcurrencyError) or _is_conflict(exc)):
                    raise
                self.session.rollback()
        raise AssertionError("unreachable")

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
        self.ensure_key_registered(at=at)
        event = append_event(
            self.session, stream=stream, actor=actor, at=at, type=type, payload=payload, signer=self.signer
        )
        if aggregate is not None:
            aggregate.version = event.seq
        try:
            self.session.flush()
        except (StaleDataError, IntegrityError) as exc:
            if not _is_conflict(exc):
                raise
            self.session.rollback()
            raise _conflict(exc) from exc
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

    def __init__(
        self, url: str, *, engine: Engine | None = None, signer: Signer | None = None, register_key: bool = True
    ) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self._signer = signer
        self._register_key = register_key  # False for a verify-only store: it never writes
        self._registered: set[str] = set()

    def signer(self) -> Signer | None:
        """The key given, else the environment's (read once): WSO_SIGNING_KEY(_FILE) or var/signing.key."""
        if self._signer is None:
            self._signer = signer_from_env()
        return self._signer

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work; the first one registers the signing key (its own short transaction), so
        that no service's transaction ever waits on the registration's lock."""
        if self._register_key:
            self.ensure_genesis()
        return UnitOfWork(self.sessions, signer=self.signer, registered=self._registered)

    def ensure_genesis(self, *, at: datetime | None = None) -> bool:
        """At first start: the key registered and a signed genesis checkpoint, before any user acts.

        Returns False when no signing key is configured (a verify-only installation).
        """
        signer = self.signer()
        if signer is None:
            return False
        if signer.key_id not in self._registered:
            register_key_once(self.sessions, signer=signer, at=at or datetime.now(UTC))
            self._registered.add(signer.key_id)
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def register_key_once(sessions: Callable[[], Session], *, signer: Signer, at: datetime) -> None:
    """Record the key (and, in a ledger without checkpoints, a genesis checkpoint) in its own transaction.

    Two processes starting at once may both try; the loser of the race for `ledger:keys`' next seq
    finds the key registered by the winner.
    """
    from wso.store.keys import key_registered, register_key

    for _ in range(3):
        with sessions() as session:
            try:
                with session.begin():
                    if key_registered(session, signer.key_id):
                        return
                    register_key(session, signer=signer, actor="system (key registration)", at=at)
                    session.flush()
                    if session.scalar(select(LedgerCheckpoint.id).limit(1)) is None:
                        append_checkpoint(session, actor="system (genesis)", at=at, signer=signer)
                return
            except IntegrityError as exc:
                if not _is_conflict(exc):
                    raise
    raise ConcurrencyError("could not register the ledger signing key: other processes kept winning the race")
