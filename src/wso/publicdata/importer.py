"""Importing ICE snapshots: every file is read and checked first, then all are written in ONE transaction.

All or nothing, for the whole command: if any file cannot be read, or has a rejected row (and
the user did not ask to skip such rows), nothing at all is written and every problem is
reported. Rows skipped on request are recorded with their snapshot (`Snapshot.rejected`) and
shown in reports, never dropped silently. A file already imported (same SHA-256) changes
nothing; a different file for the same list and moment is refused, since the history would
otherwise hold two versions of one snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, inspect, select, tuple_, update
from sqlalchemy.orm import Session

from wso.publicdata.fixes import Fix, shipped_fixes
from wso.publicdata.history import Listing, SnapshotKey, histories
from wso.publicdata.identity import Linking, Printed, link
from wso.publicdata.ids import agency_id, agreement_id, line_id
from wso.publicdata.sheets import RowIssue, Sheet, SheetError, SheetKind, SheetRow, read_sheet
from wso.publicdata.tables import Agreement, Identity, Sighting, Snapshot
from wso.store.db import session_factory

SHIPPED_SHEETS_DIR = Path(__file__).parent / "data" / "sheets"  # ICE's public sheets, see PROVENANCE.md there
TABLES = (Snapshot.__tablename__, Sighting.__tablename__, Agreement.__tablename__, Identity.__tablename__)
DETAIL_FIELDS = (
    "line_id", "agency_id", "state", "agency", "agency_type", "county", "support_type", "model",
    "signed_on", "signed_raw", "moa", "moa_url", "addendum", "addendum_url", "flags",
)  # fmt: skip


class MissingSchema(RuntimeError):
    """The database has not been migrated to hold the public-data tables."""


class ImportRefused(ValueError):
    """Nothing was written: every file-level error and rejected row is listed."""

    def __init__(self, problems: Sequence[str], summaries: Sequence[FileSummary] = ()) -> None:
        super().__init__("import refused, nothing written:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = tuple(problems)
        self.summaries = tuple(summaries)


@dataclass(frozen=True)
class FileSummary:
    """What one file held and what became of it (`status`: imported, unchanged, refused)."""

    file: str
    status: str
    kind: str | None = None
    as_of: dt.date | None = None
    rows_read: int = 0
    blank_rows: int = 0
    cells_trimmed: int = 0
    agreements: int = 0
    by_model: dict[str, int] = field(default_factory=dict)
    states: int = 0
    rejected: tuple[RowIssue, ...] = ()
    flagged: tuple[RowIssue, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "kind": self.kind,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "rows_read": self.rows_read,
            "blank_rows_skipped": self.blank_rows,
            "cells_trimmed": self.cells_trimmed,
            "agreements": self.agreements,
            "agreements_by_model": self.by_model,
            "states": self.states,
            "rows_rejected": [r.to_dict() for r in self.rejected],
            "rows_flagged": [r.to_dict() for r in self.flagged],
            "error": self.error,
        }


def shipped_sheets() -> list[Path]:
    """The ICE sheets shipped with the project, oldest first (imported by `make run`)."""
    return sorted(SHIPPED_SHEETS_DIR.glob("*.xlsx"))


def require_schema(engine: Engine) -> None:
    """Fail with a plain instruction, rather than an SQL error, on a database never migrated."""
    names = set(inspect(engine).get_table_names())
    absent = [t for t in TABLES if t not in names]
    if absent:
        raise MissingSchema(
            f"the database has no public-data tables ({', '.join(absent)}); "
            "run `wso db upgrade` with the same --database"
        )


def summarize(sheet: Sheet, *, status: str) -> FileSummary:
    """Counts of one read sheet: agreements (distinct ids), by ICE's model names, states."""
    ids = _row_ids(sheet)
    by_model: Counter[str] = Counter()
    seen: set[str] = set()
    for row, ident in zip(sheet.rows, ids, strict=True):
        if ident not in seen:
            seen.add(ident)
            by_model[row.support_type] += 1
    ordered = {name: by_model[name] for name in sorted(by_model, key=lambda n: (-by_model[n], n))}
    return FileSummary(
        file=sheet.file_name,
        status=status,
        kind=sheet.kind,
        as_of=sheet.as_of,
        rows_read=sheet.rows_read,
        blank_rows=sheet.blank_rows,
        cells_trimmed=sheet.cells_trimmed,
        agreements=len(seen),
        by_model=ordered,
        states=len({row.state for row in sheet.rows}),
        rejected=sheet.rejected,
        flagged=sheet.flags + _duplicate_flags(sheet, ids),
    )


