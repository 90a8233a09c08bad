"""Exporting an agency's program records, each labelled (D1), refused outside the agency without a
recorded ICE coordination reference; every export is itself a ledger event (who, where, which ref)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wso.agreements.service import list_agreements
from wso.complaints.service import list_complaints
from wso.officers.service import roster_views
from wso.rules.clock import local_date
from wso.rules.decision import Decision
from wso.rules.records import DESTINATIONS, LABELS, may_export_records, record_label
from wso.services.asking import ask
from wso.services.errors import Refused
from wso.services.inputs import choice, text
from wso.services.lookup import load
from wso.services.permissions import Actor, Permission, require
from wso.services.views import View, plain
from wso.store import tables
from wso.store.uow import UnitOfWork


@dataclass(frozen=True)
class RecordsExport(View):
    """What left the agency: every record with its D1 label, and the decision that let it go."""

    agency_id: str
    destination: str
    recipient: str
    ice_coordination_ref: str | None
    exported_at: datetime
    decision: Decision
    records: tuple[dict[str, Any], ...]


def export_agency_records(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agency_id: str,
    destination: str,
    recipient: str = "",
    ice_coordination_ref: str | None = None,
) -> RecordsExport:
    """Every agreement, officer and complaint record of the agency, and the agency itself, each labelled
    "MOA record under ICE control" or "state record" (D1). Outside the agency (media, other parties)
    MOA records need the reference of the prior coordination with ICE; without it nothing is exported."""
    # Releasing records is the agency's act (its coordinator's), not a read: an auditor reads by the
    # GET routes and changes nothing, an export appends a ledger event.
    require(actor, Permission.MANAGE_AGREEMENTS)
    choice("destination", destination, DESTINATIONS)
    recipient = text("recipient", recipient, max_length=200, required=False)
    ref = text("ice_coordination_ref", ice_coordination_ref or "", max_length=200, required=False) or None
    agency = load(uow, tables.Agency, agency_id, actor=actor)
    on = local_date(at, tz=agency.timezone)
    records: list[tuple[str, str, Any]] = [
        ("agency", agency.id, {"id": agency.id, "name": agency.name, "state": agency.state})
    ]
    records += [("agreement", a.id, a) for a in list_agreements(uow, actor=actor, agency_id=agency.id, at=at)]
    records += [("officer", o.id, o) for o in roster_views(uow, actor=actor, agency_id=agency.id, at=at)]
    records += [("complaint", c.id, c) for c in list_complaints(uow, actor=actor, agency_id=agency.id, at=at)]
    decision = ask(
        may_export_records,
        kinds=sorted({kind for kind, _, _ in records}),
        destination=destination,
        on=on,
        ice_coordination_ref=ref,
    )
    if not decision.allowed:
        raise Refused(decision, field="ice_coordination_ref")
    labelled = []
    for kind, record_id, record in records:
        label = ask(record_label, kind, on=on)
        labelled.append(
            {"kind": kind, "id": record_id, "label": label, "label_text": LABELS[label], "record": plain(record)}
        )
    uow.append(
        stream=f"agency:{agency.id}",
        actor=actor.label,
        at=at,
        type="records.exported",
        payload={
            "destination": destination,
            "recipient": recipient,
            "ice_coordination_ref": ref,
            "counts": {k: sum(1 for r in labelled if r["kind"] == k) for k in sorted({r["kind"] for r in labelled})},
        },
    )
    return RecordsExport(
        agency_id=agency.id,
        destination=destination,
        recipient=recipient,
        ice_coordination_ref=ref,
        exported_at=at,
        decision=decision,
        records=tuple(labelled),
    )
