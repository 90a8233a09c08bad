"""Signed checkpoint heads published outside the database (Certificate Transparency's signed tree heads).

Each checkpoint, once committed, is appended as one JSON line to an append-only heads file (kept
where a database writer cannot write: another host, a WORM volume, a witness's inbox) and may be
POSTed to a witness webhook. `wso ledger verify --heads FILE` then holds the database to what was
published: a published checkpoint missing from the database (checkpoints deleted, ledger truncated)
or present with another hash (history rewritten, hashes and checkpoints recomputed) is reported.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from wso.store.ledger import GENESIS, Break, LedgerCheckpoint, instant_text
from wso.store.signing import CHECKPOINT_CONTEXT, key_id_of, public_from_hex, signature_valid

HEAD_FIELDS = (
    "seq",
    "at",
    "last_event_id",
    "stream_count",
    "root",
    "access_seq",
    "access_hash",
    "prev_hash",
    "hash",
    "key_id",
    "signature",
    "public_key",
)


def head_of(checkpoint: LedgerCheckpoint, *, public_key_hex: str) -> dict[str, Any]:
    """The line published for a checkpoint: its fields, its signature and the signing public key."""
    return {
        "seq": checkpoint.seq,
        "at": instant_text(checkpoint.at),
        "last_event_id": checkpoint.last_event_id,
        "stream_count": checkpoint.stream_count,
        "root": checkpoint.root,
        "access_seq": checkpoint.access_seq,
        "access_hash": checkpoint.access_hash,
        "prev_hash": checkpoint.prev_hash,
        "hash": checkpoint.hash,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "public_key": public_key_hex,
    }


def append_head(path: Path, head: dict[str, Any]) -> None:
    """Append one line and fsync it: a head the witness never received protects nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(head, sort_keys=True, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def post_head(url: str, head: dict[str, Any], *, timeout: float = 10.0) -> int:
    """POST the head as JSON to a witness; returns the HTTP status (an error raises)."""
    body = json.dumps(head, sort_keys=True).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (operator-configured URL)
        return int(response.status)


class HeadsFileError(ValueError):
    """A heads file that cannot be read: names the line and what is wrong."""


@dataclass(frozen=True)
class PublishedHeads:
    heads: tuple[dict[str, Any], ...]
    public_keys: tuple[Ed25519PublicKey, ...]


def read_heads(path: Path) -> PublishedHeads:
    heads: list[dict[str, Any]] = []
    keys: dict[str, Ed25519PublicKey] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            head = json.loads(line)
        except json.JSONDecodeError as exc:
            raise HeadsFileError(f"{path} line {number}: not JSON ({exc.msg})") from None
        missing = [f for f in HEAD_FIELDS if f not in head]
        if missing:
            raise HeadsFileError(f"{path} line {number}: missing {', '.join(missing)}")
        try:
            public = public_from_hex(head["public_key"])
        except ValueError:
            raise HeadsFileError(f"{path} line {number}: public_key is not an Ed25519 key") from None
        keys[key_id_of(public)] = public
        heads.append(head)
    return PublishedHeads(tuple(heads), tuple(keys.values()))


def check_heads(session: Session, published: PublishedHeads, *, trusted: Iterable[str]) -> list[Break]:
    """Hold the database's checkpoints to the published heads, line by line."""
    breaks: list[Break] = []
    trusted_ids = set(trusted)
    by_seq = {cp.seq: cp for cp in session.scalars(select(LedgerCheckpoint))}
    expected_prev = GENESIS
    previous_seq = 0
    for head in published.heads:
        seq = int(head["seq"])
        where = "published heads"
        public = public_from_hex(head["public_key"])
        key_id = key_id_of(public)
        if key_id != head["key_id"] or not signature_valid(public, CHECKPOINT_CONTEXT, head["hash"], head["signature"]):
            breaks.append(
                Break(where, seq, "the published head's signature does not verify (the heads file was edited)")
            )
            continue
        if key_id not in trusted_ids:
            breaks.append(
                Break(where, seq, f"the published head is signed by key {key_id}, which no trusted key endorses")
            )
        if seq == previous_seq + 1 and head["prev_hash"] != expected_prev:
            breaks.append(Break(where, seq, "the published heads do not chain (prev_hash)"))
        previous_seq, expected_prev = seq, head["hash"]
        found = by_seq.get(seq)
        if found is None:
            breaks.append(
                Break(
                    where,
                    seq,
                    f"published checkpoint {seq} is missing from the database: checkpoints "
                    "were deleted or the ledger was truncated",
                )
            )
        elif found.hash != head["hash"] or found.root != head["root"] or found.last_event_id != head["last_event_id"]:
            breaks.append(
                Break(
                    where,
                    seq,
                    f"checkpoint {seq} differs from the published head (hash {found.hash[:12]}... "
                    f"where {head['hash'][:12]}... was published): the history was rewritten",
                )
            )
    return breaks
