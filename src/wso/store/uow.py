"""The unit of work: one database transaction per use case (Cosmic Python's pattern).

`with store.unit_of_work() as uow: service(uow, ...)`. The entry point (API route, page handler,
CLI command, worker job, demo loader) owns the transaction: leaving the block without an error
commits once, an exception rolls everything back, so an exception (or a killed process) anywhere
in a service writes nothing: the ledger event and the projection rows it explains are committed
together or not at all. Services never commit (they may flush); a block that wrote nothing ends
without a COMMIT.

Reads of a person's record are noted on the unit of work (`note_reads`) and written to the access
log once, just before the commit, one row per record whatever the number of services that loaded
it; an entry point that shows nothing (a form that failed validation or redirects) forgets them.
An error that must keep what was written before it (a failed sign-in attempt is evidence) says so
with `keeps_writes = True`: the unit of work then commits those writes and re-raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from wso.store.db import make_engine, session_factory
from wso.store.errors import ConcurrencyError, Forbidden, NotFound
from wso.store.ledger import LedgerCheckpoint, LedgerEvent, append_checkpoint, append_event
from wso.store.signing import Signer, require_signer, signer_from_env

T = TypeVar("T")
_log = logging.getLogger(__name__)
SignerSource = Callable[[], Signer | None]
_WROTE = "wso_wrote"  # Session.info key: this transaction has sent an INSERT, UPDATE or DELETE


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: committed or rolled back
        session.info.pop(_WROTE, None)


ReadKey = tuple[str, str, str, datetime | None, str | None]  # actor, entity, entity_id, as_of, agency


class UnitOfWork:
    """A session in one transaction, plus the ledger append every change goes through."""

    session: Session

    def __init__(
        self, sessions: Callable[[], Session], *, signer: SignerSource | None = None, registered: set[str] | None = None
    ) -> None:
        self._sessions = sessions
        self._signer = signer or signer_from_env
        self._registered = registered if registered is not None else set()
        self._reads: dict[ReadKey, None] = {}

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self._reads = {}
        return self

    def note_reads(
        self, *, actor: str, entity: str, entity_ids: list[str], as_of: datetime | None, agency_id: str | None
    ) -> None:
        """A person is shown these records: logged (once each) when the unit of work commits."""
        for entity_id in entity_ids:
            self._reads.setdefault((actor, entity, entity_id, as_of, agency_id), None)

    def forget_reads(self) -> None:
        """Nothing noted so far was shown (a form that failed validation draws the page from the input)."""
        self._reads.clear()

    def _write_reads(self) -> None:
        """On PostgreSQL the access writer commits these rows before the block's own commit (group
        commit, see wso.store.access.AccessWriter); on SQLite they go in with the block's transaction."""
        from wso.store.access import record_reads

        groups: dict[tuple[str, str, datetime | None, str | None], list[str]] = {}
        for actor, entity, entity_id, as_of, agency_id in self._reads:
            groups.setdefault((actor, entity, as_of, agency_id), []).append(entity_id)
        self._reads.clear()
        for (actor, entity, as_of, agency_id), ids in groups.items():
            record_reads(self.session, actor=actor, entity=entity, entity_ids=ids, as_of=as_of, agency_id=agency_id)

    def has_writes(self) -> bool:
        """Whether this transaction has written (flushed or sent an INSERT, UPDATE or DELETE) or holds
        unflushed changes: its rows may then be ahead of its ledger events (wso.services.memo)."""
        session = self.session
        return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)

    def _has_work(self) -> bool:
        return bool(self._reads) or self.has_writes()

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
        """Commit once what the block wrote, unless it raised (then roll back everything)."""
        try:
            if (exc is None or getattr(exc, "keeps_writes", False)) and self._has_work():
                if exc is not None:
                    self._reads.clear()  # an error page shows no record
                self.commit()  # may raise ConcurrencyError: the block's work is then rolled back
        finally:
            try:
                self.session.rollback()  # a no-op after the commit; undoes the work of a failed block
            finally:
                self._reads.clear()
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
        """Write the noted reads and commit. Only the entry point calls it (or leaves its block):
        a service never commits, so a use case made of several services is still one transaction."""
        try:
            if self._reads:
                self._write_reads()
            self.session.commit()
        except (StaleDataError, IntegrityError) as exc:
            self.session.rollback()
            if _is_conflict(exc):
                raise _conflict(exc) from exc
            raise

    def rollback(self) -> None:
        self._reads.clear()
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
