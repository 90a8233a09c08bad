"""What the pages, the API and `wso publicdata report` show: counts, growth, changes, state and agency views.

Plain dicts and lists out (the shells render them); every count comes from the stored
sightings and agreements, and "today" is an argument, never read here. What depends only on the imported
sheets (the cross-sheet link, the overview, a state's rows and aggregates) is remembered until the next
import (memo.py); callers treat what they get as read-only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wso.publicdata.checks import MODELS, law_checks, signing_check
from wso.publicdata.history import SnapshotKey
from wso.publicdata.identity import CLASSES, Step
from wso.publicdata.importer import link_all
from wso.publicdata.memo import remembered
from wso.publicdata.sheets import MODEL_NAMES
from wso.publicdata.states import state_name
from wso.publicdata.tables import Agreement, Identity, Sighting, Snapshot

ENDED = ("superseded", "removed", "withdrawn", "joined")


def snapshots(session: Session) -> list[Snapshot]:
    """Every imported snapshot, oldest first (pending after participating at one moment)."""
    found = list(session.scalars(select(Snapshot)))
    return sorted(found, key=lambda s: _key(s).order)


def _key(snapshot: Snapshot) -> SnapshotKey:
    return SnapshotKey(id=snapshot.id, kind=snapshot.kind, as_of=snapshot.as_of, part=snapshot.part)


def latest(session: Session, *, kind: str) -> Snapshot | None:
    of_kind = [s for s in snapshots(session) if s.kind == kind]
    return of_kind[-1] if of_kind else None


def counts_by_model(session: Session, *, snapshot_id: int) -> dict[str, int]:
    """Agreements on one snapshot by ICE's model name, largest first."""
    rows = session.execute(
        select(Sighting.support_type, func.count(func.distinct(Identity.agreement_id)))
        .join(Identity, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .where(Sighting.snapshot_id == snapshot_id)
        .group_by(Sighting.support_type)
    ).all()
    return dict(sorted(((name, n) for name, n in rows), key=lambda item: (-item[1], item[0])))


def counts_by_state(session: Session, *, snapshot_id: int) -> list[dict[str, Any]]:
    """One row per state on one snapshot: agreements per model and in all."""
    rows = session.execute(
        select(Sighting.state, Sighting.model, func.count(func.distinct(Identity.agreement_id)))
        .join(Identity, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .where(Sighting.snapshot_id == snapshot_id)
        .group_by(Sighting.state, Sighting.model)
    ).all()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for state, model, n in rows:
        table[state][model] += n
    return [
        {"state": code, "name": state_name(code), **{m: counts[m] for m in MODELS}, "total": sum(counts.values())}
        for code, counts in sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    ]


def growth(session: Session, *, state: str | None = None) -> list[dict[str, Any]]:
    """Agreements per model on each participating snapshot: the program's size over time.

    Counted by identity (identity.py), so an agreement renamed or re-dated between sheets is one agreement.
    """
    return remembered(session, "growth", lambda: _growth(session, state=state), state)


def _growth(session: Session, *, state: str | None) -> list[dict[str, Any]]:
    query = (
        select(
            Snapshot.id, Snapshot.as_of, Snapshot.part, Sighting.model, func.count(func.distinct(Identity.agreement_id))
        )
        .join(Sighting, Sighting.snapshot_id == Snapshot.id)
        .join(Identity, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .where(Snapshot.kind == "participating")
        .group_by(Snapshot.id, Snapshot.as_of, Snapshot.part, Sighting.model)
    )
    if state:
        query = query.where(Sighting.state == state)
    rows = session.execute(query).all()
    return [
        {"as_of": as_of.isoformat(), "part": part, "model": model, "agreements": n}
        for _, as_of, part, model, n in sorted(rows, key=lambda r: (r[1], r[2], r[3]))
    ]


def signed_by_month(session: Session, *, state: str | None = None) -> list[dict[str, Any]]:
    """Participating agreements by month of signing, per model, with the running total.

    Counts every agreement ever listed as participating (also those since renewed or removed),
    once. Dates that are unreadable, or later than the last sheet that listed them (ICE's
    typo 5025), cannot be placed in a month and are counted apart as `undated`.
    """
    return remembered(session, "signed_by_month", lambda: _signed_by_month(session, state=state), state)


def _signed_by_month(session: Session, *, state: str | None) -> list[dict[str, Any]]:
    query = select(Agreement.model, Agreement.signed_on, Agreement.last_seen).where(Agreement.listed_pending.is_(False))
    if state:
        query = query.where(Agreement.state == state)
    monthly: Counter[tuple[str, str]] = Counter()
    undated: Counter[str] = Counter()
    for model, signed_on, last_seen in session.execute(query):
        if signed_on is None or signed_on > last_seen:
            undated[model] += 1
        else:
            monthly[(signed_on.strftime("%Y-%m"), model)] += 1
    running: Counter[str] = Counter()
    result: list[dict[str, Any]] = []
    for month, model in sorted(monthly):
        running[model] += monthly[(month, model)]
        result.append({"month": month, "model": model, "signed": monthly[(month, model)], "cumulative": running[model]})
    return result + [
        {"month": "undated", "model": m, "signed": n, "cumulative": None} for m, n in sorted(undated.items())
    ]


def snapshot_changes(session: Session) -> list[Step]:
    """Between consecutive sheets of each list: added, ended, renamed, signing date corrected, re-signed (evidence)."""
    return list(remembered(session, "link", lambda: link_all(session).steps))


def change_rows(steps: list[Step]) -> list[dict[str, Any]]:
    """Every change of every step as one flat row (the CSV): the sheets, the class, the before and after cells."""
    flat: list[dict[str, Any]] = []
    for step in steps:
        for change in step.rows:
            row: dict[str, Any] = {
                "list": step.kind, "from": step.to_dict(rows=False)["from"], "to": step.to_dict(rows=False)["to"],
                "class": "+".join(change.classes), "agreement_id": change.agreement_id, "related_id": change.related_id,
            }  # fmt: skip
            for side in ("before", "after"):
                cells = getattr(change, side) or {}
                for name in ("sheet", "row", "agency", "county", "signed", "moa", "moa_url"):
                    row[f"{side}_{name}"] = cells.get(name)
            row["evidence"] = change.evidence
            row["fix"] = change.fix["fix"] if change.fix else None
            flat.append(row)
    return flat


def agreements(
    session: Session, *, state: str | None = None, agency_id: str | None = None, status: str | None = None
) -> list[Agreement]:
    query = select(Agreement).order_by(Agreement.state, Agreement.agency, Agreement.model, Agreement.first_seen)
    if state:
        query = query.where(Agreement.state == state)
    if agency_id:
        query = query.where(Agreement.agency_id == agency_id)
    if status:
        query = query.where(Agreement.status == status)
    return list(session.scalars(query))


def agreement_row(agreement: Agreement, *, check: dict[str, Any] | None = None) -> dict[str, Any]:
    """An agreement as plain data (API, CSV), with its state-law check on its signing date."""
    return {
        "id": agreement.id,
        "state": agreement.state,
        "agency": agreement.agency,
        "agency_id": agreement.agency_id,
        "agency_type": agreement.agency_type,
        "county": agreement.county,
        "support_type": agreement.support_type,
        "model": agreement.model,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "signed_as_typed": agreement.signed_raw,
        "moa": agreement.moa,
        "moa_url": agreement.moa_url,
        "addendum": agreement.addendum,
        "addendum_url": agreement.addendum_url,
        "listed_pending": agreement.listed_pending,
        "first_seen": agreement.first_seen.isoformat(),
        "last_seen": agreement.last_seen.isoformat(),
        "status": agreement.status,
        "status_since": agreement.status_since.isoformat() if agreement.status_since else None,
        "related_id": agreement.related_id,
        "flags": "; ".join(f"row {f['row']}, {f['field']}: {f['reason']}" for f in agreement.flags),
        "state_law_on_signing": (check or signing_check(agreement))["status"],
    }


def overview(session: Session) -> dict[str, Any]:
    """Everything the overview page and the summary API show (remembered until the next import)."""
    return remembered(session, "overview", lambda: _overview(session))


def _overview(session: Session) -> dict[str, Any]:
    participating = latest(session, kind="participating")
    pending = latest(session, kind="pending")
    by_model = counts_by_model(session, snapshot_id=participating.id) if participating else {}
    by_state = counts_by_state(session, snapshot_id=participating.id) if participating else []
    all_agreements = agreements(session)
    checks = [signing_check(a) for a in all_agreements]
    steps = snapshot_changes(session)
    return {
        "snapshots": [
            {
                "file": s.file_name,
                "kind": s.kind,
                "as_of": s.as_of.isoformat(),
                "part": s.part,
                "rows_read": s.rows_read,
                "rejected": s.rejected,
            }
            for s in snapshots(session)
        ],  # fmt: skip
        "latest_participating": participating.as_of.isoformat() if participating else None,
        "latest_pending": pending.as_of.isoformat() if pending else None,
        "agreements_by_model": by_model,
        "agreements": sum(by_model.values()),
        "states": len(by_state),
        "by_state": by_state,
        "pending": counts_by_model(session, snapshot_id=pending.id) if pending else {},
        "status_counts": dict(Counter(a.status for a in all_agreements)),
        "changes": [c.to_dict(rows=False) for c in steps],
        "review": [
            {"from": c.to_dict(rows=False)["from"], "to": c.to_dict(rows=False)["to"], **r.to_dict()}
            for c in steps
            for r in c.review
        ],  # fmt: skip
        "change_classes": list(CLASSES),
        "contradictions": [
            {"agreement": agreement_row(a, check=c), "check": c}
            for a, c in zip(all_agreements, checks, strict=True)
            if c["status"] in ("forbids", "restricts")
        ],  # fmt: skip
        "flagged": [agreement_row(a) for a in all_agreements if a.flags],
    }


def state_report(session: Session, *, state: str, on: dt.date) -> dict[str, Any]:
    """A state's page: its law on `on` per model, its agreements (current, pending, ended) and contradictions.

    The law is read for `on` on every call; the rest depends only on the sheets and is remembered.
    """
    rows = remembered(session, "state", lambda: _state_rows(session, state=state), state)
    return {
        "state": state, "name": state_name(state), "on": on.isoformat(), "law": law_checks(state=state, on=on), **rows
    }  # fmt: skip


def _state_rows(session: Session, *, state: str) -> dict[str, Any]:
    rows = agreements(session, state=state)
    checked = [(a, signing_check(a)) for a in rows]
    return {
        "active": [agreement_row(a, check=c) for a, c in checked if a.status == "active"],
        "pending": [agreement_row(a, check=c) for a, c in checked if a.status == "pending"],
        "ended": [agreement_row(a, check=c) for a, c in checked if a.status in ENDED],
        "contradictions": [agreement_row(a, check=c) for a, c in checked if c["status"] in ("forbids", "restricts")],
        "growth": growth(session, state=state),
        "signed_by_month": signed_by_month(session, state=state),
    }


def agency_report(session: Session, *, agency_id: str) -> dict[str, Any] | None:
    """An agency's page: each of its agreements with its history and every snapshot row that listed it."""
    rows = agreements(session, agency_id=agency_id)
    if not rows:
        return None
    listed = session.execute(
        select(
            Identity.agreement_id,
            Snapshot.kind,
            Snapshot.as_of,
            Snapshot.part,
            Snapshot.file_name,
            Sighting.row,
            Sighting.agency,
            Sighting.signed_on,
            Sighting.signed_raw,
        )  # fmt: skip
        .join(Sighting, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .join(Snapshot, Snapshot.id == Sighting.snapshot_id)
        .where(Identity.agreement_id.in_([a.id for a in rows]))
        .order_by(Snapshot.as_of, Snapshot.part)
    ).all()
    timeline: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for agreement_id, kind, as_of, part, file_name, row, printed, signed_on, signed_raw in listed:
        timeline[agreement_id].append({
            "kind": kind, "as_of": as_of.isoformat(), "part": part, "file": file_name, "row": row,
            "agency": printed, "signed": signed_on.isoformat() if signed_on else signed_raw,
        })  # fmt: skip
    latest_row = max(rows, key=lambda a: a.last_seen)
    return {
        "agency_id": agency_id,
        "agency": latest_row.agency,
        "state": latest_row.state,
        "state_name": state_name(latest_row.state),
        "agency_type": latest_row.agency_type,
        "county": latest_row.county,
        "agreements": [{**agreement_row(a), "listed": timeline[a.id]} for a in rows],
    }


def resolve(session: Session, *, key: str) -> str | None:
    """The agreement a key names: its own id, or any key ICE printed it under (an old name or date)."""
    if session.get(Agreement, key) is not None:
        return key
    return session.scalar(
        select(Identity.agreement_id)
        .join(Sighting, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .where(Sighting.agreement_id == key)
        .order_by(Identity.snapshot_id.desc())
        .limit(1)
    )


def current_agency(session: Session, *, agency_id: str) -> str | None:
    """The agency id an old spelling now goes by: that of the agreements once printed under `agency_id`."""
    return session.scalar(
        select(Agreement.agency_id)
        .join(Identity, Identity.agreement_id == Agreement.id)
        .join(Sighting, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .where(Sighting.agency_id == agency_id)
        .order_by(Agreement.agency_id)
        .limit(1)
    )


def agreement_report(session: Session, *, agreement_id: str) -> dict[str, Any] | None:
    """One agreement's history: every sheet that listed it with the name, date and MOA printed there, the
    decisions of the fixes file that joined its rows, each change between sheets, and when it ended."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        return None
    listed = session.execute(
        select(Snapshot, Sighting, Identity)
        .join(Sighting, Sighting.snapshot_id == Snapshot.id)
        .join(Identity, (Identity.snapshot_id == Sighting.snapshot_id) & (Identity.row == Sighting.row))
        .where(Identity.agreement_id == agreement_id)
    ).all()
    listed.sort(key=lambda r: (_key(r[0]).order, r[1].row))
    sightings = [
        {
            "sheet": snap.file_name,
            "kind": snap.kind,
            "as_of": snap.as_of.isoformat(),
            "part": snap.part,
            "row": s.row,
            "key": s.agreement_id,
            "agency": s.agency,
            "county": s.county,
            "agency_type": s.agency_type,
            "signed": s.signed_on.isoformat() if s.signed_on else s.signed_raw,
            "moa": s.moa,
            "moa_url": s.moa_url,
            "addendum": s.addendum,
            "addendum_url": s.addendum_url,
            "reached": i.reached,
            "fix": i.fix,
        }  # fmt: skip
        for snap, s, i in listed
    ]
    fixes = {f["fix"]: f for r in sightings if r["fix"] for f in [r["fix"]]}
    steps = snapshot_changes(session)
    changes = [
        {"from": st.to_dict(rows=False)["from"], "to": st.to_dict(rows=False)["to"], **c.to_dict()}
        for st in steps for c in st.rows if agreement_id in (c.agreement_id, c.related_id)
    ]  # fmt: skip
    return {
        "agreement": agreement_row(agreement),
        "state_name": state_name(agreement.state),
        "model_name": model_label(agreement.model),
        "sightings": sightings,
        "names": sorted({r["agency"] for r in sightings}, key=[r["agency"] for r in sightings].index),
        "dates": sorted({r["signed"] or "" for r in sightings}, key=[r["signed"] or "" for r in sightings].index),
        "keys": sorted({r["key"] for r in sightings}),
        "fixes": list(fixes.values()),
        "changes": changes,
        "ended": agreement.status_since.isoformat() if agreement.status in ENDED and agreement.status_since else None,
    }


def model_label(model: str) -> str:
    return MODEL_NAMES.get(model, model)
