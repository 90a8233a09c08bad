"""The complaints' operations at the terminal (`wso records list-complaints|complaint-view|
receive-complaint|...`): how their answers look (the options come from the query and command
classes; sign-in and running are wso.cli.operations_cmd's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wso.cli.records_cmd import render_rows
from wso.complaints import queries as q

RENDERERS: dict[type, Callable[[Any], None]] = {
    q.ListComplaints: render_rows(
        ("id", "about", "received", "status"),
        lambda c: (c.id, c.subject_name, c.received_at.isoformat(), c.deadlines.status),
    ),
}
