"""One agreement's identity across ICE's sheets: renames, corrected signing dates, re-signings.

ICE edits its own list: it respells agencies ("Ft. Myers" -> "Fort Myers", "Indiatlantic" <->
"Indialantic"), renames them ("Town of Palm Beach Police Department" -> "Palm Beach Police
Department") and corrects SIGNED when it posts the MOA ("link pending" -> "link", 2025-06-12 ->
2025-06-11). Read key by key, each edit looks like one agreement ending and another starting.
This module links the rows of consecutive sheets of one list (participating or pending) into
identities, pure and order-independent (sheets are taken by date, keys in sorted order):

1. the same printed key (ids.py) on both sheets: the same agreement; a key printed again after
   a gap keeps the identity it had;
2. a decision in the fixes file (fixes.py): `same` joins the two printings, `distinct` forbids it;
3. a row that left and a row that appeared, same state and model, are joined when
   - renamed: same signing date, county the same or blank/#N/A on one side, names similar
     (token-set ratio >= `publicdata.name_similarity`);
   - signing date corrected: same agency (its slug), date moved by at most
     `publicdata.signing_date_correction_days`;
   - both at once: similar names and a date moved within that bound;
   each only when the pair is the best and only candidate of both rows; otherwise the rows
   stay apart and the pair is listed for review;
4. re-signed: same agency and model, the new date at least `publicdata.re_signing_years` later:
   a new agreement that supersedes the old one (the old identity ends, `related_id` says by what);
5. everything else: added or ended. Near misses (similar names below the threshold, the same MOA
   link under another name, a date moved more than a correction and less than a re-signing, a
   left row resembling one still listed) are listed for review and joined by nobody.

An identity's id is the printed key of its first row (`STATE-agency#MODEL#date-first-printed`):
a corrected date or a new name does not change it, and every printed key it ever had resolves to
it (`publicdata_identities`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from wso.params import ParamSet, default_params
from wso.publicdata.fixes import Fix
from wso.publicdata.history import SnapshotKey
from wso.publicdata.ids import slug

CLASSES = ("added", "ended", "renamed", "signing_date_corrected", "re_signed")
PARAM_NAMES = (
    "publicdata.name_similarity",
    "publicdata.review_similarity",
    "publicdata.signing_date_correction_days",
    "publicdata.re_signing_years",
)
_BLANK_COUNTY = {"", "#n/a", "n/a"}
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DAYS_PER_YEAR = 365.25
# Candidate strength: lower is stronger. Only the strongest tier of a row competes.
_RENAMED, _CORRECTED, _BOTH = 1, 2, 3


@dataclass(frozen=True)
class Printed:
    """One row of one sheet as ICE printed it, with its printed key (ids.agreement_id)."""

    snapshot_id: int
    row: int
    key: str
    state: str
    agency: str
    model: str
    county: str
    signed_on: dt.date | None
    signed_raw: str | None
    moa: str
    moa_url: str | None


@dataclass(frozen=True)
class Thresholds:
    """The four cited params the matching reads, as in force on the later sheet's date."""

    name_similarity: float
    review_similarity: float
    correction_days: int
    re_signing_years: float
    cited: tuple[dict[str, Any], ...] = ()


def thresholds_on(day: dt.date, params: ParamSet | None = None) -> Thresholds:
    params = params or default_params()
    values = [params.at(name, day) for name in PARAM_NAMES]
    return Thresholds(
        name_similarity=float(values[0].value),
        review_similarity=float(values[1].value),
        correction_days=int(values[2].value),
        re_signing_years=float(values[3].value),
        cited=tuple(v.to_dict() for v in values),
    )


@dataclass(frozen=True)
class ChangeRow:
    """One change between two sheets, with the cells that show it."""

    classes: tuple[str, ...]
    agreement_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    evidence: str
    related_id: str | None = None
    fix: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": "+".join(self.classes),
            "classes": list(self.classes),
            "agreement_id": self.agreement_id,
            "related_id": self.related_id,
            "before": self.before,
            "after": self.after,
            "evidence": self.evidence,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class ReviewItem:
    """A doubtful pair (or set) of rows that were NOT joined: a person decides, in the fixes file."""

    reason: str
    rows: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "rows": list(self.rows)}


