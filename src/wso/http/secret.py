"""The key that signs session cookies: WSO_SECRET_KEY, else a random key kept under var/.

A key generated per process would log everyone out at each restart and differ between workers,
so a generated key is written once to a file only its owner can read, and reused.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = Path("var") / "secret_key"
MIN_LENGTH = 32


def secret_key(*, path: Path = SECRET_FILE) -> str:
    """The signing key; refuses a WSO_SECRET_KEY too short to resist guessing."""
    from_env = os.environ.get("WSO_SECRET_KEY")
    if from_env is not None:
        if len(from_env) < MIN_LENGTH:
            raise ValueError(f"WSO_SECRET_KEY must be at least {MIN_LENGTH} characters")
        return from_env
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write a private temporary file, then link it into place: linking fails if another worker
    # won the race, and then its key (complete, never half-written) is the one to use.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text(encoding="utf-8").strip()
