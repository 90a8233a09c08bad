"""The ledger: every change as an event, one SHA-256 chain per stream, chained checkpoints.

Why one chain per stream (DESIGN.md): a single global chain makes every writer wait on one head
row; a chain per stream (one agreement, one officer, one complaint) lets writers in different
streams proceed in parallel, and the unique (stream, seq) pair makes two writers racing for the
same stream collide instead of forking it. Deleting or reordering whole streams would go unseen
by per-stream chains alone, so a checkpoint records a Merkle root over every stream head (as
Certificate Transparency publishes signed tree heads), itself chained to the previous checkpoint.

The payload is stored as canonical JSON text (sorted keys, no spaces), the exact bytes hashed,
so verification never depends on how a database re-serialises JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wso.events.catalog import validate_payload
from wso.store.base import Base, UTCDateTime
from wso.store.signing import CHECKPOINT_CONTEXT, EVENT_CONTEXT, Signer, require_signer

GENESIS = "0" * 64
# BIGINT on PostgreSQL; SQLite only autoincrements an INTEGER PRIMARY KEY.
_EventId = BigInteger().with_variant(Integer(), "sqlite")


class LedgerEvent(Base):
    """One appended event. Never updated or deleted (a PostgreSQL trigger refuses both)."""

    __tablename__ = "ledger_events"
    __table_args__ = (UniqueConstraint("stream", "seq", name="uq_ledger_events_stream_seq"),)

    id: Mapped[int] = mapped_column(_EventId, primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Ed25519 over EVENT_CONTEXT + hash, by the key `key_id` (kept outside the database).
    key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    signature: Mapped[str | None] = mapped_column(String(128), nullable=True)

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)


class LedgerCheckpoint(Base):
    """A Merkle root over every stream head as of `last_event_id`, chained to the previous one."""

    __tablename__ = "ledger_checkpoints"

    id: Mapped[int] = mapped_column(_EventId, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    last_event_id: Mapped[int] = mapped_column(_EventId)
    stream_count: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The access log's head (its seq and hash) when the checkpoint was taken: a truncated log shows.
    access_seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), nullable=True)
    access_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    signature: Mapped[str | None] = mapped_column(String(128), nullable=True)


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no whitespace, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def instant_text(at: datetime) -> str:
    """An instant as hashed: UTC, microseconds, explicit offset (what both databases keep)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: ledger instants must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(*, stream: str, seq: int, actor: str, at: datetime, type: str, payload: str, prev_hash: str) -> str:
    """SHA-256 over the canonical list of every field an attacker might want to change."""
    body = canonical_json([stream, seq, actor, instant_text(at), type, json.loads(payload), prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def checkpoint_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    last_event_id: int,
    stream_count: int,
    root: str,
    prev_hash: str,
    access_seq: int | None = None,
    access_hash: str | None = None,
) -> str:
    """SHA-256 over the checkpoint's fields; the access-log head joins them when recorded."""
    fields: list[Any] = [seq, instant_text(at), actor, last_event_id, stream_count, root, prev_hash]
    if access_seq is not None:
        fields += [access_seq, access_hash]
    body = canonical_json(fields)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def merkle_root(heads: Iterable[tuple[str, int, str]]) -> str:
    """RFC 6962 Merkle tree hash over (stream, seq, hash) leaves sorted by stream name.

    Leaves and inner nodes get distinct prefixes (0x00, 0x01) so a leaf can never pass for a node.
    An empty tree hashes to SHA-256 of nothing, as in RFC 6962.
    """
    level = [hashlib.sha256(b"\x00" + canonical_json([s, q, h]).encode("utf-8")).digest() for s, q, h in sorted(heads)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = []
        for i in range(0, len(level) - 1, 2):
            paired.append(hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest())
        if len(level) % 2:
            paired.append(level[-1])  # RFC 6962 promotes an unpaired right node unchanged
        level = paired
    return level[0].hex()


def append_event(
    session: Session,
    *,
    stream: str,
    actor: str,
    at: datetime,
    type: str,
    payload: Mapping[str, Any],
    signer: Signer | None,
) -> LedgerEvent:
    """Append one event at the head of `stream`, chained to the head's hash and signed; added, not flushed.

    The type and payload are checked against the event catalog first (wso.events.catalog): an unknown
    type raises UnknownEventType, a payload that does not fit raises InvalidEvent naming the type and
    the field, and nothing is added. The payload's JSON form is checked, exactly what is hashed.
    The caller flushes (the unit of work does, after setting the aggregate's version to the seq).
    Two writers that read the same head both try to insert seq n+1; the unique (stream, seq)
    constraint lets exactly one commit (the other's unit of work turns it into ConcurrencyError).
    """
    text = canonical_json(dict(payload))
    validate_payload(type, json.loads(text))
    with session.no_autoflush:
        head = session.execute(
            select(LedgerEvent.seq, LedgerEvent.hash)
            .where(LedgerEvent.stream == stream)
            .order_by(LedgerEvent.seq.desc())
            .limit(1)
        ).first()
    key = require_signer(signer)
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    at_utc = at.astimezone(UTC)
    digest = event_hash(stream=stream, seq=seq, actor=actor, at=at_utc, type=type, payload=text, prev_hash=prev)
    event = LedgerEvent(
        stream=stream,
        seq=seq,
        actor=actor,
        at=at_utc,
        type=type,
        payload=text,
        prev_hash=prev,
        hash=digest,
        key_id=key.key_id,
        signature=key.sign(EVENT_CONTEXT, digest),
    )
    session.add(event)
    return event


def stored_event_hash(event: LedgerEvent) -> str:
    """The hash a stored event's content gives now (equal to its `hash` unless the row was changed); raises
    ValueError or TypeError when the stored content cannot be read (the verify and a record's history say so)."""
    return event_hash(
        stream=event.stream,
        seq=event.seq,
        actor=event.actor,
        at=event.at,
        type=event.type,
        payload=event.payload,
        prev_hash=event.prev_hash,
    )


def stream_events(session: Session, stream: str) -> list[LedgerEvent]:
    return list(session.scalars(select(LedgerEvent).where(LedgerEvent.stream == stream).order_by(LedgerEvent.seq)))


def _heads_as_of(session: Session, last_event_id: int) -> list[tuple[str, int, str]]:
    """Each stream's head among the events with id <= last_event_id."""
    latest = (
        select(LedgerEvent.stream, func.max(LedgerEvent.seq).label("seq"))
        .where(LedgerEvent.id <= last_event_id)
        .group_by(LedgerEvent.stream)
        .subquery()
    )
    rows = session.execute(
        select(LedgerEvent.stream, LedgerEvent.seq, LedgerEvent.hash).join(
            latest, (LedgerEvent.stream == latest.c.stream) & (LedgerEvent.seq == latest.c.seq)
        )
    )
    return [(r.stream, r.seq, r.hash) for r in rows]


def append_checkpoint(
    session: Session,
    *,
    actor: str,
    at: datetime,
    signer: Signer | None,
    access_head: tuple[int, str] | None = None,
) -> LedgerCheckpoint:
    """Chain a new signed checkpoint: the Merkle root of every stream head as of the latest event,
    and the access log's head (seq, hash) when given."""
    key = require_signer(signer)
    last_event_id = session.scalar(select(func.max(LedgerEvent.id))) or 0
    heads = _heads_as_of(session, last_event_id)
    previous = session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.seq.desc()).limit(1)).first()
    seq, prev = (previous.seq + 1, previous.hash) if previous else (1, GENESIS)
    at_utc = at.astimezone(UTC)
    root = merkle_root(heads)
    access_seq, access_hash = access_head if access_head else (None, None)
    digest = checkpoint_hash(
        seq=seq,
        at=at_utc,
        actor=actor,
        last_event_id=last_event_id,
        stream_count=len(heads),
        root=root,
        prev_hash=prev,
        access_seq=access_seq,
        access_hash=access_hash,
    )
    checkpoint = LedgerCheckpoint(
        seq=seq,
        at=at_utc,
        actor=actor,
        last_event_id=last_event_id,
        stream_count=len(heads),
        root=root,
        prev_hash=prev,
        hash=digest,
        access_seq=access_seq,
        access_hash=access_hash,
        key_id=key.key_id,
        signature=key.sign(CHECKPOINT_CONTEXT, digest),
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


@dataclass(frozen=True)
class Break:
    """One broken link: where (a stream and seq, or a checkpoint) and what differs."""

    where: str
    seq: int
    what: str
    event_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "seq": self.seq, "what": self.what, "event_id": self.event_id}