def read_all(
    paths: Sequence[Path],
    *,
    kind: SheetKind | None = None,
    as_of: dt.date | None = None,
    on_file: Callable[[str], None] | None = None,
) -> tuple[list[Sheet], list[FileSummary]]:
    """Read every file; return the sheets read and a summary for each file that could not be."""
    sheets: list[Sheet] = []
    failures: list[FileSummary] = []
    for path in paths:
        try:
            sheets.append(read_sheet(path, kind=kind, as_of=as_of))
        except SheetError as exc:
            failures.append(FileSummary(file=exc.file, status="refused", error=exc.reason))
        if on_file is not None:
            on_file(path.name)
    return sheets, failures


def import_sheets(
    *,
    engine: Engine,
    paths: Sequence[Path],
    now: dt.datetime,
    skip_bad_rows: bool = False,
    kind: SheetKind | None = None,
    as_of: dt.date | None = None,
    on_file: Callable[[str], None] | None = None,
) -> list[FileSummary]:
    """Import the files in one transaction and return one summary per file, in the order given."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    require_schema(engine)
    sheets, failures = read_all(paths, kind=kind, as_of=as_of, on_file=on_file)
    problems = [f"{f.file}: {f.error}" for f in failures]
    if not skip_bad_rows:
        problems += [
            f"{s.file_name}: {issue} (row rejected; use --skip-bad-rows to import the others)"
            for s in sheets
            for issue in s.rejected
        ]
    if problems:
        raise ImportRefused(problems, [summarize(s, status="refused") for s in sheets] + failures)

    summaries: list[FileSummary] = []
    with session_factory(engine).begin() as session:
        in_this_run: set[str] = set()
        for sheet in sheets:
            if sheet.sha256 in in_this_run or session.scalar(
                select(Snapshot.id).where(Snapshot.sha256 == sheet.sha256)
            ):
                summaries.append(summarize(sheet, status="unchanged"))
                continue
            clash = session.scalar(
                select(Snapshot).where(
                    Snapshot.kind == sheet.kind, Snapshot.as_of == sheet.as_of, Snapshot.part == sheet.part
                )
            )
            if clash is not None:
                raise ImportRefused(
                    [
                        f"{sheet.file_name}: a different {sheet.kind} sheet for {sheet.as_of.isoformat()} {sheet.part} "
                        f"is already imported ({clash.file_name}, SHA-256 {clash.sha256[:12]}...); nothing written"
                    ]
                )
            _write_snapshot(session, sheet=sheet, now=now)
            in_this_run.add(sheet.sha256)
            summaries.append(summarize(sheet, status="imported"))
        if any(s.status == "imported" for s in summaries) or _identities_missing(session):
            rebuild_agreements(session)
    return summaries


def _row_ids(sheet: Sheet) -> list[str]:
    pending = sheet.kind == "pending"
    return [
        agreement_id(
            state=r.state,
            agency=r.agency,
            model=r.model,
            signed_on=r.signed_on,
            signed_raw=r.signed_raw,
            pending=pending,
        )
        for r in sheet.rows
    ]


def _duplicate_flags(sheet: Sheet, ids: list[str]) -> tuple[RowIssue, ...]:
    first_row: dict[str, int] = {}
    flags: list[RowIssue] = []
    for row, ident in zip(sheet.rows, ids, strict=True):
        if ident in first_row:
            flags.append(
                RowIssue(row.row, "row", f"the same agreement as row {first_row[ident]} ({ident}); counted once")
            )
        else:
            first_row[ident] = row.row
    return tuple(flags)


def _details(row: SheetRow, *, pending: bool) -> dict[str, Any]:
    return {
        "agreement_id": agreement_id(
            state=row.state,
            agency=row.agency,
            model=row.model,
            signed_on=row.signed_on,
            signed_raw=row.signed_raw,
            pending=pending,
        ),
        "line_id": line_id(state=row.state, agency=row.agency, model=row.model),
        "agency_id": agency_id(state=row.state, agency=row.agency),
        "state": row.state,
        "agency": row.agency,
        "agency_type": row.agency_type,
        "county": row.county,
        "support_type": row.support_type,
        "model": row.model,
        "signed_on": row.signed_on,
        "signed_raw": row.signed_raw,
        "moa": row.moa,
        "moa_url": row.moa_url,
        "addendum": row.addendum,
        "addendum_url": row.addendum_url,
        "flags": [f.to_dict() for f in row.flags],
    }


def _write_snapshot(session: Session, *, sheet: Sheet, now: dt.datetime) -> None:
    snapshot = Snapshot(
        file_name=sheet.file_name,
        sha256=sheet.sha256,
        kind=sheet.kind,
        as_of=sheet.as_of,
        part=sheet.part,
        imported_at=now,
        columns=list(sheet.columns),
        rows_read=sheet.rows_read,
        blank_rows=sheet.blank_rows,
        cells_trimmed=sheet.cells_trimmed,
        rejected=[r.to_dict() for r in sheet.rejected],
    )
    session.add(snapshot)
    session.flush()
    pending = sheet.kind == "pending"
    rows = [{"snapshot_id": snapshot.id, "row": r.row, **_details(r, pending=pending)} for r in sheet.rows]
    if rows:
        session.execute(insert(Sighting), rows)


def snapshot_keys(session: Session) -> list[SnapshotKey]:
    return [
        SnapshotKey(id=s.id, kind=s.kind, as_of=s.as_of, part=s.part, file=s.file_name)
        for s in session.scalars(select(Snapshot))
    ]


def printed_rows(sightings: Sequence[Sighting]) -> list[Printed]:
    return [
        Printed(
            snapshot_id=s.snapshot_id,
            row=s.row,
            key=s.agreement_id,
            state=s.state,
            agency=s.agency,
            model=s.model,
            county=s.county,
            signed_on=s.signed_on,
            signed_raw=s.signed_raw,
            moa=s.moa,
            moa_url=s.moa_url,
        )  # fmt: skip
        for s in sightings
    ]


def link_sheets(sheets: Sequence[Sheet], *, fixes: Sequence[Fix] | None = None) -> Linking:
    """Identities and changes of sheets read but not stored (snapshot ids are their positions, from 1)."""
    keys: list[SnapshotKey] = []
    rows: list[Printed] = []
    for number, sheet in enumerate(sheets, start=1):
        keys.append(SnapshotKey(id=number, kind=sheet.kind, as_of=sheet.as_of, part=sheet.part, file=sheet.file_name))
        pending = sheet.kind == "pending"
        for r in sheet.rows:
            rows.append(Printed(
                snapshot_id=number, row=r.row, key=_details(r, pending=pending)["agreement_id"], state=r.state,
                agency=r.agency, model=r.model, county=r.county, signed_on=r.signed_on, signed_raw=r.signed_raw,
                moa=r.moa, moa_url=r.moa_url,
            ))  # fmt: skip
    return link(keys, rows, fixes=shipped_fixes() if fixes is None else fixes)


def link_all(session: Session, *, fixes: Sequence[Fix] | None = None) -> Linking:
    """Identities and changes of everything imported, with the project's fixes file (or `fixes`)."""
    sightings = list(session.scalars(select(Sighting)))
    return link(snapshot_keys(session), printed_rows(sightings), fixes=shipped_fixes() if fixes is None else fixes)


