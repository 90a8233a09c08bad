"""Ed25519 signing of ledger events and checkpoints, with a key that is not in the database.

Why: a hash chain only shows that rows agree with each other; anyone who can INSERT (or, with
the triggers disabled, rewrite) can recompute every hash. A signature needs the private key, which
lives in a file of mode 0600 (WSO_SIGNING_KEY_FILE, default var/signing.key) or in WSO_SIGNING_KEY,
never in a table, so a database writer cannot forge an event. Ed25519 (RFC 8032, via the
`cryptography` package) because an auditor verifies with the public key alone.

Key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DEFAULT_KEY_FILE = Path("var") / "signing.key"
EVENT_CONTEXT = b"wso-ledger-event-v1:"
CHECKPOINT_CONTEXT = b"wso-ledger-checkpoint-v1:"
ACCESS_CONTEXT = b"wso-access-log-v1:"


class SigningKeyError(RuntimeError):
    """No usable signing key: says where one is looked for and how to make one."""


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_hex(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_from_hex(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.strip()))


@dataclass(frozen=True)
class Signer:
    """A private key and its id; `sign` returns a hex signature over context + message."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public)

    @property
    def public_hex(self) -> str:
        return public_hex(self.public)

    def sign(self, context: bytes, message: str) -> str:
        return self.private.sign(context + message.encode("utf-8")).hex()

    def private_pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public_pem(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def generate() -> Signer:
    return Signer(Ed25519PrivateKey.generate())


def signature_valid(public: Ed25519PublicKey, context: bytes, message: str, signature: str | None) -> bool:
    if not signature:
        return False
    try:
        public.verify(bytes.fromhex(signature), context + message.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


def _private_from_text(data: bytes, *, where: str) -> Signer:
    text = data.strip()
    try:
        if text.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(text, password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise SigningKeyError(f"{where}: not an Ed25519 private key")
            return Signer(key)
        raw = base64.b64decode(text, validate=True)
        return Signer(Ed25519PrivateKey.from_private_bytes(raw))
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{where}: not an Ed25519 private key (PEM or base64 of 32 bytes): {exc}") from None


def load_key_file(path: Path) -> Signer:
    """The key in `path`, refused unless only its owner may read it (mode 0600 or stricter)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(f"{path}: mode {mode:o} lets others read the signing key; chmod 600 {path}")
    return _private_from_text(path.read_bytes(), where=str(path))


def write_key_file(path: Path, signer: Signer) -> None:
    """Write a new key with mode 0600 from the start (never world-readable, even for an instant)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(signer.private_pem())


def public_key_from_file(path: Path) -> Ed25519PublicKey:
    """A published public key: PEM, or the 64 hex digits of the raw key."""
    data = path.read_bytes().strip()
    if data.startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, Ed25519PublicKey):
            raise SigningKeyError(f"{path}: not an Ed25519 public key")
        return key
    try:
        return public_from_hex(data.decode("ascii"))
    except ValueError as exc:
        raise SigningKeyError(f"{path}: not an Ed25519 public key (PEM or 64 hex digits): {exc}") from None


def signer_from_env(environ: dict[str, str] | None = None) -> Signer | None:
    """WSO_SIGNING_KEY (PEM or base64), else WSO_SIGNING_KEY_FILE, else var/signing.key if present."""
    env = os.environ if environ is None else environ
    inline = env.get("WSO_SIGNING_KEY")
    if inline:
        return _private_from_text(inline.encode("utf-8"), where="WSO_SIGNING_KEY")
    named = env.get("WSO_SIGNING_KEY_FILE")
    if named:
        path = Path(named)
        if not path.exists():
            raise SigningKeyError(
                f"WSO_SIGNING_KEY_FILE={named}: no such file (create one with `wso ledger keygen {named}`)"
            )
        return load_key_file(path)
    if DEFAULT_KEY_FILE.exists():
        return load_key_file(DEFAULT_KEY_FILE)
    return None


def require_signer(signer: Signer | None) -> Signer:
    if signer is None:
        raise SigningKeyError(
            "no ledger signing key: set WSO_SIGNING_KEY_FILE (a file of mode 0600) or WSO_SIGNING_KEY, "
            f"or create {DEFAULT_KEY_FILE} with `wso ledger keygen {DEFAULT_KEY_FILE}`"
        )
    return signer