@dataclass(frozen=True)
class Step:
    """What changed from one sheet to the next sheet of the same list."""

    kind: str
    before: SnapshotKey
    after: SnapshotKey
    rows: tuple[ChangeRow, ...]
    review: tuple[ReviewItem, ...]
    thresholds: Thresholds

    def count(self, name: str) -> int:
        return sum(1 for r in self.rows if name in r.classes)

    def to_dict(self, *, rows: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "list": self.kind,
            "from": _label(self.before),
            "to": _label(self.after),
            **{name: self.count(name) for name in CLASSES},
            "review": len(self.review),
        }
        if rows:
            data["rows"] = [r.to_dict() for r in self.rows]
            data["review_items"] = [r.to_dict() for r in self.review]
            data["thresholds"] = list(self.thresholds.cited)
        return data


@dataclass(frozen=True)
class Linking:
    """Every sighting's identity, how it was reached, and each step's changes."""

    identity: Mapping[tuple[int, int], str]
    how: Mapping[tuple[int, int], str]
    fix_of: Mapping[tuple[int, int], dict[str, Any]]
    fixes: Mapping[str, tuple[dict[str, Any], ...]]
    successors: Mapping[str, str]
    steps: tuple[Step, ...]


def _label(snapshot: SnapshotKey) -> str:
    return snapshot.as_of.isoformat() + (f" {snapshot.part}" if snapshot.part else "")


def words(name: str) -> str:
    """An agency's name as lower-case words: apostrophes dropped, '&' read as 'and', punctuation a space."""
    folded = name.casefold().replace("'", "").replace("\u2019", "").replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def similarity(a: str, b: str) -> float:
    """Token-set ratio (0-100) of two agency names: word order and an added word ('Department') count little."""
    return float(fuzz.token_set_ratio(words(a), words(b)))


def _county_compatible(a: str, b: str) -> bool:
    x, y = a.casefold().strip(), b.casefold().strip()
    return x == y or x in _BLANK_COUNTY or y in _BLANK_COUNTY


def _same_date(a: Printed, b: Printed) -> bool:
    if a.signed_on is not None or b.signed_on is not None:
        return a.signed_on == b.signed_on
    return a.signed_raw == b.signed_raw


def _days(a: Printed, b: Printed) -> int | None:
    return (b.signed_on - a.signed_on).days if a.signed_on and b.signed_on else None


def _cells(row: Printed, snapshot: SnapshotKey) -> dict[str, Any]:
    return {
        "sheet": snapshot.file or _label(snapshot),
        "as_of": snapshot.as_of.isoformat(),
        "row": row.row,
        "key": row.key,
        "state": row.state,
        "agency": row.agency,
        "county": row.county,
        "model": row.model,
        "signed": row.signed_on.isoformat() if row.signed_on else row.signed_raw,
        "moa": row.moa,
        "moa_url": row.moa_url,
    }


@dataclass
class _Candidate:
    gone: str
    new: str
    tier: int
    score: float
    days: int | None


@dataclass
class _State:
    """What the walk over one list's sheets carries from one sheet to the next."""

    previous: dict[str, tuple[str, Printed]] = field(default_factory=dict)  # key -> (identity, row)
    key_identity: dict[str, str] = field(default_factory=dict)  # every key ever printed -> its last identity
    used: set[str] = field(default_factory=set)


def link(
    snapshots: Iterable[SnapshotKey],
    rows: Iterable[Printed],
    *,
    fixes: Sequence[Fix] = (),
    params: ParamSet | None = None,
) -> Linking:
    """Identities for every printed row, and the classified changes between consecutive sheets of each list."""
    by_snapshot: dict[int, list[Printed]] = defaultdict(list)
    for row in rows:
        by_snapshot[row.snapshot_id].append(row)
    identity: dict[tuple[int, int], str] = {}
    how: dict[tuple[int, int], str] = {}
    fix_of: dict[tuple[int, int], dict[str, Any]] = {}
    fixes_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    successors: dict[str, str] = {}
    steps: list[Step] = []
    ordered = sorted(snapshots, key=lambda s: s.order)
    for kind in ("participating", "pending"):
        state = _State()
        previous_snapshot: SnapshotKey | None = None
        for snapshot in (s for s in ordered if s.kind == kind):
            representatives: dict[str, Printed] = {}
            for row in sorted(by_snapshot.get(snapshot.id, []), key=lambda r: r.row):
                representatives.setdefault(row.key, _readable(row, snapshot))
            fixed: dict[str, dict[str, Any]] = {}
            if previous_snapshot is None:
                current = {k: (_new_id(k, state.used), "first") for k in sorted(representatives)}
            else:
                step, current = _step(
                    kind=kind,
                    before=previous_snapshot,
                    after=snapshot,
                    state=state,
                    rows=representatives,
                    fixes=fixes,
                    thresholds=thresholds_on(snapshot.as_of, params),
                )
                steps.append(step)
                for change in step.rows:
                    if change.fix is not None and change.after is not None:
                        fixes_of[change.agreement_id].append(change.fix)
                        fixed[change.after["key"]] = change.fix
                    if change.related_id is not None:
                        successors[change.related_id] = change.agreement_id
            for row in by_snapshot.get(snapshot.id, []):
                ident, reached = current[row.key]
                identity[(row.snapshot_id, row.row)] = ident
                how[(row.snapshot_id, row.row)] = reached
                if row.key in fixed:
                    fix_of[(row.snapshot_id, row.row)] = fixed[row.key]
            state.previous = {k: (current[k][0], representatives[k]) for k in representatives}
            state.key_identity.update({k: v[0] for k, v in current.items()})
            previous_snapshot = snapshot
    return Linking(
        identity=identity,
        how=how,
        fix_of=fix_of,
        fixes={k: tuple(v) for k, v in fixes_of.items()},
        successors=successors,
        steps=tuple(steps),
    )


