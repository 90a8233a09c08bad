"""`wso ledger verify` for the records' streams: the pure folds of wso.events.rows, registered by prefix.

The folds themselves are core (wso.events.rows) so the facts fold can compose them; this module only
tells the store's projection registry which stream prefixes they replay and which tables they produce.
"""

from __future__ import annotations

from wso.events.rows import (
    AGENCY,
    AGREEMENT,
    API_TOKEN,
    BY_PREFIX,
    COMPLAINT,
    OFFICER,
    STREAMS,
    USER,
    Fold,
    nothing,
    register_event,
    register_stream_event,
    register_user_event,
)
from wso.store.projections import register_projection

__all__ = [
    "AGENCY",
    "AGREEMENT",
    "API_TOKEN",
    "BY_PREFIX",
    "COMPLAINT",
    "OFFICER",
    "USER",
    "Fold",
    "nothing",
    "register_event",
    "register_stream_event",
    "register_user_event",
]

for _prefix, (_apply, _tables) in STREAMS.items():
    register_projection(_prefix, apply=_apply, tables=_tables)
