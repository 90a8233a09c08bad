"""The ledger's two operator acts: verify every chain, and chain a new checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wso.services.inputs import aware
from wso.services.permissions import Actor, Permission, require
from wso.store.ledger import VerifyReport, append_checkpoint, verify
from wso.store.uow import UnitOfWork


@dataclass(frozen=True)
class CheckpointView:
    seq: int
    at: datetime
    last_event_id: int
    stream_count: int
    root: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "at": self.at.isoformat()}


def verify_ledger(uow: UnitOfWork, *, actor: Actor) -> VerifyReport:
    """Walk every stream and checkpoint (read-only); who may read records may check their integrity."""
    require(actor, Permission.READ_RECORDS)
    return verify(uow.session)


def checkpoint_ledger(uow: UnitOfWork, *, actor: Actor, at: datetime) -> CheckpointView:
    """Chain a Merkle root over every stream head, so deleting a whole stream becomes detectable."""
    require(actor, Permission.CHECKPOINT_LEDGER)
    aware("at", at)
    cp = append_checkpoint(uow.session, actor=actor.label, at=at)
    uow.commit()
    return CheckpointView(seq=cp.seq, at=cp.at, last_event_id=cp.last_event_id, stream_count=cp.stream_count, root=cp.root, hash=cp.hash)