def _readable(row: Printed, snapshot: SnapshotKey) -> Printed:
    """A SIGNED later than the sheet itself (ICE's 5025) is no date to compare: kept as text, like a typo."""
    if row.signed_on is not None and row.signed_on > snapshot.as_of:
        return replace(row, signed_on=None, signed_raw=row.signed_raw or row.signed_on.isoformat())
    return row


def _new_id(key: str, used: set[str]) -> str:
    """The printed key of the first row; a suffix only if another identity already took that key."""
    candidate, n = key, 1
    while candidate in used:
        n += 1
        candidate = f"{key}~{n}"
    used.add(candidate)
    return candidate


def _step(
    *,
    kind: str,
    before: SnapshotKey,
    after: SnapshotKey,
    state: _State,
    rows: Mapping[str, Printed],
    fixes: Sequence[Fix],
    thresholds: Thresholds,
) -> tuple[Step, dict[str, tuple[str, str]]]:
    current: dict[str, tuple[str, str]] = {}
    changes: list[ChangeRow] = []
    review: list[ReviewItem] = []
    previous_ids = {ident for ident, _ in state.previous.values()}
    for key in sorted(rows):
        if key in state.previous:
            current[key] = (state.previous[key][0], "same")
    carried = {ident for ident, _ in current.values()}
    for key in sorted(rows):
        known = state.key_identity.get(key)
        if key not in current and known is not None and known not in carried and known not in previous_ids:
            current[key] = (known, "listed_again")
            carried.add(known)
            changes.append(
                ChangeRow(("added",), known, None, _cells(rows[key], after), "listed again under a key it had before")
            )
    gone = {k: row for k, (ident, row) in sorted(state.previous.items()) if ident not in carried}
    new = {k: rows[k] for k in sorted(rows) if k not in current}
    joined: dict[str, str] = {}  # gone key -> new key

    def join(g: str, n: str, evidence: str, fix: Fix | None = None) -> None:
        old, fresh = gone[g], new[n]
        classes = []
        if slug(old.agency) != slug(fresh.agency):
            classes.append("renamed")
        if not _same_date(old, fresh):
            classes.append("signing_date_corrected")
        ident = state.previous[g][0]
        current[n] = (ident, "+".join(classes) or "same")
        joined[g] = n
        changes.append(
            ChangeRow(tuple(classes) or ("renamed",), ident, _cells(old, before), _cells(fresh, after), evidence,
                      fix=fix.to_dict() if fix else None)
        )  # fmt: skip

    distinct: set[tuple[str, str]] = set()
    for fix in fixes:
        pairs = ((fix.before_key, fix.after_key), (fix.after_key, fix.before_key))
        if fix.decision == "distinct":
            distinct.update(pairs)
            continue
        for g, n in pairs:
            if g in gone and n in new and g not in joined and n not in current:
                join(g, n, f"decided in the fixes file (line {fix.line}): {fix.reason}", fix)
    candidates = _candidates(gone, new, joined, current, distinct, thresholds)
    best_of_gone = _best(candidates, side="gone")
    best_of_new = _best(candidates, side="new")
    for g in sorted(best_of_gone):
        best = best_of_gone[g]
        if len(best) == 1 and [c.gone for c in best_of_new.get(best[0].new, [])] == [g]:
            c = best[0]
            join(g, c.new, _evidence(c, gone[g], new[c.new], thresholds))
    doubtful = {c.gone for c in candidates if c.gone not in joined} | {
        c.new for c in candidates if c.new not in current
    }
    for g in sorted({c.gone for c in candidates if c.gone in doubtful}):
        options = [c for c in candidates if c.gone == g]
        review.append(ReviewItem(
            f"{len(options)} possible matches of equal standing for one row, or one row claimed by several: not joined",
            (_cells(gone[g], before), *(_candidate_cells(c, new[c.new], after) for c in options)),
        ))  # fmt: skip
    _re_signings(gone, new, joined, current, state, changes, before, after, thresholds)
    review.extend(_near_misses(gone, new, joined, current, rows, state, before, after, thresholds, distinct))
    for g in sorted(gone):
        if g not in joined:
            changes.append(ChangeRow(("ended",), state.previous[g][0], _cells(gone[g], before), None,
                                     f"not on the {after.kind} sheet of {_label(after)}"))  # fmt: skip
    for n in sorted(new):
        if n not in current:
            current[n] = (_new_id(n, state.used), "added")
            changes.append(ChangeRow(("added",), current[n][0], None, _cells(new[n], after),
                                     f"first listed on the {after.kind} sheet of {_label(after)}"))  # fmt: skip
    order = {name: i for i, name in enumerate(CLASSES)}
    changes.sort(key=lambda c: (order[c.classes[0]], c.agreement_id))
    return Step(kind, before, after, tuple(changes), tuple(review), thresholds), current


