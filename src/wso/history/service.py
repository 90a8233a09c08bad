"""A record's history (its ledger stream, event by event) and the whole ledger's check.

Why here and not in each area: every record's history is the same thing, its stream in the ledger
(`officer:<id>`, `agreement:<id>`, `complaint:<id>`, `hold:<id>`), so one service reads them all,
with the same agency scoping as the record's own page (another agency's record is NotFound) and
the same read log for a person's record (an officer, a complaint, a hold).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import func, select

from wso.holds.service import load_hold
from wso.services import ledger
from wso.services.errors import NotFound
from wso.services.inputs import aware
from wso.services.inputs import record_id as checked_id
from wso.services.lookup import load, log_read
from wso.services.permissions import Actor, Permission, require
from wso.store import tables
from wso.store.keys import KeyRing, key_ring
from wso.store.ledger import GENESIS, LedgerEvent, latest_checkpoint, stored_event_hash, stream_events
from wso.store.signing import EVENT_CONTEXT
from wso.store.uow import UnitOfWork
from wso.store.verify import VerifyReport

__all__ = [
    "ENTITIES",
    "HistoryEvent",
    "LedgerCheck",
    "LedgerState",
    "RecordHistory",
    "check_ledger",
    "ledger_state",
    "record_history",
]

# The records with a history page: entity -> (its label, its page's address prefix).
ENTITIES: Final[dict[str, tuple[str, str]]] = {
    "officer": ("Officer", "/officers"),
    "agreement": ("Agreement", "/agreements"),
    "complaint": ("Complaint", "/complaints"),
    "hold": ("Custody hold", "/holds"),
}
# A person's record: reading its history is a logged read, as reading the record is.
PERSON_RECORDS: Final = frozenset({"officer", "complaint", "hold"})
# Payload keys never shown even if an event carried them (none does today: the catalog keeps secrets out).
_SECRET_WORDS: Final = ("password", "secret", "token", "hash", "totp")


@dataclass(frozen=True)
class HistoryEvent:
    """One event of a record's stream as an auditor reads it: when, who, what, and whether it proves itself."""

    seq: int
    at: datetime
    actor: str
    type: str
    what: str
    fields: tuple[tuple[str, str], ...]
    hash: str
    linked: bool  # seq continues the stream and prev_hash is the previous event's hash
    intact: bool  # the hash recomputes from the event's content
    signature_problem: str | None  # None when the signature verifies with a key the ledger trusts

    @property
    def verifies(self) -> bool:
        return self.linked and self.intact and self.signature_problem is None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "at": self.at.isoformat(), "fields": dict(self.fields), "verifies": self.verifies}


@dataclass(frozen=True)
class RecordHistory:
    entity: str
    record_id: str
    title: str
    record_url: str
    agency_id: str
    zone: str
    events: tuple[HistoryEvent, ...]

    @property
    def all_verify(self) -> bool:
        return all(e.verifies for e in self.events)


def plain_words(event_type: str) -> str:
    """`officer.exam_attempt_recorded` -> "Officer exam attempt recorded": the type as a reader says it."""
    words = event_type.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items()) or "—"
    return str(value)


