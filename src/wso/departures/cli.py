"""Departures at the terminal: `wso records departures-view|record-departure-reason` (issue 10 item 7;
PROGRAM.md, Modality): how their answers look (the options come from the query and command classes).

A `should` missed (A6, O7, C3) is shown apart from violations with its recorded reason, or
"no reason recorded"; `record-departure-reason` gives it one, as the signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wso.cli.records_cmd import out
from wso.departures import commands as c
from wso.departures import queries as q
from wso.departures.service import DeparturesView


def render_departures(view: DeparturesView) -> None:
    """Each departure with its reason (or "no reason recorded"); violations listed apart, for contrast."""
    if not view.departures:
        out.print(f"No departures on {view.entity} {view.entity_id}.", highlight=False, soft_wrap=True)
    for item in view.departures:
        due = f" (due {item.due_at.isoformat()})" if item.due_at else ""
        out.print(
            f"[yellow]departure[/yellow] [dim]{item.rule}[/dim]{due} {item.text}", highlight=False, soft_wrap=True
        )
        if item.reason is None:
            out.print("  no reason recorded", highlight=False, soft_wrap=True)
        else:
            out.print(
                f"  reason ({item.recorded_by}, {item.recorded_at.isoformat() if item.recorded_at else ''}): "
                f"{item.reason}",
                highlight=False,
                soft_wrap=True,
            )
    if view.violations:
        out.print(
            f"[red]violations[/red] (no reason can excuse them): {', '.join(view.violations)}",
            highlight=False,
            soft_wrap=True,
        )


RENDERERS: dict[type, Callable[[Any], None]] = {
    q.ShowDepartures: render_departures,
    c.RecordDepartureReason: render_departures,
}
