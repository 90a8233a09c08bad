"""Departures' reasons (issue 10 item 7): why a `should` rule of a record was not met."""

from __future__ import annotations

from wso.departures import service as departures
from wso.services.commands import Command
from wso.services.fields import Text


class RecordDepartureReason(Command):
    service = departures.record_departure_reason
    permission = None  # decided by the record or the caller's own account

    entity: Text
    entity_id: Text
    rule: Text
    reason: Text


ALL: tuple[type[Command], ...] = (RecordDepartureReason,)
