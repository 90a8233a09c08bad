"""The access log as evidence (CJIS Security Policy 5.4): every read of a person's record, every
refusal and every sign-in attempt, with the source address and the outcome, in one hash chain.

Why one global chain here, when the ledger has one per stream: the log is ordered evidence of who
looked at what and when; deleting or editing one row must show. Each row's `hash` covers its
fields and the previous row's hash, `seq` is unique, and a writer that loses the race for the next
seq retries inside a savepoint (the read it logs is not lost). Checkpoints record the log's head,
signed, so a truncated tail shows too. PostgreSQL refuses UPDATE, DELETE and TRUNCATE (trigger,
migration r0004) except a purge of rows older than the retention period, which is itself a
ledger event (`ledger:access_log`, `access_log.purged`) that verify uses as the chain's new start.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import psycopg
from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text
from sqlalchemy.orm import Session

from wso.store.ledger import GENESIS, Break, LedgerCheckpoint, LedgerEvent, append_event, canonical_json, instant_text
from wso.store.signing import Signer
from wso.store.tables import AccessLog

PURGE_STREAM = "ledger:access_log"
PURGED = "access_log.purged"
_ADVISORY_KEY = 0x77736F_61636C  # 'wso' 'acl': one key for the access log's head

# The client's address for the request being served; the web layer sets it (wso.http.client_address).
client_address: ContextVar[str | None] = ContextVar("wso_client_address", default=None)


def access_hash(
    *,
    seq: int,
    at: datetime,
    as_of: datetime | None,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    agency_id: str | None,
    outcome: str,
    address: str | None,
    prev_hash: str,
) -> str:
    body = canonical_json(
        [
            seq,
            instant_text(at),
            instant_text(as_of) if as_of else None,
            actor,
            action,
            entity,
            entity_id,
            agency_id,
            outcome,
            address,
            prev_hash,
        ]
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _database_now(session: Session) -> datetime:
    """The database's clock (one clock for every app server), as an aware UTC instant."""
    return _as_utc(session.scalar(select(func.now())))


