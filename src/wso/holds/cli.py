"""`wso holds ...`: every hold operation at the terminal, as the signed-in user (--user / --token), with
`--json`. The options of each command are the fields of its command class (holds/commands.py), so the
CLI, the API and the forms accept exactly the same input and report the same errors.

Exit codes: 0 done; 1 refused, not found, forbidden or conflict; 2 bad input.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from wso.cli.command_options import command_of, option_parameters
from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import TokenOption, UserOption, now, opened, run, signed_in
from wso.holds import commands as c
from wso.holds import feed
from wso.holds import service as s
from wso.holds.operations import CLI_NAMES, HOLD_OPERATIONS, HoldOperation, first_sentence
from wso.holds.views import HoldDetail, HoldSummary, ImportReport

holds_app = typer.Typer(
    help="Custody holds: bookings, warrants, service, ICE notice, citizenship claims, release.", no_args_is_help=True
)
out = Console()
_KW = inspect.Parameter.KEYWORD_ONLY


def _common() -> list[inspect.Parameter]:
    return [
        inspect.Parameter("user", _KW, annotation=UserOption, default=None),
        inspect.Parameter("token", _KW, annotation=TokenOption, default=None),
        inspect.Parameter("database", _KW, annotation=DatabaseOption, default=None),
        inspect.Parameter("as_json", _KW, annotation=JsonOption, default=False),
    ]


def _register_hold_operation(op: HoldOperation) -> None:
    def command(**values: Any) -> None:
        user, token, database, as_json = (values.pop(k) for k in ("user", "token", "database", "as_json"))
        hold_id = values.pop("hold_id")

        def action() -> HoldSummary:
            body = command_of(op.command, values)
            with opened(database) as store:
                actor = signed_in(store, user=user, token=token)
                with store.unit_of_work() as uow:
                    result = op.service(uow, actor=actor, hold_id=hold_id, command=body, now=now())
            return result

        run(action, as_json=as_json, render=render_summary)

    hold_arg = inspect.Parameter("hold_id", _KW, annotation=Annotated[str, typer.Argument(help="The hold's id.")])
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [hold_arg, *option_parameters(op.command), *_common()]
    )
    command.__doc__ = first_sentence(op.service.__doc__, op.name)
    holds_app.command(op.cli)(command)


def _register_plain(cli_name: str, model: type[BaseModel], call: Callable[..., Any], render: Callable) -> None:
    """A command without a hold id: its options from `model`, then call(uow, actor, body)."""

    def command(**values: Any) -> None:
        user, token, database, as_json = (values.pop(k) for k in ("user", "token", "database", "as_json"))

        def action() -> Any:
            body = command_of(model, values)
            with opened(database) as store:
                actor = signed_in(store, user=user, token=token)
                with store.unit_of_work() as uow:
                    result = call(uow, actor, body)
            return result

        run(action, as_json=as_json, render=render)

    command.__signature__ = inspect.Signature([*option_parameters(model), *_common()])  # type: ignore[attr-defined]
    command.__doc__ = first_sentence(model.__doc__, cli_name)
    holds_app.command(cli_name)(command)


for _op in HOLD_OPERATIONS:
    _register_hold_operation(_op)

_register_plain(
    CLI_NAMES["book_person"],
    c.BookPerson,
    lambda uow, actor, body: s.book_person(uow, actor=actor, command=body, now=now()),
    lambda v: render_summary(v),
)
_register_plain(
    CLI_NAMES["record_detention_agreement"],
    c.RecordDetentionAgreement,
    lambda uow, actor, body: s.record_detention_agreement(uow, actor=actor, command=body, now=now()),
    lambda v: out.print(v.to_dict()),
)
_register_plain(
    CLI_NAMES["set_release_standard"],
    c.SetReleaseStandard,
    lambda uow, actor, body: s.set_release_standard(uow, actor=actor, command=body, now=now()),
    lambda v: out.print(v.to_dict()),
)


@holds_app.command(CLI_NAMES["list_holds"])
def list_command(
    agency: Annotated[str | None, typer.Option(help="Agency id (auditors and admins).")] = None,
    facility: Annotated[str | None, typer.Option(help="Facility id.")] = None,
    status: Annotated[str | None, typer.Option(help="e.g. held_for_ice, release_required.")] = None,
    flag: Annotated[str | None, typer.Option(help="citizenship_claim_open, ice_not_notified or past_deadline.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include ended holds.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    user: UserOption = None,
    token: TokenOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """The hold board: most urgent first."""

    def action() -> list[HoldSummary]:
        with opened(database) as store:
            actor = signed_in(store, user=user, token=token)
            with store.unit_of_work() as uow:
                return s.list_holds(
                    uow,
                    actor=actor,
                    agency_id=agency,
                    facility_id=facility,
                    status=status,
                    flag=flag,
                    active=None if all_ else True,
                    limit=limit,
                    offset=offset,
                )

    run(action, as_json=as_json, render=render_board)


@holds_app.command(CLI_NAMES["hold_detail"])
def show_command(
    hold_id: Annotated[str, typer.Argument(help="The hold's id.")],
    user: UserOption = None,
    token: TokenOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """One hold: its decision with every reason, and its timeline."""

    def action() -> HoldDetail:
        with opened(database) as store:
            actor = signed_in(store, user=user, token=token)
            with store.unit_of_work() as uow:
                result = s.hold_detail(uow, actor=actor, hold_id=hold_id, now=now())
        return result

    run(action, as_json=as_json, render=render_detail)


@holds_app.command(CLI_NAMES["detention_agreements"])
def igsa_list_command(
    facility: Annotated[str, typer.Option(help="Facility id.")],
    user: UserOption = None,
    token: TokenOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """The facility's recorded IGSA and BOA agreements."""

    def action() -> list:
        with opened(database) as store:
            actor = signed_in(store, user=user, token=token)
            with store.unit_of_work() as uow:
                return s.detention_agreements(uow, actor=actor, facility_id=facility)

    run(action, as_json=as_json, render=lambda rows: [out.print(r.to_dict()) for r in rows])


