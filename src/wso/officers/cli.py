"""The officers' operations at the terminal (`wso records officer-roster|officer-view|nominate-officer|
record-exam-attempt|...`): how their answers look (the options come from the query and command
classes; sign-in and running are wso.cli.operations_cmd's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table

from wso.cli.records_cmd import out
from wso.officers import queries as q
from wso.officers.views import OfficerRowView


def render_roster(roster: list[OfficerRowView]) -> None:
    """Every officer with their authorization status and exactly why (each unmet rule)."""
    table = Table("name", "id", "status", "why not")
    for o in roster:
        why = "; ".join(f"{r.rule}: {r.text}" for r in o.authorization.unmet)
        table.add_row(o.name, o.id, o.authorization.status, why)
    out.print(table)


RENDERERS: dict[type, Callable[[Any], None]] = {q.OfficerRoster: render_roster}