def _head_and_now(session: Session) -> tuple[tuple[int, str] | None, datetime]:
    """The log's head and the database's clock in one query (a list's reads cost constant queries)."""
    last = select(AccessLog).order_by(AccessLog.seq.desc()).limit(1).subquery()
    row = session.execute(
        select(func.now(), select(last.c.seq).scalar_subquery(), select(last.c.hash).scalar_subquery())
    ).one()
    return ((row[1], row[2]) if row[1] is not None else None), _as_utc(row[0])


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite's CURRENT_TIMESTAMP: 'YYYY-MM-DD HH:MM:SS' in UTC
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def access_head(session: Session) -> tuple[int, str] | None:
    row = session.execute(select(AccessLog.seq, AccessLog.hash).order_by(AccessLog.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else None


def record_access(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    outcome: str,
    address: str | None = None,
    at: datetime | None = None,
    as_of: datetime | None = None,
    agency_id: str | None = None,
) -> None:
    """Append one chained row in the caller's transaction (the head is locked until it ends).

    `action`: read, refused, sign_in...; `outcome`: shown, forbidden, not_found, success, failure...
    `at` defaults to the database's clock; `address` to the address of the request being served.
    """
    record_accesses(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_ids=(entity_id,),
        outcome=outcome,
        address=address,
        at=at,
        as_of=as_of,
        agency_id=agency_id,
    )


def record_accesses(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_ids: Sequence[str],
    outcome: str,
    address: str | None = None,
    at: datetime | None = None,
    as_of: datetime | None = None,
    agency_id: str | None = None,
) -> None:
    """Append one chained row per record shown, in one INSERT whatever their number.

    Why a batch: a roster of 80 officers is 80 reads (CJIS: each record read is logged), but a list
    must cost a constant number of queries (issue 11), so the chain is computed here and the rows
    are written with one executemany (a Core INSERT: the ORM would send one statement per row here).
    """
    spec = _spec(actor, action, entity, entity_ids, outcome, address, at, as_of, agency_id)
    _append(session, [spec])


def record_reads(
    session: Session,
    *,
    actor: str,
    entity: str,
    entity_ids: Sequence[str],
    as_of: datetime | None = None,
    agency_id: str | None = None,
) -> None:
    """Log records shown ("read", "shown"), durably, before the caller shows them.

    On PostgreSQL the rows are committed by the process's access writer (group commit, see
    AccessWriter) before this returns, in its own transaction: the caller's transaction never holds
    the log's lock. On SQLite they are appended in the caller's transaction (writers are serialised
    there anyway), committed with it.
    """
    if not entity_ids:
        return
    spec = _spec(actor, "read", entity, entity_ids, "shown", None, None, as_of, agency_id)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        AccessWriter.of(bind).write(spec)
    else:
        _append(session, [spec])


@dataclass(frozen=True)
class _Spec:
    """The rows one caller asks for (one per entity id), before the chain gives them seq and hash."""

    actor: str
    action: str
    entity: str
    entity_ids: tuple[str, ...]
    outcome: str
    address: str | None
    at: datetime | None
    as_of: datetime | None
    agency_id: str | None


def _spec(
    actor: str,
    action: str,
    entity: str,
    entity_ids: Sequence[str],
    outcome: str,
    address: str | None,
    at: datetime | None,
    as_of: datetime | None,
    agency_id: str | None,
) -> _Spec:
    # The address is the request's: read here, in the caller's context, not in the writer's thread.
    address = address if address is not None else client_address.get()
    return _Spec(actor, action, entity, tuple(entity_ids), outcome, address, at, as_of, agency_id)


def _append(session: Session, specs: Sequence[_Spec]) -> None:
    """Chain and insert the rows of `specs`, in order, in the session's transaction (locking the head)."""
    _lock_head(session)
    head, now = _head_and_now(session)
    seq, prev = (head[0] + 1, head[1]) if head else _chain_start(session)  # after a purge of every row
    rows = _chained(specs, seq=seq, prev=prev, now=now)
    session.flush()  # rows the session holds go first, so the chain's order is the table's
    if rows:
        session.execute(insert(AccessLog.__table__), rows)  # Core executemany: no ORM bulk-insert bookkeeping


def _chained(specs: Sequence[_Spec], *, seq: int, prev: str, now: datetime) -> list[dict[str, Any]]:
    """The rows of `specs` in order, numbered from `seq` and chained from `prev` (instants in UTC)."""
    rows: list[dict[str, Any]] = []
    for spec in specs:
        when = (spec.at or now).astimezone(UTC)
        as_of = _utc(spec.as_of)
        for entity_id in spec.entity_ids:
            fields = {
                "seq": seq,
                "at": when,
                "as_of": as_of,
                "actor": spec.actor,
                "action": spec.action,
                "entity": spec.entity,
                "entity_id": entity_id,
                "agency_id": spec.agency_id,
                "outcome": spec.outcome,
                "address": spec.address,
                "prev_hash": prev,
            }
            rows.append({**fields, "hash": access_hash(**fields)})
            seq, prev = seq + 1, rows[-1]["hash"]
    return rows


def _utc(value: datetime | None) -> datetime | None:
    """An aware instant in UTC, as the column stores it (UTCDateTime refuses a naive one; so does this)."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware")
    return value.astimezone(UTC)


class _Pending:
    __slots__ = ("spec", "done", "error")

    def __init__(self, spec: _Spec) -> None:
        self.spec = spec
        self.done = False
        self.error: BaseException | None = None


class AccessWriter:
    """Group commit of the read log for one PostgreSQL database, one per engine (so per process).

    Why: the log is one hash chain, so its writers are serialised by a lock held until commit. When
    each request appended its own rows inside its own transaction, the lock was held across three
    round trips (head, insert, commit) by a thread that, on return from each, waited for the GIL
    behind every other request's Python work: under 50 connections the requests queued on the lock
    (pg_stat_activity: 9-11 sessions waiting on the advisory lock) and a roster of 80 officers
    served 2-3 requests/s whatever the CPU could do (issue 11, item 6).

    Now a request hands its rows here and waits until they are committed; the first waiting thread
    writes everything queued so far in one transaction (lock, head, one INSERT, commit) on the
    writer's own connection, while the rows of requests arriving meanwhile queue for the next
    transaction. Under load one lock and three round trips serve many requests; alone, a request
    costs what it did. A read is still shown only once its log rows are committed (CJIS 5.4).
    """

    _writers: ClassVar[weakref.WeakKeyDictionary[Engine, AccessWriter]] = weakref.WeakKeyDictionary()
    _made = threading.Lock()

    def __init__(self, engine: Engine) -> None:
        # Its own connection, not one of the pool the waiting requests hold (they would starve it). No ping
        # before each batch (a round trip per request at low load): a connection found dead when the batch
        # starts is replaced and the batch started again (`_commit_batch`), before anything was written.
        self.engine = create_engine(engine.url, pool_size=1, max_overflow=0)
        self._cond = threading.Condition()
        self._queue: list[_Pending] = []
        self._writing = False
        event.listen(engine, "engine_disposed", lambda _engine: self.engine.dispose())

    @classmethod
    def of(cls, engine: Engine) -> AccessWriter:
        with cls._made:
            writer = cls._writers.get(engine)
            if writer is None:
                writer = cls._writers[engine] = cls(engine)
            return writer

    def write(self, spec: _Spec) -> None:
        """Commit `spec`'s rows (with whatever else is queued); raises what the write raised."""
        pending = _Pending(spec)
        with self._cond:
            self._queue.append(pending)
            while not pending.done:
                if self._writing:
                    self._cond.wait()
                    continue
                batch, self._queue = self._queue, []
                self._writing = True
                self._cond.release()
                error: BaseException | None = None
                try:
                    self._commit_batch([p.spec for p in batch])
                except BaseException as exc:  # every waiter of the batch gets it, not only this thread
                    error = exc
                finally:
                    self._cond.acquire()
                    self._writing = False
                    for item in batch:
                        item.done, item.error = True, error
                    self._cond.notify_all()
        if pending.error is not None:
            raise pending.error

    def _commit_batch(self, specs: list[_Spec]) -> None:
        """Lock, head, INSERT and COMMIT in two round trips (psycopg's pipeline mode), not six.

        Why not the ORM session: its BEGIN, lock, head, insert and commit were five statements and
        about a sixth of a roster request's CPU (issue 11 item 6). Pipelining is safe here: the
        server runs the statements in order, so the head is read (in a snapshot of its own, READ
        COMMITTED) only after the lock is granted. An empty chain (a new database, or a purge of
        every row) starts from the ledger's purge event: that rare case takes the session path.
        """
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            try:
                head = _lock_and_head(raw)
            except psycopg.OperationalError:  # the server closed the connection meanwhile: nothing was written
                conn.invalidate()
                conn.rollback()
                raw = conn.connection.driver_connection
                head = _lock_and_head(raw)
            if head is not None and head[1] is not None:
                rows = _chained(specs, seq=head[1] + 1, prev=head[2], now=_as_utc(head[0]))
                with raw.pipeline():
                    raw.cursor().executemany(_INSERT_SQL, [tuple(row[c] for c in _INSERT_COLUMNS) for row in rows])
                    raw.commit()
                return
            raw.rollback()
        with Session(self.engine) as session:  # after the connection above is back (the pool holds one)
            _append(session, specs)
            session.commit()


def _lock_and_head(raw: Any) -> Any:
    """The chain's lock, then the database's clock and the log's head: one round trip."""
    with raw.pipeline():
        raw.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_KEY,))
        return raw.execute(_HEAD_AND_NOW_SQL).fetchone()


