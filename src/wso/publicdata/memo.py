"""What the public pages compute from ICE's sheets, kept in memory until the next import (issue 15, item 8).

The cross-sheet link (identity.py, ~0.2 s) and the page aggregates (counts by model and state, growth, signings per
month) change only when a sheet is imported or the agreements are relinked, yet every request recomputed them. They
are kept here, per process, under a key read from the database on every call: which database, every imported
snapshot (id, file hash, import time) and a fingerprint of the derived agreements (how many, how many identities),
so an import, a deleted snapshot or a relink by any process changes the key and the next request recomputes.
Reading the key costs two small queries (under a millisecond on SQLite).

Bounded (`MAX_ENTRIES`, least recently used out first) and thread-safe. Values are shared between requests:
callers treat them as read-only (the pages and the API only render or serialise them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wso.publicdata.tables import Agreement, Identity, Snapshot

T = TypeVar("T")
MAX_ENTRIES = 128  # e.g. a few databases x (overview, link, ~60 states' aggregates)

_lock = threading.Lock()
_entries: OrderedDict[Hashable, Any] = OrderedDict()
stats = {"hits": 0, "misses": 0}


def batch_key(session: Session) -> tuple[Hashable, ...]:
    """Which database, and what has been imported into it and derived from it (see the module docstring)."""
    bind = session.get_bind()
    snapshots = tuple(
        (sid, sha, str(at)) for sid, sha, at in session.execute(
            select(Snapshot.id, Snapshot.sha256, Snapshot.imported_at).order_by(Snapshot.id)
        )
    )  # fmt: skip
    derived = session.execute(
        select(
            select(func.count()).select_from(Agreement).scalar_subquery(),
            select(func.count(func.distinct(Identity.agreement_id))).scalar_subquery(),
        )
    ).one()
    return (bind.url.render_as_string(hide_password=True), snapshots, tuple(derived))


def remembered(session: Session, name: str, compute: Callable[[], T], *args: Hashable) -> T:
    """`compute()`, or what it returned before for the same `name`, `args` and import batch."""
    key = (batch_key(session), name, args)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            stats["hits"] += 1
            return _entries[key]  # type: ignore[no-any-return]
        stats["misses"] += 1
    value = compute()  # outside the lock: two first requests may both compute; both get the same answer
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget everything (tests; a process that edits sheets in place outside the importer)."""
    with _lock:
        _entries.clear()