def _candidates(
    gone: Mapping[str, Printed],
    new: Mapping[str, Printed],
    joined: Mapping[str, str],
    current: Mapping[str, Any],
    distinct: set[tuple[str, str]],
    thresholds: Thresholds,
) -> list[_Candidate]:
    by_line: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, row in new.items():
        if n not in current:
            by_line[(row.state, row.model)].append(n)
    found: list[_Candidate] = []
    for g, old in gone.items():
        if g in joined:
            continue
        for n in by_line.get((old.state, old.model), []):
            if (g, n) in distinct:
                continue
            fresh = new[n]
            same_agency = slug(old.agency) == slug(fresh.agency)
            days = _days(old, fresh)
            score = similarity(old.agency, fresh.agency)
            similar = score >= thresholds.name_similarity and _county_compatible(old.county, fresh.county)
            within = days is not None and 0 < abs(days) <= thresholds.correction_days
            # A typed date ICE could not spell (05/082025) replaced by a date, or back: the same agreement, re-dated.
            retyped = (old.signed_on is None) != (fresh.signed_on is None) and kind_of(old) == kind_of(
                fresh
            ) == "signed"
            if _same_date(old, fresh) and similar and not same_agency:
                found.append(_Candidate(g, n, _RENAMED, score, 0))
            elif same_agency and (within or retyped):
                found.append(_Candidate(g, n, _CORRECTED, score, days))
            elif similar and within:
                found.append(_Candidate(g, n, _BOTH, score, days))
    return found


def _best(candidates: list[_Candidate], *, side: str) -> dict[str, list[_Candidate]]:
    """For each row, its candidates of the strongest tier (only they compete)."""
    grouped: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        grouped[getattr(c, side)].append(c)
    return {k: [c for c in v if c.tier == min(x.tier for x in v)] for k, v in grouped.items()}


def _evidence(c: _Candidate, old: Printed, fresh: Printed, t: Thresholds) -> str:
    moa = f"; MOA {old.moa!r} -> {fresh.moa!r}" if old.moa != fresh.moa else ""
    if c.tier == _RENAMED:
        return (f"same state, model, county and signing date; name similarity {c.score:.0f} >= "
                f"{t.name_similarity:.0f}{moa}")  # fmt: skip
    if c.tier == _CORRECTED and c.days is None:
        was, now = old.signed_raw or old.signed_on, fresh.signed_raw or fresh.signed_on
        return f"same state, agency and model; SIGNED {was} -> {now}{moa}"
    if c.tier == _CORRECTED:
        return f"same state, agency and model; SIGNED moved {c.days:+d} days (at most {t.correction_days}){moa}"
    return (f"same state, model and county; name similarity {c.score:.0f} >= {t.name_similarity:.0f} and SIGNED moved "
            f"{c.days:+d} days (at most {t.correction_days}){moa}")  # fmt: skip


def kind_of(row: Printed) -> str:
    """'pending' for a pending row (no SIGNED column), else 'signed' (a date, or text ICE typed)."""
    return "pending" if row.key.endswith("#pending") else "signed"