_HEAD_AND_NOW_SQL = "SELECT now(), h.seq, h.hash FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1) AS h ON true"  # noqa: E501
_INSERT_COLUMNS = (
    "seq",
    "at",
    "as_of",
    "actor",
    "action",
    "entity",
    "entity_id",
    "agency_id",
    "outcome",
    "address",
    "prev_hash",
    "hash",
)
_PLACEHOLDERS = ", ".join(["%s"] * len(_INSERT_COLUMNS))
_INSERT_SQL = f"INSERT INTO access_log ({', '.join(_INSERT_COLUMNS)}) VALUES ({_PLACEHOLDERS})"


def _lock_head(session: Session) -> None:
    """Serialise writers of the log's head until this transaction ends, so the chain never forks.

    PostgreSQL: a transaction-scoped advisory lock (needs no table privilege). SQLite: a write that
    changes nothing takes the database's write lock (writers are serialised there anyway).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
    else:
        session.execute(text("UPDATE access_log SET seq = seq WHERE 0 = 1"))


@dataclass(frozen=True)
class PurgeResult:
    through_seq: int
    rows: int
    before: datetime


def purge_access_log(
    session: Session,
    *,
    before: datetime,
    now: datetime,
    retention_days: int,
    actor: str,
    signer: Signer | None,
) -> PurgeResult:
    """Delete the oldest rows, all older than `before`, once past retention; the purge is a ledger event.

    Refused (ValueError naming `before`) when `before` is later than now minus the retention period.
    Only a prefix of the chain is purged (rows up to the first one at or after `before`), so the
    remaining chain starts where the purge event says.
    """
    limit = now - timedelta(days=retention_days)
    if before > limit:
        raise ValueError(
            f"before: {before.isoformat()} is inside the {retention_days}-day retention period "
            f"(the earliest purge date now is {limit.isoformat()})"
        )
    first_kept = session.scalar(select(func.min(AccessLog.seq)).where(AccessLog.at >= before))
    last_seq = session.scalar(select(func.max(AccessLog.seq)))
    through = (first_kept - 1) if first_kept is not None else (last_seq or 0)
    oldest = session.scalar(select(func.min(AccessLog.seq))) or 1
    if through < oldest:
        return PurgeResult(through_seq=0, rows=0, before=before)
    through_hash = session.scalar(select(AccessLog.hash).where(AccessLog.seq == through))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT set_config('wso.access_log_purge_through', :s, true)"), {"s": str(through)})
    count = session.execute(delete(AccessLog).where(AccessLog.seq <= through)).rowcount
    append_event(
        session,
        stream=PURGE_STREAM,
        actor=actor,
        at=now,
        type=PURGED,
        signer=signer,
        payload={
            "before": instant_text(before),
            "through_seq": through,
            "through_hash": through_hash,
            "rows": count,
            "retention_days": retention_days,
        },
    )
    session.flush()
    return PurgeResult(through_seq=through, rows=count, before=before)


def _chain_start(session: Session) -> tuple[int, str]:
    """Where the log's chain begins: seq 1 after GENESIS, or just after the latest purge."""
    last = session.scalars(
        select(LedgerEvent)
        .where(LedgerEvent.stream == PURGE_STREAM, LedgerEvent.type == PURGED)
        .order_by(LedgerEvent.seq.desc())
        .limit(1)
    ).first()
    if last is None:
        return 1, GENESIS
    data: dict[str, Any] = last.data
    return int(data["through_seq"]) + 1, str(data["through_hash"])