def rebuild_agreements(session: Session, *, fixes: Sequence[Fix] | None = None) -> Linking:
    """Recompute every sighting's identity and every agreement's details and history (order-independent).

    Writes only what differs, so a rebuild that finds nothing new writes nothing; agreements no
    longer derived (a key that turned out to be another agreement's corrected date) are deleted.
    """
    snapshots = snapshot_keys(session)
    sightings = list(session.scalars(select(Sighting).order_by(Sighting.snapshot_id, Sighting.row)))
    linking = link(snapshots, printed_rows(sightings), fixes=shipped_fixes() if fixes is None else fixes)
    _write_identities(session, linking)
    order = {s.id: s.order for s in snapshots}
    history = histories(
        snapshots,
        (Listing(s.snapshot_id, linking.identity[(s.snapshot_id, s.row)], s.line_id) for s in sightings),
        successors=linking.successors,
    )
    latest: dict[str, Sighting] = {}
    for s in sightings:
        ident = linking.identity[(s.snapshot_id, s.row)]
        held = latest.get(ident)
        if held is None or (order[s.snapshot_id], -s.row) > (order[held.snapshot_id], -held.row):
            latest[ident] = s
    # Plain rows, not ORM objects: the writes below are bulk statements, not unit-of-work changes.
    existing = {row.id: row._mapping for row in session.execute(select(*Agreement.__table__.columns))}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for ident, h in sorted(history.items()):
        source = latest[ident]
        values = {name: getattr(source, name) for name in DETAIL_FIELDS}
        values.update(
            listed_pending=h.listed_pending,
            first_seen=h.first_seen,
            last_seen=h.last_seen,
            status=h.status,
            status_since=h.status_since,
            related_id=h.related_id,
        )
        current = existing.get(ident)
        if current is None:
            inserts.append({"id": ident, **values})
        elif any(current[k] != v for k, v in values.items()):
            updates.append({"id": ident, **values})
    stale = sorted(set(existing) - set(history))
    if stale:
        session.execute(delete(Agreement).where(Agreement.id.in_(stale)))
    if inserts:
        session.execute(insert(Agreement), inserts)
    if updates:
        session.execute(update(Agreement), updates)
    return linking


