"""`wso ledger verify`: everything the ledger proves, checked in one read-only pass.

1. The keys: `ledger:keys` read into a key ring, trusted from the published keys when given.
2. Every stream's chain and signatures; every checkpoint's chain, signature and Merkle root.
3. The published heads (`--heads FILE`): each must be in the database, unchanged.
4. The access log's chain, from its start or its last purge, and the heads checkpoints recorded.
5. The projections: every stream folded (wso.store.projections) and compared with the tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from wso.store.access import check_access_log
from wso.store.base import Base
from wso.store.heads import PublishedHeads, check_heads
from wso.store.keys import KEYS_STREAM, key_ring
from wso.store.ledger import Break, LedgerEvent, check_chains
from wso.store.projections import Difference, Event, compare_rows, projections, replay


@dataclass(frozen=True)
class VerifyReport:
    streams: int
    events: int
    checkpoints: int
    breaks: tuple[Break, ...] = field(default_factory=tuple)
    differences: tuple[Difference, ...] = field(default_factory=tuple)
    access_rows: int = 0
    anchored: bool = False  # signatures checked against a published key (not only the ledger's own)
    keys: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.breaks and not self.differences

    @property
    def first_break(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "streams": self.streams,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "access_rows": self.access_rows,
            "anchored": self.anchored,
            "keys": list(self.keys),
            "first_break": self.first_break.to_dict() if self.first_break else None,
            "breaks": [b.to_dict() for b in self.breaks],
            "differences": [d.to_dict() for d in self.differences],
        }


def _events(session: Session) -> Iterable[Event]:
    query = select(LedgerEvent).order_by(LedgerEvent.id).execution_options(yield_per=1000)
    for row in session.scalars(query):
        yield Event(id=row.id, stream=row.stream, seq=row.seq, type=row.type, at=row.at, actor=row.actor, data=row.data)


def _table_rows(session: Session, name: str) -> dict[str, dict[str, Any]]:
    table = Base.metadata.tables[name]
    return {str(r["id"]): dict(r) for r in session.execute(select(table)).mappings()}


def check_projections(session: Session) -> list[Difference]:
    """Fold every stream and compare each registered table with what the folds produced."""
    expected, differences = replay(_events(session))
    for projection in projections():
        for name in projection.tables:
            actual = _table_rows(session, name)
            want = expected.get(name, {})
            if projection.compare is not None:
                differences += projection.compare({name: want}, {name: actual})
            else:
                differences += compare_rows(name, want, actual)
    return differences


def verify_all(
    session: Session,
    *,
    public_keys: Iterable[Ed25519PublicKey] = (),
    heads: PublishedHeads | None = None,
) -> VerifyReport:
    """Every check above; a report listing each broken link and each projection difference."""
    published = list(public_keys) + (list(heads.public_keys) if heads else [])
    ring = key_ring(session, published=published)
    breaks: list[Break] = [Break(f"stream {KEYS_STREAM}", 0, problem) for problem in ring.problems]
    streams, events, checkpoints, chain_breaks = check_chains(session, ring)
    breaks += chain_breaks
    if heads is not None:
        breaks += check_heads(session, heads, trusted=ring.trusted)
    access_rows, access_breaks = check_access_log(session)
    breaks += access_breaks
    differences = check_projections(session)
    return VerifyReport(
        streams=streams,
        events=events,
        checkpoints=checkpoints,
        breaks=tuple(breaks),
        differences=tuple(differences),
        access_rows=access_rows,
        anchored=ring.anchored,
        keys=tuple(sorted(ring.trusted)),
    )