class KeyCheck(Protocol):
    """What chain verification asks of the key ring: is this signature by a trusted key valid?"""

    def problem(self, *, context: bytes, key_id: str | None, message: str, signature: str | None) -> str | None: ...


def _check_streams(events: Iterator[LedgerEvent], keys: KeyCheck) -> tuple[int, int, list[Break]]:
    breaks: list[Break] = []
    streams = count = 0
    current: str | None = None
    expected_seq, expected_prev = 1, GENESIS
    for event in events:
        count += 1
        if event.stream != current:
            current, streams = event.stream, streams + 1
            expected_seq, expected_prev = 1, GENESIS
        where = f"stream {event.stream}"
        if event.seq != expected_seq:
            breaks.append(
                Break(
                    where,
                    event.seq,
                    f"seq {event.seq} where {expected_seq} was expected (an event is missing or moved)",
                    event.id,
                )
            )
        if event.prev_hash != expected_prev:
            breaks.append(Break(where, event.seq, "prev_hash does not match the previous event's hash", event.id))
        try:
            recomputed = stored_event_hash(event)
        except (ValueError, TypeError) as exc:
            recomputed = f"unreadable ({exc})"
        if recomputed != event.hash:
            breaks.append(
                Break(
                    where,
                    event.seq,
                    "hash does not match the event's content (actor, instant, type, payload or prev_hash changed)",
                    event.id,
                )
            )
        problem = keys.problem(
            context=EVENT_CONTEXT, key_id=event.key_id, message=event.hash, signature=event.signature
        )
        if problem:
            breaks.append(Break(where, event.seq, f"event {problem}", event.id))
        expected_seq, expected_prev = event.seq + 1, event.hash
    return streams, count, breaks


