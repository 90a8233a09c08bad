"""`wso ledger verify` for the worker's streams: `alert:<id>`, one per alert, with its deliveries.

What the ledger proves here is the delivery record itself (who was told what, when, on which channel:
each `alert.delivered` / `alert.failed` event is chained and signed like any other). The `alerts` and
`alert_deliveries` tables are the worker's operational queue (leases, attempts, next retry), rebuilt
from the holds and complaints they watch, so they are not compared: a fold that changes no row.
An unknown event type on an alert stream is still reported, like on any other stream.
"""

from __future__ import annotations

from wso.store.projections import Event, Rows, UnknownEvent, register_projection

ALERT_EVENTS = frozenset({"alert.delivered", "alert.failed"})


def _apply(rows: Rows, event: Event) -> None:
    if event.type not in ALERT_EVENTS:
        raise UnknownEvent(f"no fold for alert event type {event.type!r}")


register_projection("alert:", apply=_apply)
