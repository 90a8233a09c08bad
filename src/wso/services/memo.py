"""The rules' facts of officers and agreements, remembered by their ledger stream's head (issue 11 item 6).

Every projection row of an officer (its own row, its exam attempts, withdrawals, credentials, trainings and
required trainings, voided entries included) is a fold of its ledger stream `officer:<id>`, and an agreement's
row, notices and meetings of `agreement:<id>`: every write to them appends an event on that stream in the same
transaction (the A4 revocation appends on each officer's stream; `wso ledger verify` replays the streams against
the tables). The ledger is hash-chained, so the hash of a stream's last event names the stream's whole history
exactly, even across a restored backup, and a fact computed from the rows at that head is the fact for every
later read at the same head. The key is exact: a write moves the head, the next read misses and loads the rows.
(The one row an officer's fold reads from another stream, A4's notice, is never changed after it is written:
only its `lifted_at`, which the officer's withdrawal does not copy.)

The roster reads the heads in its list query, with the officers' and agreements' own rows (refreshed by that
statement even when the session held them already), and then, on a miss, the children, in that order: under READ
COMMITTED a write committed in between can only make the facts stored newer than their key, never older. (Such an
entry is reachable again only if the stream goes back to that head: a backup restored under a running process.
Restore with the server stopped, or call `memo_of(engine).clear()`.)
Only facts are kept, never decisions: the rules still run on each read for its instant `at`.

One memo per engine (a WeakKeyDictionary keyed by the Engine), so two apps or databases in one process never
share entries, and an engine's entries go when the engine is collected. Bounded (least recently used out
first), thread-safe. A unit of work that has written reads from the tables and keeps nothing: its rows may
be ahead of its events.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from sqlalchemy import Engine

from wso.rules import facts
from wso.services.to_facts import agreement_children, agreement_fact_of, officer_children, officer_fact_of
from wso.store import tables
from wso.store.uow import UnitOfWork

MAX_ENTRIES = 20_000  # facts of officers and agreements: some 1-2 KB each, so tens of MB at most


class FactsMemo:
    """A bounded, thread-safe map from (kind, id, head hash, ...) to an immutable fact: cachetools' LRU cache
    (least recently used out first) behind one lock, with counts of hits and misses."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: LRUCache[Hashable, Any] = LRUCache(maxsize=max_entries)
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


_memos: weakref.WeakKeyDictionary[Engine, FactsMemo] = weakref.WeakKeyDictionary()
_memos_lock = threading.Lock()


def memo_of(engine: Engine) -> FactsMemo:
    """The engine's own memo (made on first use)."""
    with _memos_lock:
        memo = _memos.get(engine)
        if memo is None:
            memo = _memos[engine] = FactsMemo()
        return memo


def _memo(uow: UnitOfWork) -> FactsMemo | None:
    """The memo of the unit of work's database, or None when the unit of work has written (see above)."""
    if uow.has_writes():
        return None
    bind = uow.session.get_bind()
    return memo_of(bind if isinstance(bind, Engine) else bind.engine)


@dataclass(frozen=True)
class Headed:
    """A row as listed with the hash of its stream's head (None: a row no event explains, never memoized)."""

    row: Any
    head: str | None


def officer_facts(uow: UnitOfWork, officers: Iterable[Headed]) -> dict[str, facts.Officer]:
    """The officers as the rules see them, by id: remembered ones from the memo, the others from their child
    rows (one query per child table for all of them; none when every officer is remembered)."""
    memo = _memo(uow)
    found: dict[str, facts.Officer] = {}
    missing: list[Headed] = []
    for each in officers:
        fact = memo.get(("officer", each.row.id, each.head)) if memo is not None and each.head else None
        if fact is None:
            missing.append(each)
        else:
            found[each.row.id] = fact
    kids = officer_children(uow, _ids(missing), entities=False)
    for each in missing:
        fact = found[each.row.id] = officer_fact_of(each.row, kids[each.row.id])
        if memo is not None and each.head:
            memo.put(("officer", each.row.id, each.head), fact)
    return found


def agreement_facts(
    uow: UnitOfWork, agreements: Iterable[Headed], *, agencies: dict[str, tables.Agency]
) -> dict[str, facts.Agreement]:
    """The agreements as the rules see them, by id, keyed also by their agency's zone (not on their stream);
    the notices and meetings of those not remembered in two queries."""
    memo = _memo(uow)
    found: dict[str, facts.Agreement] = {}
    missing: list[tuple[Headed, tuple[Any, ...]]] = []
    for each in agreements:
        key = ("agreement", each.row.id, each.head, agencies[each.row.agency_id].timezone)
        fact = memo.get(key) if memo is not None and each.head else None
        if fact is None:
            missing.append((each, key))
        else:
            found[each.row.id] = fact
    kids = agreement_children(uow, _ids(each for each, _ in missing))
    for each, key in missing:
        timezone = agencies[each.row.agency_id].timezone
        fact = found[each.row.id] = agreement_fact_of(each.row, kids[each.row.id], timezone=timezone)
        if memo is not None and each.head:
            memo.put(key, fact)
    return found


def _ids(headed: Iterable[Headed]) -> Collection[str]:
    return list(dict.fromkeys(each.row.id for each in headed))
