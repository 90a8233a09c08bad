"""The history of each agreement across ICE's snapshots, as pure functions of what was listed when.

ICE publishes the current list only; history is what changes between lists. For each
agreement (see ids.py) this derives first and last seen, and a status:

- `active`: on the latest participating list;
- `superseded`: dropped from the participating list when another agreement of the same agency
  and model (a renewal, a new signing date) was listed instead; `related_id` is the newer one;
- `removed`: dropped from the participating list with nothing of the same agency and model
  listed instead;
- `pending`: on the latest pending list, not yet on a later participating list;
- `joined`: listed as pending, then on a later participating list (`related_id`: the agreement);
- `withdrawn`: dropped from the pending list without reaching the participating list.

`status_since` is the date of the snapshot that showed the change. Gaps between snapshots
hide when exactly a change happened; the dates say only "by then".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_PART_ORDER = {"am": 0, "": 1, "pm": 2}


@dataclass(frozen=True)
class SnapshotKey:
    """What history needs of a snapshot: identity, list and moment."""

    id: int
    kind: str
    as_of: dt.date
    part: str = ""
    file: str = ""

    @property
    def order(self) -> tuple[dt.date, int, int]:
        """Date, then half-day; at one moment the participating list counts as read first."""
        return (self.as_of, _PART_ORDER.get(self.part, 1), 0 if self.kind == "participating" else 1)


@dataclass(frozen=True)
class Listing:
    """One agreement listed on one snapshot."""

    snapshot_id: int
    agreement_id: str
    line_id: str


@dataclass(frozen=True)
class AgreementHistory:
    agreement_id: str
    first_seen: dt.date
    last_seen: dt.date
    latest_snapshot_id: int
    listed_pending: bool
    status: str
    status_since: dt.date | None
    related_id: str | None = None


@dataclass(frozen=True)
class Changes:
    """What changed on the participating list from one snapshot to the next."""

    before: SnapshotKey
    after: SnapshotKey
    added: tuple[str, ...]
    removed: tuple[str, ...]
    renewed: tuple[str, ...] = field(default_factory=tuple)
    from_pending: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        return {
            "before": self.before.as_of.isoformat() + (f" {self.before.part}" if self.before.part else ""),
            "after": self.after.as_of.isoformat() + (f" {self.after.part}" if self.after.part else ""),
            "added": len(self.added),
            "removed": len(self.removed),
            "renewed": len(self.renewed),
            "from_pending": len(self.from_pending),
        }


def histories(
    snapshots: Iterable[SnapshotKey], listings: Iterable[Listing], *, successors: Mapping[str, str] | None = None
) -> dict[str, AgreementHistory]:
    """Every agreement's history, from every snapshot imported so far (in any import order).

    `successors` (identity.py: agreement -> the agreement that re-signed it), when given, decides
    `superseded`; without it, any other agreement of the same agency and model listed next counts.
    An agreement's line is the one its latest listing had (a renamed agency changes its line).
    """
    ordered = sorted(snapshots, key=lambda s: s.order)
    position = {s.id: i for i, s in enumerate(ordered)}
    by_id = {s.id: s for s in ordered}
    seen: dict[str, list[int]] = defaultdict(list)  # agreement -> positions
    line_of: dict[str, str] = {}
    line_at: dict[str, tuple[int, str]] = {}
    on_list: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # position -> line -> ids
    for listing in listings:
        p = position[listing.snapshot_id]
        seen[listing.agreement_id].append(p)
        if (p, listing.line_id) > line_at.get(listing.agreement_id, (-1, "")):
            line_at[listing.agreement_id] = (p, listing.line_id)
            line_of[listing.agreement_id] = listing.line_id
        on_list[p][listing.line_id].add(listing.agreement_id)
    participating = [i for i, s in enumerate(ordered) if s.kind == "participating"]
    pending = [i for i, s in enumerate(ordered) if s.kind == "pending"]

    result: dict[str, AgreementHistory] = {}
    for agreement, positions in seen.items():
        positions.sort()
        first, last = ordered[positions[0]], ordered[positions[-1]]
        line = line_of[agreement]
        is_pending = first.kind == "pending"
        status, since, related = _status(
            positions=positions,
            line=line,
            own_list=pending if is_pending else participating,
            participating=participating,
            on_list=on_list,
            ordered=ordered,
            is_pending=is_pending,
            successor=None if successors is None else successors.get(agreement, ""),
        )
        result[agreement] = AgreementHistory(
            agreement_id=agreement,
            first_seen=first.as_of,
            last_seen=last.as_of,
            latest_snapshot_id=by_id[last.id].id,
            listed_pending=is_pending,
            status=status,
            status_since=since,
            related_id=related,
        )
    return result


def _status(
    *,
    positions: list[int],
    line: str,
    own_list: list[int],
    participating: list[int],
    on_list: Mapping[int, Mapping[str, set[str]]],
    ordered: list[SnapshotKey],
    is_pending: bool,
    successor: str | None = None,
) -> tuple[str, dt.date | None, str | None]:
    if is_pending:
        later = [p for p in participating if p > positions[0] and on_list[p].get(line)]
        if later:
            return "joined", ordered[later[0]].as_of, min(on_list[later[0]][line])
    last = positions[-1]
    after = [p for p in own_list if p > last]
    if not after:
        return ("pending" if is_pending else "active"), ordered[positions[0]].as_of, None
    next_position = after[0]
    if is_pending:
        return "withdrawn", ordered[next_position].as_of, None
    if successor is not None:
        if successor:
            return "superseded", ordered[next_position].as_of, successor
        return "removed", ordered[next_position].as_of, None
    successors = on_list[next_position].get(line, set())
    if successors:
        return "superseded", ordered[next_position].as_of, max(successors)
    return "removed", ordered[next_position].as_of, None


def changes(snapshots: Iterable[SnapshotKey], listings: Iterable[Listing]) -> list[Changes]:
    """What was added, removed, renewed and promoted from pending between consecutive participating lists."""
    ordered = sorted(snapshots, key=lambda s: s.order)
    ids_on: dict[int, dict[str, str]] = defaultdict(dict)  # snapshot -> agreement -> line
    for listing in listings:
        ids_on[listing.snapshot_id][listing.agreement_id] = listing.line_id
    result: list[Changes] = []
    pending_lines: set[str] = set()
    previous: SnapshotKey | None = None
    for snapshot in ordered:
        if snapshot.kind == "pending":
            pending_lines |= set(ids_on[snapshot.id].values())
            continue
        if previous is not None:
            before, after = ids_on[previous.id], ids_on[snapshot.id]
            added = sorted(set(after) - set(before))
            removed = sorted(set(before) - set(after))
            lines_before = set(before.values())
            result.append(
                Changes(
                    before=previous,
                    after=snapshot,
                    added=tuple(added),
                    removed=tuple(removed),
                    renewed=tuple(a for a in added if after[a] in lines_before),
                    from_pending=tuple(a for a in added if after[a] in pending_lines and after[a] not in lines_before),
                )
            )
        previous = snapshot
    return result
