"""The list of common and breached passwords shipped with the program (rule S3).

`security/common_passwords.txt`, one lower-cased password per line; where it comes from is in
`security/common_passwords.PROVENANCE.md`. Read once, kept as a frozenset for O(1) lookups.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

BLOCKLIST_FILE = Path(__file__).parent / "security" / "common_passwords.txt"


@cache
def common_passwords(path: Path = BLOCKLIST_FILE) -> frozenset[str]:
    """Every listed password, lower-cased; a missing file is an error, never an empty list."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())
