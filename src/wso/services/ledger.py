"""The ledger's operator acts: verify everything, take and publish signed checkpoints, rotate the
signing key, purge the access log past its retention period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wso.params import default_params
from wso.services.errors import InvalidInput
from wso.services.inputs import aware
from wso.services.permissions import Actor, Permission, require
from wso.store.access import PurgeResult, access_head, purge_access_log
from wso.store.heads import PublishedHeads, append_head, head_of, post_head
from wso.store.keys import key_registered, register_key
from wso.store.ledger import append_checkpoint
from wso.store.signing import Signer
from wso.store.uow import Store, UnitOfWork
from wso.store.verify import VerifyReport, verify_all

__all__ = [
    "CheckpointView",
    "checkpoint_and_publish",
    "checkpoint_ledger",
    "purge_access_log_before",
    "rotate_signing_key",
    "verify_ledger",
]


@dataclass(frozen=True)
class CheckpointView:
    seq: int
    at: datetime
    last_event_id: int
    stream_count: int
    root: str
    hash: str
    key_id: str | None = None
    head: dict[str, Any] | None = None  # the published line, when published

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "at": self.at.isoformat()}


def verify_ledger(
    uow: UnitOfWork,
    *,
    actor: Actor,
    public_keys: Iterable[Ed25519PublicKey] = (),
    heads: PublishedHeads | None = None,
) -> VerifyReport:
    """Chains, signatures, checkpoints, published heads, access log and projections (read-only)."""
    require(actor, Permission.READ_RECORDS)
    return verify_all(uow.session, public_keys=public_keys, heads=heads)


def checkpoint_ledger(uow: UnitOfWork, *, actor: Actor, at: datetime) -> CheckpointView:
    """Chain a signed Merkle root over every stream head and the access log's head."""
    require(actor, Permission.CHECKPOINT_LEDGER)
    aware("at", at)
    uow.ensure_key_registered(at=at)
    cp = append_checkpoint(
        uow.session, actor=actor.label, at=at, signer=uow.signer, access_head=access_head(uow.session)
    )
    view = CheckpointView(
        seq=cp.seq,
        at=cp.at,
        last_event_id=cp.last_event_id,
        stream_count=cp.stream_count,
        root=cp.root,
        hash=cp.hash,
        key_id=cp.key_id,
        head=head_of(cp, public_key_hex=uow.signer.public_hex),
    )
    return view


def checkpoint_and_publish(
    store: Store,
    *,
    heads_file: Path | str,
    webhook_url: str | None = None,
    now: datetime,
    actor: Actor | None = None,
) -> CheckpointView:
    """Take a signed checkpoint, then publish its head: a line in `heads_file`, and a POST to a witness.

    The worker calls this every few minutes and after each batch. The head is published only once
    the checkpoint is committed (a head for a rolled-back checkpoint would accuse the database of a
    truncation it never suffered); a webhook that fails raises after the file is written.
    """
    with store.unit_of_work() as uow:
        view = checkpoint_ledger(uow, actor=actor or Actor.system("checkpoint"), at=now)
    assert view.head is not None
    append_head(Path(heads_file), view.head)
    if webhook_url:
        post_head(webhook_url, view.head)
    return view


def rotate_signing_key(uow: UnitOfWork, *, actor: Actor, at: datetime, new: Signer, previous: Signer) -> str:
    """Record a new signing key, endorsed by the previous one (an auditor's trust follows the endorsement)."""
    require(actor, Permission.CHECKPOINT_LEDGER)
    aware("at", at)
    if key_registered(uow.session, new.key_id):
        raise InvalidInput("new_key", f"key {new.key_id} is registered already")
    if not key_registered(uow.session, previous.key_id):
        raise InvalidInput("previous_key", f"key {previous.key_id} is not a key of this ledger")
    register_key(uow.session, signer=new, previous=previous, actor=actor.label, at=at)
    return new.key_id


def retention_days(on: datetime) -> int:
    """CJIS Security Policy 5.4.7: audit records kept at least one year (params/audit/)."""
    return int(default_params().at("audit.access_log_retention_days", on).value)


def purge_access_log_before(uow: UnitOfWork, *, actor: Actor, before: datetime, now: datetime) -> PurgeResult:
    """Purge access-log rows older than `before`, refused inside the retention period; an event records it."""
    require(actor, Permission.CHECKPOINT_LEDGER)
    aware("before", before)
    aware("now", now)
    uow.ensure_key_registered(at=now)
    try:
        result = purge_access_log(
            uow.session,
            before=before,
            now=now,
            retention_days=retention_days(now),
            actor=actor.label,
            signer=uow.signer,
        )
    except ValueError as exc:
        raise InvalidInput("before", str(exc).removeprefix("before: ")) from None
    return result
