"""Which public keys sign the ledger: registered as events in the stream `ledger:keys`.

A key is registered by an event it signs itself (proof that its holder has the private key). A
rotation is a registration that also carries an endorsement: the previous key's signature over
the new key id and public key. An auditor who holds one published key (`--public-key`, or the keys
named in the published heads file) trusts exactly that key and the keys it endorsed, in order;
anything signed by any other key (say, one a database writer registered to re-sign a rewrite) is
reported. Without a published key, verify can only trust the keys the ledger itself records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from wso.store.ledger import LedgerEvent, append_event, canonical_json
from wso.store.signing import Signer, key_id_of, public_from_hex, signature_valid

KEYS_STREAM = "ledger:keys"
KEY_REGISTERED = "ledger.key_registered"
KEY_ROTATED = "ledger.key_rotated"
ENDORSE_CONTEXT = b"wso-ledger-key-endorsement-v1:"


def _endorsed_statement(key_id: str, public_hex: str) -> str:
    return canonical_json([key_id, public_hex])


def key_registered(session: Session, key_id: str) -> bool:
    return (
        session.scalar(
            select(LedgerEvent.id).where(LedgerEvent.stream == KEYS_STREAM, LedgerEvent.key_id == key_id).limit(1)
        )
        is not None
    )


def register_key(
    session: Session, *, signer: Signer, actor: str, at: datetime, previous: Signer | None = None
) -> LedgerEvent:
    """Record `signer`'s public key (signed by itself); with `previous`, a rotation it endorses."""
    payload = {
        "algorithm": "Ed25519",
        "key_id": signer.key_id,
        "public_key": signer.public_hex,
        "previous_key_id": None,
        "endorsement": None,
    }
    if previous is not None:
        payload["previous_key_id"] = previous.key_id
        payload["endorsement"] = previous.sign(ENDORSE_CONTEXT, _endorsed_statement(signer.key_id, signer.public_hex))
    return append_event(
        session,
        stream=KEYS_STREAM,
        actor=actor,
        at=at,
        type=KEY_ROTATED if previous else KEY_REGISTERED,
        payload=payload,
        signer=signer,
    )


@dataclass
class KeyRing:
    """The keys the ledger records, those an auditor trusts, and what was wrong with any of them."""

    keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    trusted: set[str] = field(default_factory=set)
    anchored: bool = False  # True when trust starts from a published key, not from the ledger itself
    problems: list[str] = field(default_factory=list)

    def problem(self, *, context: bytes, key_id: str | None, message: str, signature: str | None) -> str | None:
        """Why this signature does not prove the record, or None when it does."""
        if not key_id or not signature:
            return "is unsigned: written by someone without the signing key (a database writer?)"
        public = self.keys.get(key_id)
        if public is None:
            return f"is signed by key {key_id}, which the ledger never registered and no published key names"
        if key_id not in self.trusted:
            return f"is signed by key {key_id}, which no published key endorses"
        if not signature_valid(public, context, message, signature):
            return f"signature by key {key_id} does not verify: forged or rewritten without the signing key"
        return None


def key_ring(session: Session, *, published: Iterable[Ed25519PublicKey] = ()) -> KeyRing:
    """Read `ledger:keys`; trust the published keys and those they endorsed (or, without any, all)."""
    ring = KeyRing()
    anchors = {key_id_of(p): p for p in published}
    ring.keys.update(anchors)
    ring.anchored = bool(anchors)
    ring.trusted.update(anchors)
    events = session.scalars(select(LedgerEvent).where(LedgerEvent.stream == KEYS_STREAM).order_by(LedgerEvent.seq))
    for event in events:
        data = event.data
        try:
            public = public_from_hex(str(data.get("public_key", "")))
        except ValueError:
            ring.problems.append(f"{KEYS_STREAM} seq {event.seq}: the public key is not an Ed25519 key")
            continue
        key_id = key_id_of(public)
        if key_id != data.get("key_id") or key_id != event.key_id:
            ring.problems.append(
                f"{KEYS_STREAM} seq {event.seq}: key id {data.get('key_id')} does not name its public key"
            )
            continue
        known = ring.keys.get(key_id)
        if known is not None and key_id in anchors and known != public:
            ring.problems.append(f"{KEYS_STREAM} seq {event.seq}: key {key_id} differs from the published key")
            continue
        ring.keys[key_id] = public
        previous_id = data.get("previous_key_id")
        endorsement = data.get("endorsement")
        previous = ring.keys.get(previous_id) if previous_id else None
        endorsed = previous is not None and signature_valid(
            previous, ENDORSE_CONTEXT, _endorsed_statement(key_id, data["public_key"]), endorsement
        )
        if previous_id and not endorsed:
            ring.problems.append(
                f"{KEYS_STREAM} seq {event.seq}: rotation to key {key_id} is not endorsed by key {previous_id}"
            )
        if not ring.anchored or (endorsed and previous_id in ring.trusted):
            ring.trusted.add(key_id)
    return ring
