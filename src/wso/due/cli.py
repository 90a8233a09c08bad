"""What is due at the terminal (`wso records what-is-due --agency-id ID`): the table, earliest deadline
first (the options come from the query class; sign-in and running are wso.cli.operations_cmd's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wso.cli.records_cmd import render_rows
from wso.due import queries as q

RENDERERS: dict[type, Callable[[Any], None]] = {
    q.WhatIsDue: render_rows(
        ("due", "rule", "what", "record"),
        lambda i: (
            (i.due.isoformat() if i.due else "now") + (" OVERDUE" if i.overdue else ""),
            i.rule,
            i.description,
            i.label,
        ),
    ),
}