def check_access_log(session: Session) -> tuple[int, list[Break]]:
    """Walk the chain from its start; then hold it to every checkpoint's recorded head."""
    breaks: list[Break] = []
    expected_seq, expected_prev = _chain_start(session)
    purged_through = expected_seq - 1
    hashes: dict[int, str] = {}
    count = 0
    for row in session.scalars(select(AccessLog).order_by(AccessLog.seq).execution_options(yield_per=2000)):
        count += 1
        where = "access log"
        if row.seq != expected_seq:
            breaks.append(Break(where, row.seq, f"seq {row.seq} where {expected_seq} was expected (a row was deleted)"))
        if row.prev_hash != expected_prev:
            breaks.append(Break(where, row.seq, "prev_hash does not match the previous row's hash"))
        recomputed = access_hash(
            seq=row.seq,
            at=row.at,
            as_of=row.as_of,
            actor=row.actor,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            agency_id=row.agency_id,
            outcome=row.outcome,
            address=row.address,
            prev_hash=row.prev_hash,
        )
        if recomputed != row.hash:
            breaks.append(
                Break(where, row.seq, "hash does not match the row (who, when, what, address or outcome edited)")
            )
        hashes[row.seq] = row.hash
        expected_seq, expected_prev = row.seq + 1, row.hash
    for cp in session.scalars(select(LedgerCheckpoint).where(LedgerCheckpoint.access_seq.is_not(None))):
        if cp.access_seq is None or cp.access_seq <= purged_through:
            continue
        if hashes.get(cp.access_seq) != cp.access_hash:
            breaks.append(
                Break(
                    "access log",
                    cp.access_seq,
                    f"checkpoint {cp.seq} recorded this row's hash; the row "
                    "is gone or differs (the log was truncated or rewritten)",
                )
            )
    return count, breaks
