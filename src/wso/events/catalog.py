"""The one catalog of ledger event types: a Pydantic discriminated union on `type`.

Why one: every append goes through `validate_payload` (wso.store.ledger.append_event), so an event
type nobody declared, or a payload missing a field or carrying a typo, is refused before anything is
written; and the folds (rows for `wso ledger verify`, facts for the rules) read the same classes, so
the services, the scenarios and the audit cannot disagree about what an event says.

Adding an event type: a class in the area's module here (type literal, fields, RULES), listed in
`AnyEvent`; then a fold (wso.events.rows) or `FOLD_FREE = True`. tests/unit/test_events_catalog.py
fails until both are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from wso.events import accounts as u
from wso.events import holds as h
from wso.events import records as r
from wso.events import system as s
from wso.events.base import CatalogEvent, InvalidEvent, UnknownEventType

AnyEvent = Annotated[
    # agency, agreement, officer, complaint, departure reasons, exports
    r.AgencyCreated
    | r.FacilityAdded
    | r.RecordsExported
    | r.AgreementCreated
    | r.AgreementSigned
    | r.NoticeReceived
    | r.AgreementSuspensionLifted
    | r.MeetingHeld
    | r.ProgramDatesRecorded
    | r.OfficerNominated
    | r.BackgroundCheckRecorded
    | r.ExamAttemptRecorded
    | r.AuthorizationLetterRecorded
    | r.Form70006Recorded
    | r.CredentialsIssued
    | r.CredentialsReturnRequested
    | r.CredentialsReturned
    | r.AuthorizationWithdrawn
    | r.OfficerSuspended
    | r.OfficerSuspensionLifted
    | r.OfficerEntryVoided
    | r.AuthorizationRevoked
    | r.DepartureNoticeRecorded
    | r.OfficerDeparted
    | r.TrainingRequired
    | r.TrainingCompleted
    | r.ComplaintReceived
    | r.ComplaintIceNotified
    | r.InvestigationResultRecorded
    | r.ComplaintResolved
    | r.DepartureReasonRecorded
    # accounts
    | u.UserCreated
    | u.UserDeactivated
    | u.UserReactivated
    | u.PasswordChanged
    | u.PasswordReset
    | u.MfaReset
    | u.ApiTokenIssued
    | u.ApiTokenRevoked
    # holds: one person's custody, and the facility's and agency's policy records
    | h.Booked
    | h.ReleaseChanged
    | h.WarrantReceived
    | h.ClearedForRelease
    | h.WarrantServed
    | h.IceNotified
    | h.CitizenshipClaimed
    | h.CitizenshipReported
    | h.CitizenshipAnswered
    | h.IgsaBooked
    | h.TransferredToIce
    | h.Released
    | h.DetentionAgreementRecorded
    | h.ReleaseStandardRecorded
    # the ledger itself and the worker
    | s.KeyRegistered
    | s.KeyRotated
    | s.AccessLogPurged
    | s.AlertDelivered
    | s.AlertFailed,
    Field(discriminator="type"),
]

CATALOG: dict[str, type[CatalogEvent]] = {
    cls.model_fields["type"].default: cls
    for cls in AnyEvent.__origin__.__args__  # type: ignore[attr-defined]
}
_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyEvent)


def event_class(type: str) -> type[CatalogEvent]:
    """The class of a ledger type; an unknown type is an error naming it."""
    cls = CATALOG.get(type)
    if cls is None:
        raise UnknownEventType(
            f"event type {type!r} is not in the event catalog (wso.events.catalog); declare it there first"
        )
    return cls


def parse(type: str, payload: Mapping[str, Any]) -> CatalogEvent:
    """The typed event for a ledger type and payload: InvalidEvent names the first field that does not fit."""
    event_class(type)
    if "type" in payload:
        raise InvalidEvent(type, "type", "the payload must not carry the type (the ledger keeps it)")
    try:
        return _ADAPTER.validate_python({**payload, "type": type})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"][1:]) or "(payload)"
        reason = error["msg"] if error["type"] != "extra_forbidden" else "not a field of this event (a typo?)"
        raise InvalidEvent(type, field, reason) from None


def validate_payload(type: str, payload: Mapping[str, Any]) -> CatalogEvent:
    """Check a payload as it is stored (its JSON form) against the catalog; returns the typed event."""
    return parse(type, payload)


def payload_of(event: CatalogEvent) -> dict[str, Any]:
    """The ledger payload of a catalog event: its JSON fields without the type (the ledger keeps that)."""
    event_class(event.type)  # type: ignore[attr-defined]
    return event.model_dump(mode="json", exclude={"type"})