@holds_app.command(CLI_NAMES["import_bookings"])
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .csv or .json booking file (docs/holds.md).", exists=True, dir_okay=False, readable=True
        ),
    ],
    agency: Annotated[str | None, typer.Option(help="Agency id (when the signed-in user has none).")] = None,
    user: UserOption = None,
    token: TokenOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """The booking feed: idempotent by booking number; each bad row reported with its line, good rows kept."""

    def action() -> ImportReport:
        rows = feed.parse_file(file.name, file.read_bytes())
        with opened(database) as store:
            actor = signed_in(store, user=user, token=token)
            with Progress(transient=True, disable=as_json or len(rows) < 100, console=Console(stderr=True)) as bar:
                task = bar.add_task(f"importing {file.name}", total=len(rows))
                with store.unit_of_work() as uow:
                    report = feed.import_bookings(
                        uow,
                        actor=actor,
                        rows=rows,
                        now=now(),
                        agency_id=agency,
                        progress=lambda n: bar.advance(task, n),
                    )
        return report

    report = run(action, as_json=as_json, render=render_import)
    if report.problems:
        raise typer.Exit(2)


# ---- rendering ---------------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="minutes") if value else "-"


def render_summary(view: HoldSummary) -> None:
    flags = [
        n
        for n, on in (
            ("citizenship claim open", view.flag_citizenship_open),
            ("ICE not notified", view.flag_ice_not_notified),
            ("past deadline", view.flag_past_deadline),
        )
        if on
    ]
    out.print(f"hold {view.id} (version {view.version}) booking {view.booking_number}: {view.person_name}")
    out.print(
        f"status: [bold]{view.status}[/bold] ({'allowed' if view.allowed else 'NOT allowed'}); "
        f"rules: {' '.join(view.rule_ids)}"
    )
    out.print(f"binding deadline: {_when(view.binding_deadline_at)} {view.binding_deadline_name or ''}")
    out.print(f"next: {view.next_action or '-'} by {view.next_action_role or '-'} at {_when(view.next_action_due_at)}")
    if flags:
        out.print(f"[red]flags: {', '.join(flags)}[/red]")


def render_detail(view: HoldDetail) -> None:
    render_summary(view)
    for reason in view.decision.get("reasons", []):
        mark = "ok" if reason["satisfied"] else "NO"
        out.print(f"  [{mark}] {reason['rule']}: {reason['text']}  [dim]({reason['source']})[/dim]", highlight=False)
    for event in view.events:
        out.print(f"  {event.seq:>3} {_when(event.at)} {event.type} by {event.actor}")


def render_board(rows: list[HoldSummary]) -> None:
    table = Table("booking", "person", "status", "binding deadline", "next action", "who", "flags")
    for v in rows:
        flags = "".join(
            m
            for m, on in (("C", v.flag_citizenship_open), ("N", v.flag_ice_not_notified), ("!", v.flag_past_deadline))
            if on
        )
        table.add_row(
            v.booking_number,
            v.person_name,
            v.status,
            _when(v.binding_deadline_at),
            v.next_action or "-",
            v.next_action_role or "-",
            flags,
        )
    out.print(table)


def render_import(report: ImportReport) -> None:
    out.print(
        f"booked {report.booked}, changed {report.changed}, unchanged {report.unchanged}, "
        f"bad rows {len(report.problems)}"
    )
    for p in report.problems:
        out.print(f"  line {p.line}: {p.field or '(row)'}: {p.reason}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(holds_app, name="holds")
