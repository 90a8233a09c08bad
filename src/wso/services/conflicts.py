"""What changed in a record since the version a user's form was built from (a version conflict).

A form carries `expected_version`; when the record has moved on, the service refuses with
ConcurrencyError rather than overwrite someone else's entry. Saying only "reload" leaves the user
guessing whether their entry still makes sense, so the page lists who changed what, and when, from
the record's ledger stream (its events after that version: the actor's label, the event type in
words, the instant). Payloads are not shown: the record page itself shows the current values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from wso.services.errors import DomainError
from wso.services.lookup import ENTITY_NAMES, load
from wso.services.permissions import Actor
from wso.store.ledger import LedgerEvent
from wso.store.uow import UnitOfWork

# At most this many changes are listed (a record changed more than this since a form was drawn is rare).
MAX_CHANGES = 20

_MODELS = {name: model for model, name in ENTITY_NAMES.items()}


@dataclass(frozen=True)
class Change:
    """One event recorded after the user's version: who, what (in words), when, and its version."""

    version: int
    actor: str
    what: str
    at: datetime


def event_words(event_type: str) -> str:
    """ "officer.exam_attempt_recorded" -> "exam attempt recorded"; "form_70_006" reads as "Form 70-006"."""
    words = event_type.split(".", 1)[-1].replace("form_70_006", "Form 70-006").replace("_", " ")
    return words


def changes_since(uow: UnitOfWork, *, actor: Actor, entity: str, entity_id: str, version: int) -> list[Change]:
    """The record's events after `version`, oldest first; empty for a record the actor may not see."""
    model = _MODELS.get(entity)
    if model is None:
        return []
    try:
        load(uow, model, entity_id, actor=actor)  # the same scope check as the record's page
    except DomainError:  # not found, or outside the actor's agency: nothing to list
        return []
    rows = uow.session.scalars(
        select(LedgerEvent)
        .where(LedgerEvent.stream == f"{entity}:{entity_id}", LedgerEvent.seq > version)
        .order_by(LedgerEvent.seq)
        .limit(MAX_CHANGES)
    ).all()
    return [Change(version=r.seq, actor=r.actor, what=event_words(r.type), at=r.at) for r in rows]