def _identities_missing(session: Session) -> bool:
    """True on a database imported before identities existed (migration p0002): any import then relinks."""
    sightings = session.scalar(select(func.count()).select_from(Sighting)) or 0
    return sightings != (session.scalar(select(func.count()).select_from(Identity)) or 0)


def _write_identities(session: Session, linking: Linking) -> None:
    wanted = {
        key: {"agreement_id": ident, "reached": linking.how[key], "fix": linking.fix_of.get(key)}
        for key, ident in linking.identity.items()
    }
    existing = {
        (r.snapshot_id, r.row): {"agreement_id": r.agreement_id, "reached": r.reached, "fix": r.fix}
        for r in session.execute(
            select(Identity.snapshot_id, Identity.row, Identity.agreement_id, Identity.reached, Identity.fix)
        )
    }
    gone = [k for k in existing if k not in wanted]
    if gone:
        session.execute(delete(Identity).where(tuple_(Identity.snapshot_id, Identity.row).in_(gone)))
    inserts = [{"snapshot_id": k[0], "row": k[1], **v} for k, v in wanted.items() if k not in existing]
    changed = [{"snapshot_id": k[0], "row": k[1], **v} for k, v in wanted.items() if k in existing and existing[k] != v]
    if inserts:
        session.execute(insert(Identity), inserts)
    if changed:
        session.execute(update(Identity), changed)
