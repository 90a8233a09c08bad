"""From the live ledger to hold records: one row per hold, built by the core's fold.

Why the fold: the service, the board and the audit must not disagree about what a hold's events mean,
so `flatten` reads each hold's events through the one event catalog (wso.events.catalog: a type or
payload it does not know is an error, never skipped) and asks the core's hold fold
(`wso.events.hold_fold.hold_facts`, the one `facts_as_of` composes) (and, for the serving officer,
`rules.officers.officer_authorized` at the instant of service: a replay through the pure rules). The
result has the schema of `schema.HOLD_COLUMNS`, so `wso audit export` writes the same Parquet an
auditor can audit anywhere, and the live database and its export give identical findings.

Limits (documented in docs/audit.md): one citizenship claim per hold is audited (the first); the
officer's authorization is judged at the instant of service (authorized from that instant, or ended
at it with the cause the rules give: O5 withdrawn/suspended, A4 agreement ended, else never, O4); an
IGSA is "in force at the deadline" when in force at the WSO deadline (service + hold.max_hours).

`flatten_complaints` does the same for complaints (schema.COMPLAINT_COLUMNS): one row per complaint, its
instants from the complaint's record (written in the same transaction as its ledger event) and its
evidence the stream `complaint:<id>` with the seqs of the receipt and of the notice to ICE.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
from sqlalchemy import select

from wso.audit.schema import COMPLAINT_COLUMNS, HOLD_COLUMNS, arrow_schema
from wso.events import holds as e
from wso.events import records as r
from wso.events.catalog import parse
from wso.events.hold_fold import hold_facts, hold_record
from wso.holds import tables as t
from wso.holds.decide import facility_fact, release_standard_fact, stream_of
from wso.params import ParamSet, default_params
from wso.rules.holds import FUNCTION_FOR_FORM
from wso.rules.officers import officer_authorized
from wso.services.to_facts import agreement_fact, officer_fact
from wso.store import tables
from wso.store.ledger import stream_events
from wso.store.uow import Store

END_OF_RECORDS = datetime(9999, 1, 1, tzinfo=UTC)
# A complaint recorded without a facility runs its clocks in the agency's zone (complaints/service.py);
# its record names no facility with this marker (non-empty, so a CSV round trip keeps the row valid).
NO_FACILITY = "(agency-wide)"


def flatten(store: Store, *, params: ParamSet | None = None) -> pa.Table:
    """Every hold in the database as one audit record (the schema of docs/audit.md)."""
    params = params or default_params()
    rows: list[dict[str, Any]] = []
    with store.unit_of_work() as uow:
        session = uow.session
        for row in session.scalars(select(t.Hold).order_by(t.Hold.agency_id, t.Hold.booking_number)):
            rows.append(_record(uow, row, params))
    return pa.Table.from_pylist(rows, schema=arrow_schema(HOLD_COLUMNS))


def flatten_complaints(store: Store) -> pa.Table:
    """Every complaint in the database as one audit record (C1/C2; the complaint schema of docs/audit.md).

    Why here and not only in `audit_complaints`: a live database must be auditable as it stands, and its
    export must give the same C1/C2 findings; both read these records."""
    rows: list[dict[str, Any]] = []
    with store.unit_of_work() as uow:
        session = uow.session
        query = select(tables.Complaint).order_by(
            tables.Complaint.agency_id, tables.Complaint.received_at, tables.Complaint.id
        )
        for row in session.scalars(query):
            rows.append(_complaint_record(session, row))
    return pa.Table.from_pylist(rows, schema=arrow_schema(COMPLAINT_COLUMNS))


def _complaint_record(session: Any, row: tables.Complaint) -> dict[str, Any]:
    """One complaint: the facility's zone (else the agency's, as the service's clocks), its template and
    the seqs of its receipt and notice in `complaint:<id>`."""
    stream = f"complaint:{row.id}"
    ledger = [(x.seq, parse(x.type, x.data)) for x in stream_events(session, stream)]
    agency = session.get(tables.Agency, row.agency_id)
    facility = session.get(tables.Facility, row.facility_id) if row.facility_id else None
    agreement = session.get(tables.Agreement, row.agreement_id)
    return {
        "complaint_id": row.id,
        "agency": agency.name,
        "facility": facility.name if facility is not None else NO_FACILITY,
        "timezone": facility.timezone if facility is not None else agency.timezone,
        "template": agreement.template,
        "about_designated_officer": bool(row.about_designated_officer),
        "officer_id": row.officer_id,
        "received_at": _utc(row.received_at),
        "ice_notified_at": _utc(row.ice_notified_at),
        "evidence_stream": stream,
        "seq_received": _seq(ledger, r.ComplaintReceived),
        "seq_notified": _seq(ledger, r.ComplaintIceNotified),
    }


def _record(uow: Any, row: t.Hold, params: ParamSet) -> dict[str, Any]:
    session = uow.session
    ledger = stream_events(session, stream_of(row.id))
    typed = [(x.seq, parse(x.type, x.data)) for x in ledger]
    events = [ev for _, ev in typed if isinstance(ev, e.Event)]
    facility = facility_fact(uow, row.facility_id)
    facility_row = session.get(tables.Facility, row.facility_id)
    agency = session.get(tables.Agency, row.agency_id)
    agreement_row = session.get(tables.Agreement, row.agreement_id)
    agreement = agreement_fact(uow, agreement_row)
    record = hold_record(events)
    first_clear = next((ev.at for ev in events if isinstance(ev, e.ClearedForRelease)), None)
    standard = release_standard_fact(uow, row.agency_id, at=first_clear or record.scheduled_release_at)
    hold = hold_facts(events, at=END_OF_RECORDS, facility=facility, agreement=agreement, release_standard=standard)
    served = next(((s, ev) for s, ev in typed if isinstance(ev, e.WarrantServed) and ev.valid), None)
    out: dict[str, Any] = {c.name: None for c in HOLD_COLUMNS}
    out.update(
        booking_number=record.booking_number,
        agency=agency.name,
        facility=facility_row.name,
        state=facility.state,
        timezone=facility.timezone,
        template=agreement.template,
        scheduled_release_at=_utc(hold.scheduled_release_at),
        cleared_for_release_at=_utc(hold.cleared_for_release_at or first_clear),
        release_standard_minutes=standard.minutes if standard else None,
        ice_notified_at=_utc(hold.ice_notified_at),
        detainer_i247a=hold.detainer_i247a,
        cfr_287_7_applies=hold.cfr_287_7_applies,
        igsa_booked_at=_utc(hold.igsa_booked_at),
        transferred_at=_utc(hold.transferred_at),
        released_at=_utc(hold.released_at),
        evidence_stream=stream_of(row.id),
        seq_cleared=_seq(typed, e.ClearedForRelease),
        seq_ice_notified=_seq(typed, e.IceNotified),
        seq_claimed=_seq(typed, e.CitizenshipClaimed),
        seq_reported=_seq(typed, e.CitizenshipReported),
        seq_ended=_seq(typed, (e.TransferredToIce, e.Released)),
    )
    if hold.citizenship_claims:
        claim = hold.citizenship_claims[0]
        out.update(
            citizenship_claimed_at=_utc(claim.claimed_at),
            citizenship_reported_at=_utc(claim.reported_at),
            exigency_recorded=bool(claim.exigency_reason),
        )
    if served is not None:
        seq, event = served
        warrant = record.warrant(event.warrant_number)
        form = warrant.form if warrant else "I-200"
        out.update(
            served_at=_utc(event.at),
            served_by=event.officer_id,
            warrant_form=form,
            interpreter_used=event.interpreter_used,
            interpreter_named=bool((event.interpreter_name or "").strip()),
            seq_served=seq,
        )
        out.update(_authorization(uow, event, agreement, form=form, params=params))
        deadline = event.at + timedelta(hours=params.for_template("hold.max_hours", agreement.template).value)
        out["igsa_in_force_at_deadline"] = any(
            a.kind == "IGSA" and a.in_force_at(deadline) for a in facility.detention_agreements
        )
    return out


def _authorization(uow: Any, event: e.WarrantServed, agreement: Any, *, form: str, params: ParamSet) -> dict[str, Any]:
    """O4/O5/A4 at the instant of service, judged by rules/officers.py."""
    officer_row = uow.session.get(tables.Officer, event.officer_id)
    at = _utc(event.at)
    if officer_row is None:
        return {"officer_authorized_from": None}
    decision = officer_authorized(
        officer_fact(uow, officer_row),
        agreement,
        at=event.at,
        function=FUNCTION_FOR_FORM.get(form, "serve_i200"),
        params=params,
    )
    if decision.allowed:
        return {"officer_authorized_from": at}
    failing = {r.rule for r in decision.reasons if not r.satisfied}
    if "O5" in failing or "C4" in failing:
        return {
            "officer_authorized_from": at - timedelta(seconds=1),
            "officer_authorization_end": at,
            "officer_authorization_end_cause": "withdrawn",
        }
    if "A4" in failing or "A3" in failing:
        return {
            "officer_authorized_from": at - timedelta(seconds=1),
            "officer_authorization_end": at,
            "officer_authorization_end_cause": "agreement_terminated",
        }
    return {"officer_authorized_from": None}


def _seq(typed: list[tuple[int, Any]], kind: type | tuple[type, ...]) -> int | None:
    return next((s for s, ev in typed if isinstance(ev, kind)), None)


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None
