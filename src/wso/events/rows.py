"""How each records event changes the projection tables: the services' writes, replayed purely.

Core (issue 11 item 1): moved here from wso.store.folds so the facts fold (wso.events.facts) can
compose it; wso.store.folds registers these folds with `wso ledger verify`.

One function per event type, read off the service that appends it (src/wso/services/): the
payload it writes and the rows it changes. Every event of an aggregate's stream (agency,
agreement, officer, complaint, user) sets the aggregate's `version` to the event's seq, as the
unit of work does. Columns the ledger does not carry are left out and so not compared: an
agreement's full state-law decision (its status is compared), a user's password hash and a
token's digest (secrets never enter the ledger).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wso.events.base import Event, Rows, UnknownEvent, parse_instant

Fold = Callable[[Rows, Event], None]


def _table(rows: Rows, name: str) -> dict[str, dict[str, Any]]:
    return rows.setdefault(name, {})


def _aggregate(rows: Rows, table: str, event: Event) -> dict[str, Any]:
    """The aggregate row of the event's stream, its version moved to the event's seq."""
    row = _table(rows, table).get(event.entity_id)
    if row is None:
        raise KeyError(f"{table} row {event.entity_id} was never created in the ledger")
    row["version"] = event.seq
    return row


def _create(rows: Rows, table: str, event: Event, values: dict[str, Any]) -> None:
    _table(rows, table)[event.entity_id] = {**values, "version": event.seq, "created_at": event.at}


def _t(data: Any, key: str) -> Any:
    return parse_instant(data.get(key))


# ---- agency ---------------------------------------------------------------------------------------


def _agency_created(rows: Rows, e: Event) -> None:
    _create(rows, "agencies", e, {"name": e.data["name"], "state": e.data["state"], "timezone": e.data["timezone"]})


def _facility_added(rows: Rows, e: Event) -> None:
    _aggregate(rows, "agencies", e)
    d = e.data
    _table(rows, "facilities")[d["facility_id"]] = {
        "agency_id": e.entity_id,
        "name": d["name"],
        "state": d["state"],
        "timezone": d["timezone"],
        "created_at": e.at,
    }


# ---- agreement ------------------------------------------------------------------------------------


def _agreement_created(rows: Rows, e: Event) -> None:
    d = e.data
    _create(
        rows,
        "agreements",
        e,
        {
            "agency_id": d["agency_id"],
            "model": d["model"],
            "template": d["template"],
            "state": d["state"],
            "state_law_status": d.get("state_law_status") or None,
            "lea_signed_at": None,
            "ice_signed_at": None,
            "first_class_certified_at": None,
            "operational_at": None,
        },
    )


def _agreement_signed(rows: Rows, e: Event) -> None:
    row = _aggregate(rows, "agreements", e)
    row["lea_signed_at" if e.data["party"] == "LEA" else "ice_signed_at"] = _t(e.data, "signed_at")


def _notice_received(rows: Rows, e: Event) -> None:
    _aggregate(rows, "agreements", e)
    d = e.data
    _table(rows, "notices")[d["notice_id"]] = {
        "agreement_id": e.entity_id,
        "kind": d["kind"],
        "by": d["by"],
        "received_at": _t(d, "received_at"),
        "effective_at": _t(d, "effective_at"),
        "exigent_effective_at": _t(d, "exigent_effective_at"),
        "exigent_reason": d.get("exigent_reason"),
        "lifted_at": None,
    }


def _agreement_suspension_lifted(rows: Rows, e: Event) -> None:
    _aggregate(rows, "agreements", e)
    rows["notices"][e.data["notice_id"]]["lifted_at"] = _t(e.data, "lifted_at")


def _meeting_held(rows: Rows, e: Event) -> None:
    _aggregate(rows, "agreements", e)
    d = e.data
    _table(rows, "meetings")[d["meeting_id"]] = {
        "agreement_id": e.entity_id,
        "held_at": _t(d, "held_at"),
        "note": d["note"],
    }


def _program_dates(rows: Rows, e: Event) -> None:
    row = _aggregate(rows, "agreements", e)
    for key in ("first_class_certified_at", "operational_at"):
        if key in e.data:
            row[key] = _t(e.data, key)


# ---- officer --------------------------------------------------------------------------------------


def _nominated(rows: Rows, e: Event) -> None:
    d = e.data
    _create(
        rows,
        "officers",
        e,
        {
            "agency_id": d["agency_id"],
            "agreement_id": d["agreement_id"],
            "name": d["name"],
            "badge": d["badge"],
            "citizen_attested": d["citizen_attested"],
            "experience_attested": d["experience_attested"],
            "facility_training_attested": d["facility_training_attested"],
            # O-rule attestation added by migration r0003: events before it lack the key (column default false)
            "inmate_conduct_attested": bool(d.get("inmate_conduct_attested", False)),
            "records_access_authorized": d["records_access_authorized"],
            "background_check": "not_requested",
            "letter_signed_at": None,
            "form_70_006_at": None,
            "departure_notice_at": None,
            "departed_at": None,
            "under_ice_supervision": bool(d.get("under_ice_supervision", True)),
        },
    )


def _officer_set(**columns: str) -> Fold:
    """An event that sets officer columns from payload keys (instants parsed)."""

    def fold(rows: Rows, e: Event) -> None:
        row = _aggregate(rows, "officers", e)
        for column, key in columns.items():
            value = e.data[key]
            row[column] = _t(e.data, key) if column.endswith("_at") else value

    return fold


def _officer_child(table: str, id_key: str, build: Callable[[Rows, Event], dict[str, Any]]) -> Fold:
    def fold(rows: Rows, e: Event) -> None:
        _aggregate(rows, "officers", e)
        _table(rows, table)[e.data[id_key]] = {"officer_id": e.entity_id, **build(rows, e)}

    return fold


def _child_set(table: str, id_key: str, **columns: str) -> Fold:
    def fold(rows: Rows, e: Event) -> None:
        _aggregate(rows, "officers", e)
        row = rows[table][e.data[id_key]]
        for column, key in columns.items():
            row[column] = _t(e.data, key)

    return fold


_NOT_VOIDED = {"voided_at": None, "voided_by": None, "void_reason": None}


def _withdrawal(kind: str) -> Callable[[Rows, Event], dict[str, Any]]:
    def build(rows: Rows, e: Event) -> dict[str, Any]:
        d = e.data
        return {
            "kind": kind,
            "notice_at": _t(d, "notice_at"),
            "effective_at": _t(d, "effective_at"),
            "ended_at": None,
            "reason": d["reason"],
            "complaint_id": d.get("complaint_id"),
            "notice_id": None,
            **_NOT_VOIDED,
        }

    return build


def _revocation(rows: Rows, e: Event) -> dict[str, Any]:
    """A4: the notice's receipt is the withdrawal's notice instant (the service copies it)."""
    d = e.data
    notice = rows["notices"][d["notice_id"]]
    return {
        "kind": "withdrawal",
        "notice_at": notice["received_at"],
        "effective_at": _t(d, "effective_at"),
        "ended_at": None,
        "reason": d["reason"],
        "complaint_id": None,
        "notice_id": d["notice_id"],
        **_NOT_VOIDED,
    }


def _entry_voided(rows: Rows, e: Event) -> None:
    """The correcting event marks the entry with who voided it, when (the ledger's instant) and why."""
    _aggregate(rows, "officers", e)
    table = {"withdrawal": "withdrawals", "exam_attempt": "exam_attempts"}[e.data["entry"]]
    row = rows[table][e.data["entry_id"]]
    row.update(voided_at=e.at, voided_by=e.actor, void_reason=e.data["reason"])


def _departure_notice(rows: Rows, e: Event) -> None:
    """O7: the notice, and the departure it announces (kept when the notice names none)."""
    row = _aggregate(rows, "officers", e)
    row["departure_notice_at"] = _t(e.data, "notice_at")
    if e.data.get("departure_at") is not None:
        row["departed_at"] = _t(e.data, "departure_at")


# ---- complaint ------------------------------------------------------------------------------------


def _complaint_received(rows: Rows, e: Event) -> None:
    d = e.data
    _create(
        rows,
        "complaints",
        e,
        {
            "agency_id": d["agency_id"],
            "agreement_id": d["agreement_id"],
            "facility_id": d.get("facility_id"),
            "officer_id": d.get("officer_id"),
            "subject_name": d["subject_name"],
            "about_designated_officer": d["about_designated_officer"],
            "source": d["source"],
            "summary": d["summary"],
            "received_at": _t(d, "received_at"),
            "ice_notified_at": None,
            "ice_notified_to": "",
            "investigation_result": "",
            "results_reported_at": None,
            "resolution": "",
            "resolved_at": None,
        },
    )


def _complaint_set(**columns: str) -> Fold:
    def fold(rows: Rows, e: Event) -> None:
        row = _aggregate(rows, "complaints", e)
        for column, key in columns.items():
            row[column] = _t(e.data, key) if column.endswith("_at") else e.data[key]

    return fold


# ---- users and tokens -----------------------------------------------------------------------------


def _user_created(rows: Rows, e: Event) -> None:
    d = e.data
    _create(
        rows,
        "users",
        e,
        {"username": d["username"], "role": d["role"], "agency_id": d.get("agency_id"), "active": True},
    )


def _user_deactivated(rows: Rows, e: Event) -> None:
    _aggregate(rows, "users", e)["active"] = False


def _user_reactivated(rows: Rows, e: Event) -> None:
    _aggregate(rows, "users", e)["active"] = True


def _token_issued(rows: Rows, e: Event) -> None:
    d = e.data
    _table(rows, "api_tokens")[e.entity_id] = {
        "user_id": d["user_id"],
        "label": d["purpose"],
        "created_at": e.at,
        "expires_at": _t(d, "expires_at"),
        "revoked_at": None,
    }


def _token_revoked(rows: Rows, e: Event) -> None:
    rows["api_tokens"][e.entity_id]["revoked_at"] = e.at


def _records_exported(rows: Rows, e: Event) -> None:
    """An export of the agency's records (agencies/export.py) is evidence, not a change: the
    service appends it without the agency as aggregate, so the agency's version does not move."""
    if e.entity_id not in rows.get("agencies", {}):
        raise KeyError(f"agencies row {e.entity_id} was never created in the ledger")


AGENCY = {"agency.created": _agency_created, "facility.added": _facility_added, "records.exported": _records_exported}
AGREEMENT = {
    "agreement.created": _agreement_created,
    "agreement.signed": _agreement_signed,
    "agreement.notice_received": _notice_received,
    "agreement.suspension_lifted": _agreement_suspension_lifted,
    "agreement.meeting_held": _meeting_held,
    "agreement.program_dates_recorded": _program_dates,
}
OFFICER = {
    "officer.nominated": _nominated,
    "officer.background_check_recorded": _officer_set(background_check="status"),
    "officer.exam_attempt_recorded": _officer_child(
        "exam_attempts",
        "attempt_id",
        lambda r, e: {"taken_at": _t(e.data, "taken_at"), "score_percent": e.data["score_percent"], **_NOT_VOIDED},
    ),
    "officer.authorization_letter_recorded": _officer_set(letter_signed_at="signed_at"),
    "officer.form_70_006_recorded": _officer_set(form_70_006_at="signed_at"),
    "officer.credentials_issued": _officer_child(
        "credentials",
        "credential_id",
        lambda r, e: {
            "number": e.data["number"],
            "issued_at": _t(e.data, "issued_at"),
            "return_requested_at": None,
            "returned_at": None,
        },
    ),
    "officer.credentials_return_requested": _child_set(
        "credentials", "credential_id", return_requested_at="requested_at"
    ),
    "officer.credentials_returned": _child_set("credentials", "credential_id", returned_at="returned_at"),
    "officer.authorization_withdrawn": _officer_child("withdrawals", "withdrawal_id", _withdrawal("withdrawal")),
    "officer.suspended": _officer_child("withdrawals", "withdrawal_id", _withdrawal("suspension")),
    "officer.suspension_lifted": _child_set("withdrawals", "withdrawal_id", ended_at="ended_at"),
    "officer.entry_voided": _entry_voided,
    "officer.authorization_revoked": _officer_child("withdrawals", "withdrawal_id", _revocation),
    "officer.departure_notice_recorded": _departure_notice,
    "officer.departed": _officer_set(departed_at="departed_at"),
    "officer.training_required": _officer_child(
        "required_trainings",
        "required_training_id",
        lambda r, e: {"name": e.data["name"], "due_at": _t(e.data, "due_at"), "required_at": e.at},
    ),
    "officer.training_completed": _officer_child(
        "trainings", "training_id", lambda r, e: {"name": e.data["name"], "completed_at": _t(e.data, "completed_at")}
    ),
}
COMPLAINT = {
    "complaint.received": _complaint_received,
    "complaint.ice_notified": _complaint_set(ice_notified_at="notified_at", ice_notified_to="notified_to"),
    "complaint.investigation_result_recorded": _complaint_set(
        investigation_result="result", results_reported_at="reported_at"
    ),
    "complaint.resolved": _complaint_set(resolution="resolution", resolved_at="resolved_at"),
}
USER: dict[str, Fold] = {
    "user.created": _user_created,
    "user.deactivated": _user_deactivated,
    "user.reactivated": _user_reactivated,
}
API_TOKEN = {"api_token.issued": _token_issued, "api_token.revoked": _token_revoked}


BY_PREFIX: dict[str, dict[str, Fold]] = {
    "agency": AGENCY,
    "facility": AGENCY,
    "agreement": AGREEMENT,
    "officer": OFFICER,
    "complaint": COMPLAINT,
    "user": USER,
    "api_token": API_TOKEN,
}


def register_event(type: str, fold: Fold) -> None:
    """A new event type in one of these streams and how it changes the rows; verify reports any event
    type without a fold. Use `nothing` for an event that changes no compared column (a password hash
    is not compared, for instance). The type must be in the event catalog first (wso.events.catalog)."""
    BY_PREFIX[type.split(".", 1)[0]][type] = fold


def register_stream_event(prefix: str, type: str, fold: Fold) -> None:
    """An event type whose name does not start with its stream's prefix (the holds area's
    `release_standard_recorded` on `agency:<id>:release-standard`) and its fold."""
    BY_PREFIX[prefix][type] = fold


def register_user_event(type: str, fold: Fold) -> None:
    """For the accounts area: a new user event type and its fold (see register_event)."""
    register_event(type, fold)


def nothing(rows: Rows, event: Event) -> None:
    """The fold of an event that changes no compared column but moves its aggregate's version."""
    table = {
        "user": "users",
        "officer": "officers",
        "agreement": "agreements",
        "complaint": "complaints",
        "agency": "agencies",
    }.get(event.stream.split(":", 1)[0])
    if table:
        _aggregate(rows, table, event)


# Secrets never enter the ledger: these change no compared column, only the user's version.
for _type in ("user.password_changed", "user.password_reset", "user.mfa_reset"):
    USER[_type] = nothing


# ---- departure reasons (PROGRAM.md, Modality) -------------------------------------------------------

_DEPARTURE_STREAMS = {"agreement": "agreements", "officer": "officers", "complaint": "complaints"}


def _departure_reason_recorded(rows: Rows, e: Event) -> None:
    """`departure.reason_recorded` on an agreement's, officer's or complaint's own stream: the record's
    version moves, and one departure_reasons row holds the rule, the missed due instant and the reason."""
    prefix = e.stream.split(":", 1)[0]
    _aggregate(rows, _DEPARTURE_STREAMS[prefix], e)
    _table(rows, "departure_reasons")[e.data["departure_reason_id"]] = {
        "entity": prefix,
        "entity_id": e.entity_id,
        "rule": e.data["rule"],
        "due_at": _t(e.data, "due_at"),
        "reason": e.data["reason"],
        "recorded_at": e.at,
        "recorded_by": e.actor,
    }


for _prefix in _DEPARTURE_STREAMS:
    BY_PREFIX[_prefix]["departure.reason_recorded"] = _departure_reason_recorded


def dispatch(folds: dict[str, Fold]) -> Fold:
    """One stream family's fold: the event's type picks the function; an unknown type is UnknownEvent."""

    def apply(rows: Rows, event: Event) -> None:
        fold = folds.get(event.type)
        if fold is None:
            raise UnknownEvent(f"no fold for event type {event.type!r}")
        fold(rows, event)

    return apply


def ledger_event(rows: Rows, e: Event) -> None:
    """Events about the ledger itself (keys, purges) change no projection."""


# Stream prefix -> (fold, the tables it produces); wso.store.folds registers each with verify.
STREAMS: dict[str, tuple[Fold, tuple[str, ...]]] = {
    "agency:": (dispatch(AGENCY), ("agencies", "facilities")),
    "agreement:": (dispatch(AGREEMENT), ("agreements", "notices", "meetings", "departure_reasons")),
    "officer:": (
        dispatch(OFFICER),
        ("officers", "exam_attempts", "withdrawals", "credentials", "trainings", "required_trainings"),
    ),
    "complaint:": (dispatch(COMPLAINT), ("complaints",)),
    "user:": (dispatch(USER), ("users",)),
    "api_token:": (dispatch(API_TOKEN), ("api_tokens",)),
    "ledger:": (ledger_event, ()),
}


def fold_rows(rows: Rows, event: Event) -> None:
    """Fold one records event into `rows` by its stream's prefix (longest first)."""
    for prefix in sorted(STREAMS, key=len, reverse=True):
        if event.stream.startswith(prefix):
            STREAMS[prefix][0](rows, event)
            return
    raise UnknownEvent(f"no records fold for stream {event.stream!r}")
