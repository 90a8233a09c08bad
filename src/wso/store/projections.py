"""Replaying the ledger into the rows it should have produced, and comparing them with the tables.

Why: decisions (is this officer authorized?) are read from projection rows, so a row deleted or
edited by hand changes a decision while every hash chain stays intact. `wso ledger verify` folds
every stream through the pure functions registered here and reports each difference from the
tables (table, row id, column, expected, found; missing and extra rows).

Pluggable by stream prefix: an area that owns streams (`hold:<id>`, say) registers its fold in a
module listed in `_FOLD_MODULES`:

    register_projection("hold:", apply=apply_hold_event, tables=("holds", "hold_clocks"))

`apply(rows, event)` is pure: it changes `rows` (table -> row id -> column -> value) as the
service changed the tables when it appended `event`, and raises UnknownEvent for a type it does not
know. Only the columns a fold sets are compared, so a column the ledger cannot prove (a password
hash) is left out by leaving it out of the fold. A custom `compare(expected, actual)` may replace
the default column-by-column comparison for an area's tables.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# The envelope, the rows and the instant parser are core (wso.events.base); re-exported for the areas' folds.
from wso.events.base import Event, Rows, UnknownEvent, parse_instant  # noqa: F401

# Modules that register folds when imported; a module not yet present is skipped.
_FOLD_MODULES = ("wso.store.folds", "wso.holds.folds", "wso.worker.folds")


@dataclass(frozen=True)
class Difference:
    """One disagreement between the replayed ledger and a table."""

    table: str
    row_id: str
    column: str | None
    expected: Any
    found: Any
    what: str  # "differs", "missing" (the ledger has it, the table not), "extra" (the reverse), "unprovable"

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row_id": self.row_id,
            "column": self.column,
            "what": self.what,
            "expected": _plain(self.expected),
            "found": _plain(self.found),
        }

    def describe(self) -> str:
        if self.what == "missing":
            return f"{self.table} row {self.row_id} is missing (the ledger records it)"
        if self.what == "extra":
            return f"{self.table} row {self.row_id} is not in the ledger (added by hand?)"
        if self.what == "unprovable":
            return f"{self.table}: {self.expected}"
        expected, found = _plain(self.expected), _plain(self.found)
        return f"{self.table} row {self.row_id} column {self.column}: expected {expected!r}, found {found!r}"


Apply = Callable[[Rows, Event], None]
Compare = Callable[[Rows, Rows], list[Difference]]


@dataclass(frozen=True)
class Projection:
    prefix: str
    apply: Apply
    tables: tuple[str, ...]
    compare: Compare | None = None


@dataclass
class _Registry:
    projections: dict[str, Projection] = field(default_factory=dict)
    observers: list[tuple[str, Apply]] = field(default_factory=list)
    loaded: bool = False


_REGISTRY = _Registry()


def register_projection(
    prefix: str, *, apply: Apply, tables: Iterable[str] = (), compare: Compare | None = None
) -> None:
    """Replay streams whose name starts with `prefix` through `apply`; compare `tables` afterwards."""
    _REGISTRY.projections[prefix] = Projection(prefix, apply, tuple(tables), compare)


def register_observer(prefix: str, observe: Apply) -> None:
    """After an event of a stream starting with `prefix` is folded, call `observe(rows, event)` (pure):
    a fold that decides from another area's records (a hold from its agreement) keeps their history."""
    _REGISTRY.observers.append((prefix, observe))


def projections() -> list[Projection]:
    if not _REGISTRY.loaded:
        for name in _FOLD_MODULES:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name not in (name, name.rsplit(".", 1)[0]):
                    raise
        _REGISTRY.loaded = True
    return sorted(_REGISTRY.projections.values(), key=lambda p: -len(p.prefix))


def projection_for(stream: str) -> Projection | None:
    for projection in projections():  # longest prefix first
        if stream.startswith(projection.prefix):
            return projection
    return None


def replay(events: Iterable[Event]) -> tuple[Rows, list[Difference]]:
    """Fold every event, in the order appended, into the rows the tables should hold."""
    rows: Rows = {}
    problems: list[Difference] = []
    for event in events:
        projection = projection_for(event.stream)
        if projection is None:
            problems.append(
                Difference(
                    "(ledger)",
                    event.stream,
                    None,
                    f"no projection is registered for stream {event.stream} (event {event.id})",
                    None,
                    "unprovable",
                )
            )
            continue
        try:
            projection.apply(rows, event)
            for prefix, observe in _REGISTRY.observers:
                if event.stream.startswith(prefix):
                    observe(rows, event)
        except (UnknownEvent, KeyError, ValueError, TypeError) as exc:
            problems.append(
                Difference(
                    "(ledger)",
                    event.stream,
                    None,
                    f"event {event.id} ({event.type}) of {event.stream} cannot be replayed: {exc}",
                    None,
                    "unprovable",
                )
            )
    return rows, problems


def same(expected: Any, found: Any) -> bool:
    """Equal as the tables mean it: instants compared in UTC, numbers as numbers, booleans as booleans."""
    if expected is None or found is None:
        return expected is None and found is None
    if isinstance(expected, bool) or isinstance(found, bool):
        return isinstance(expected, bool) and isinstance(found, bool) and expected == found
    if isinstance(expected, datetime) and isinstance(found, datetime):
        return expected.astimezone(UTC) == found.astimezone(UTC)
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)):
        return math.isclose(float(expected), float(found), rel_tol=0, abs_tol=1e-9)
    return type(expected) is type(found) and expected == found


def compare_rows(
    table: str, expected: Mapping[str, Mapping[str, Any]], actual: Mapping[str, Mapping[str, Any]]
) -> list[Difference]:
    """Missing rows, extra rows, and each column of each row the fold set that differs."""
    out: list[Difference] = []
    for row_id in sorted(expected.keys() - actual.keys()):
        out.append(Difference(table, row_id, None, "present", None, "missing"))
    for row_id in sorted(actual.keys() - expected.keys()):
        out.append(Difference(table, row_id, None, None, "present", "extra"))
    for row_id in sorted(expected.keys() & actual.keys()):
        want, have = expected[row_id], actual[row_id]
        for column in sorted(want):
            if not same(want[column], have.get(column)):
                out.append(Difference(table, row_id, column, want[column], have.get(column), "differs"))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value