def _fields(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The payload's fields in plain words, secrets left out by name."""
    return tuple(
        (key.replace("_", " "), _shown(value))
        for key, value in sorted(data.items())
        if not any(word in key.lower() for word in _SECRET_WORDS)
    )


def _record(uow: UnitOfWork, actor: Actor, entity: str, rid: str) -> tuple[str, str, str]:
    """(agency id, time zone, title) of the record, if the actor may see it; NotFound otherwise."""
    if entity == "hold":
        hold = load_hold(uow, actor=actor, hold_id=rid)
        agency_id, title = hold.agency_id, f"Custody hold of {hold.person_name}"
    elif entity == "officer":
        officer = load(uow, tables.Officer, rid, actor=actor)
        agency_id, title = officer.agency_id, f"Officer {officer.name}"
    elif entity == "agreement":
        agreement = load(uow, tables.Agreement, rid, actor=actor)
        agency_id, title = agreement.agency_id, f"Agreement ({agreement.model}, {agreement.template})"
    else:
        complaint = load(uow, tables.Complaint, rid, actor=actor)
        agency_id, title = complaint.agency_id, "Complaint"
    agency = uow.session.get(tables.Agency, agency_id)
    return agency_id, agency.timezone if agency else "UTC", title


def _events(rows: list[LedgerEvent], ring: KeyRing) -> tuple[HistoryEvent, ...]:
    out: list[HistoryEvent] = []
    expected_seq, expected_prev = 1, GENESIS
    for row in rows:
        try:
            recomputed = stored_event_hash(row)
        except (ValueError, TypeError):
            recomputed = ""
        out.append(
            HistoryEvent(
                seq=row.seq,
                at=row.at,
                actor=row.actor,
                type=row.type,
                what=plain_words(row.type),
                fields=_fields(row.data),
                hash=row.hash,
                linked=row.seq == expected_seq and row.prev_hash == expected_prev,
                intact=recomputed == row.hash,
                signature_problem=ring.problem(
                    context=EVENT_CONTEXT, key_id=row.key_id, message=row.hash, signature=row.signature
                ),
            )
        )
        expected_seq, expected_prev = row.seq + 1, row.hash
    return tuple(out)


def record_history(uow: UnitOfWork, *, actor: Actor, at: datetime, entity: str, record_id: str) -> RecordHistory:
    """The record's ledger events in order, each checked (link, hash, signature); a logged read for a person.

    Every role that may read the record may read its history: it shows what the record's page
    shows, plus who recorded each change and when.
    """
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    if entity not in ENTITIES:
        raise NotFound("record type", entity)
    rid = checked_id(f"{entity}_id", record_id)
    agency_id, zone, title = _record(uow, actor, entity, rid)
    rows = stream_events(uow.session, f"{entity}:{rid}")
    history = RecordHistory(
        entity=entity,
        record_id=rid,
        title=title,
        record_url=f"{ENTITIES[entity][1]}/{rid}",
        agency_id=agency_id,
        zone=zone,
        events=_events(rows, key_ring(uow.session)),
    )
    if entity in PERSON_RECORDS:
        log_read(uow, actor=actor, at=at, entity=entity, entity_id=rid, agency_id=agency_id)
    return history


@dataclass(frozen=True)
class LedgerState:
    """Where the chain stands: how many events, the newest, and the last checkpoint."""

    events: int
    streams: int
    head_id: int | None
    head_at: datetime | None
    checkpoint_seq: int | None
    checkpoint_at: datetime | None
    checkpoint_last_event_id: int | None
    checkpoint_hash: str | None


@dataclass(frozen=True)
class LedgerCheck:
    """`wso ledger verify`'s report, and how long it took (seconds, wall clock)."""

    report: VerifyReport
    seconds: float


def ledger_state(uow: UnitOfWork, *, actor: Actor) -> LedgerState:
    """The ledger's head and last checkpoint, for the auditor's and the admin's ledger page."""
    require(actor, Permission.VERIFY_LEDGER)
    s = uow.session
    count, streams, head_id = s.execute(
        select(func.count(LedgerEvent.id), func.count(func.distinct(LedgerEvent.stream)), func.max(LedgerEvent.id))
    ).one()
    head_at = s.scalar(select(LedgerEvent.at).where(LedgerEvent.id == head_id)) if head_id is not None else None
    cp = latest_checkpoint(s)
    return LedgerState(
        events=int(count),
        streams=int(streams),
        head_id=head_id,
        head_at=head_at,
        checkpoint_seq=cp.seq if cp else None,
        checkpoint_at=cp.at if cp else None,
        checkpoint_last_event_id=cp.last_event_id if cp else None,
        checkpoint_hash=cp.hash if cp else None,
    )


def check_ledger(uow: UnitOfWork, *, actor: Actor) -> LedgerCheck:
    """The very check `wso ledger verify` runs (chains, signatures, checkpoints, access log, projections),
    read-only, timed; signatures checked against the keys the ledger records (no published key is given)."""
    require(actor, Permission.VERIFY_LEDGER)
    started = time.perf_counter()
    report = ledger.verify_ledger(uow, actor=actor)
    return LedgerCheck(report=report, seconds=time.perf_counter() - started)