def check_chains(session: Session, keys: KeyCheck) -> tuple[int, int, int, list[Break]]:
    """Walk every stream and every checkpoint; return (streams, events, checkpoints, breaks).

    Streams are checked link by link (seq continuity, prev_hash, recomputed hash, signature).
    Checkpoints are checked as a chain (signature included), and each root is recomputed from the
    events as of its last_event_id, which catches a stream deleted, added or re-inserted after the
    checkpoint was taken. A ledger without any checkpoint has lost its genesis checkpoint.
    """
    events = session.scalars(
        select(LedgerEvent).order_by(LedgerEvent.stream, LedgerEvent.seq).execution_options(yield_per=1000)
    )
    streams, count, breaks = _check_streams(iter(events), keys)
    breaks.sort(key=lambda b: (b.event_id or 0, b.where, b.seq))

    checkpoints = list(session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.seq)))
    where = "checkpoint chain"
    if not checkpoints and count:
        breaks.append(
            Break(
                where,
                0,
                "no checkpoint at all: every ledger starts with a signed genesis checkpoint, "
                "so the checkpoints were deleted",
            )
        )
    expected_seq, expected_prev = 1, GENESIS
    for cp in checkpoints:
        if cp.seq != expected_seq:
            breaks.append(Break(where, cp.seq, f"checkpoint seq {cp.seq} where {expected_seq} was expected"))
        if cp.prev_hash != expected_prev:
            breaks.append(Break(where, cp.seq, "prev_hash does not match the previous checkpoint's hash"))
        recomputed = checkpoint_hash(
            seq=cp.seq,
            at=cp.at,
            actor=cp.actor,
            last_event_id=cp.last_event_id,
            stream_count=cp.stream_count,
            root=cp.root,
            prev_hash=cp.prev_hash,
            access_seq=cp.access_seq,
            access_hash=cp.access_hash,
        )
        if recomputed != cp.hash:
            breaks.append(Break(where, cp.seq, "hash does not match the checkpoint's content"))
        problem = keys.problem(context=CHECKPOINT_CONTEXT, key_id=cp.key_id, message=cp.hash, signature=cp.signature)
        if problem:
            breaks.append(Break(where, cp.seq, f"checkpoint {problem}"))
        heads = _heads_as_of(session, cp.last_event_id)
        if merkle_root(heads) != cp.root or len(heads) != cp.stream_count:
            breaks.append(
                Break(
                    where,
                    cp.seq,
                    f"stream heads as of event {cp.last_event_id} ({len(heads)} streams) no longer give the "
                    f"recorded Merkle root ({cp.stream_count} streams): a stream was deleted, added or rewritten",
                )
            )
        expected_seq, expected_prev = cp.seq + 1, cp.hash
    return streams, count, len(checkpoints), breaks


def latest_checkpoint(session: Session) -> LedgerCheckpoint | None:
    return session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.seq.desc()).limit(1)).first()
