"""Departures at the terminal: `wso departure list|record` (issue 10 item 7; PROGRAM.md, Modality).

A `should` missed (A6, O7, C3) is shown apart from violations with its recorded reason, or
"no reason recorded"; `record` gives it one, as the signed-in user (same sign-in as records_cmd).
"""

from __future__ import annotations

from typing import Annotated

import typer

from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import AtOption, TokenOption, UserOption, act, instant, now, out, run
from wso.departures import service as departures
from wso.departures.service import DeparturesView

departure_app = typer.Typer(
    help="Departures from `should` rules and the reasons recorded for them.", no_args_is_help=True
)
Entity = Annotated[str, typer.Argument(help="agreement, officer or complaint.")]
EntityId = Annotated[str, typer.Argument(help="The record's id.")]


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


@departure_app.command("list")
def departure_list(
    entity: Entity,
    entity_id: EntityId,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """A record's departures as of --at, each with its recorded reason or none."""
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: departures.departures_view(
                uow, actor=actor, entity=entity, entity_id=entity_id, at=instant("at", at, default=now())
            ),
        ),
        as_json=as_json,
        render=render_departures,
    )


@departure_app.command("record")
def departure_record(
    entity: Entity,
    entity_id: EntityId,
    rule: Annotated[str, typer.Option(help="The should rule's id (A6, O7, C3).")],
    reason: Annotated[str, typer.Option(help="Why it was not met (up to 2000 characters).")],
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record why a should rule of the record was not met; refused unless the rules find that departure now."""
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: departures.record_departure_reason(
                uow,
                actor=actor,
                at=instant("at", at, default=now()),
                entity=entity,
                entity_id=entity_id,
                rule=rule,
                reason=reason,
            ),
        ),
        as_json=as_json,
        render=render_departures,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(departure_app, name="departure")