def _candidate_cells(c: _Candidate, row: Printed, snapshot: SnapshotKey) -> dict[str, Any]:
    tier = {_RENAMED: "renamed", _CORRECTED: "signing_date_corrected", _BOTH: "renamed+signing_date_corrected"}[c.tier]
    return {**_cells(row, snapshot), "as": tier, "similarity": round(c.score), "days": c.days}


def _re_signings(
    gone: Mapping[str, Printed],
    new: Mapping[str, Printed],
    joined: dict[str, str],
    current: dict[str, tuple[str, str]],
    state: _State,
    changes: list[ChangeRow],
    before: SnapshotKey,
    after: SnapshotKey,
    t: Thresholds,
) -> None:
    """Same agency and model, signed at least `re_signing_years` later: a new agreement superseding the old."""
    lines: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for n, row in new.items():
        if n not in current:
            lines[(row.state, slug(row.agency), row.model)].append(n)
    for g, old in gone.items():
        if g in joined:
            continue
        later = [
            n for n in lines.get((old.state, slug(old.agency), old.model), [])
            if n not in current and (d := _days(old, new[n])) is not None and d >= t.re_signing_years * _DAYS_PER_YEAR
        ]  # fmt: skip
        if len(later) != 1:
            continue
        n = later[0]
        old_id = state.previous[g][0]
        ident = _new_id(n, state.used)
        current[n] = (ident, "re_signed")
        joined[g] = n
        changes.append(ChangeRow(
            ("re_signed",), ident, _cells(old, before), _cells(new[n], after),
            f"same state, agency and model, signed {_days(old, new[n])} days after the agreement it supersedes "
            f"(at least {t.re_signing_years:g} year): a new agreement",
            related_id=old_id,
        ))  # fmt: skip


def _duplicate_of(old: Printed, kept: Printed, t: Thresholds) -> bool:
    """A row that left looks like a second listing of a row that stays ("City of St. Cloud Police Department" beside
    "St. Cloud Police Department"): same state, model and county, a date within a correction, every word of one
    name in the other, and whole names alike (plain ratio, which shared words like 'Police Department' inflate less)."""
    days = _days(old, kept)
    a, b = set(words(old.agency).split()), set(words(kept.agency).split())
    return (
        kept.key != old.key and kept.state == old.state and kept.model == old.model
        and _county_compatible(old.county, kept.county) and (a <= b or b <= a)
        and (_same_date(old, kept) or (days is not None and abs(days) <= t.correction_days))
        and fuzz.ratio(words(old.agency), words(kept.agency)) >= t.name_similarity
    )  # fmt: skip


def _near_misses(
    gone: Mapping[str, Printed],
    new: Mapping[str, Printed],
    joined: Mapping[str, str],
    current: Mapping[str, Any],
    rows: Mapping[str, Printed],
    state: _State,
    before: SnapshotKey,
    after: SnapshotKey,
    t: Thresholds,
    distinct: set[tuple[str, str]],
) -> list[ReviewItem]:
    """Pairs close to a rule but outside it: listed, never joined."""
    items: list[ReviewItem] = []
    for g, old in gone.items():
        if g in joined:
            continue
        for n, fresh in new.items():
            if n in current or fresh.state != old.state or fresh.model != old.model or (g, n) in distinct:
                continue
            score = similarity(old.agency, fresh.agency)
            days = _days(old, fresh)
            reason = None
            if old.moa_url and old.moa_url == fresh.moa_url:
                reason = "the same MOA link under another name or date"
            elif _same_date(old, fresh) and t.review_similarity <= score < t.name_similarity:
                reason = f"same signing date, name similarity {score:.0f} (joined from {t.name_similarity:.0f})"
            elif (
                slug(old.agency) == slug(fresh.agency)
                and days is not None
                and (t.correction_days < abs(days) < t.re_signing_years * _DAYS_PER_YEAR)
            ):
                reason = (f"same agency, SIGNED moved {days:+d} days: more than a correction ({t.correction_days}), "
                          f"less than a re-signing ({t.re_signing_years:g} year)")  # fmt: skip
            if reason:
                items.append(ReviewItem(reason + ": not joined", (_cells(old, before), _cells(fresh, after))))
        staying = [k for k in rows if k in state.previous and _duplicate_of(old, rows[k], t)]
        for k in sorted(staying):
            items.append(ReviewItem(
                "the row that left resembles a row listed on both sheets (a duplicate listing dropped?): "
                "counted as ended",
                (_cells(old, before), _cells(rows[k], after)),
            ))  # fmt: skip
    return items
