"""Loading a record the actor may see, or NotFound: the one lookup every service shares."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from wso.services.errors import ConcurrencyError, NotFound
from wso.services.inputs import record_id
from wso.services.permissions import Actor, require_agency
from wso.store import tables
from wso.store.uow import UnitOfWork

Row = TypeVar("Row", tables.Agency, tables.Agreement, tables.Officer, tables.Complaint, tables.User)

ENTITY_NAMES: dict[type, str] = {
    tables.Agency: "agency",
    tables.Agreement: "agreement",
    tables.Officer: "officer",
    tables.Complaint: "complaint",
    tables.User: "user",
}


def load(
    uow: UnitOfWork,
    model: type[Row],
    id: str,
    *,
    actor: Actor,
    expected_version: int | None = None,
    field: str | None = None,
) -> Row:
    """The row `id` of `model` if it exists and lies within the actor's agency scope.

    `expected_version` is the version the user's form was built from: a different current one
    means someone changed the record meanwhile, and the user must see that rather than overwrite it.
    """
    entity = ENTITY_NAMES[model]
    key = record_id(field or f"{entity}_id", id)
    row = uow.session.get(model, key)
    if row is None:
        error = NotFound(entity, key)
        error.actor_label = actor.label
        raise error
    agency_id = row.id if isinstance(row, tables.Agency) else row.agency_id
    if agency_id is not None:
        require_agency(actor, agency_id, entity=entity, id=key)
    if expected_version is not None and row.version != expected_version:
        raise ConcurrencyError(
            f"this {entity} is now at version {row.version}, not {expected_version}: someone changed it; reload it",
            entity=entity,
            entity_id=key,
            expected_version=expected_version,
        )
    return row


def log_read(
    uow: UnitOfWork, *, actor: Actor, at: datetime, entity: str, entity_id: str, agency_id: str | None
) -> None:
    """Note that a person's record is shown; the unit of work logs it once when the entry point commits.

    `at` is the instant the reader asked about (it may be in the past, "as of"); the log's own time
    is the database's clock, so a read is always logged when it happened. The address is the
    request's (wso.store.access.client_address), the outcome "shown". On PostgreSQL the row is
    committed by the process's access writer just before the unit of work commits (group commit:
    see wso.store.access.AccessWriter), on SQLite with the unit of work's own commit.
    """
    uow.note_reads(actor=actor.label, entity=entity, entity_ids=[entity_id], as_of=at, agency_id=agency_id)


def log_reads(
    uow: UnitOfWork, *, actor: Actor, at: datetime, entity: str, entity_ids: list[str], agency_id: str | None
) -> None:
    """`log_read` for every record a list shows: one access-log row each, written in one INSERT."""
    uow.note_reads(actor=actor.label, entity=entity, entity_ids=entity_ids, as_of=at, agency_id=agency_id)
