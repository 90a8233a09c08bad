"""The complaints commands at the terminal; sign-in, options and rendering are shared (wso.cli.records_cmd)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import (
    AtOption,
    ExpectedVersion,
    TokenOption,
    UserOption,
    When,
    act,
    instant,
    now,
    render_record,
    render_rows,
    run,
)
from wso.complaints import service as complaints
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

complaint_app = typer.Typer(help="Complaints and their clocks (C1-C5).", no_args_is_help=True)
ComplaintId = Annotated[str, typer.Argument(help="Complaint id.")]


@complaint_app.command("list")
def complaint_list(
    agency: Annotated[str, typer.Option(help="Agency id.")],
    open_only: Annotated[bool, typer.Option("--open")] = False,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: complaints.list_complaints(
                uow, actor=actor, agency_id=agency, at=instant("at", at, default=now()), open_only=open_only
            ),
        ),
        as_json=as_json,
        render=render_rows(
            ("id", "about", "received", "status"),
            lambda c: (c.id, c.subject_name, c.received_at.isoformat(), c.deadlines.status),
        ),
    )


@complaint_app.command("show")
def complaint_show(
    complaint_id: ComplaintId,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: complaints.complaint_view(
                uow, actor=actor, complaint_id=complaint_id, at=instant("at", at, default=now())
            ),
        ),
        as_json=as_json,
        render=render_record,
    )


@complaint_app.command("receive")
def complaint_receive(
    source: Annotated[str, typer.Option(help="ice, lea, officer, inmate, public or other (C5).")],
    summary: Annotated[str, typer.Option()],
    officer: Annotated[str | None, typer.Option(help="Officer id (C1).")] = None,
    agreement: Annotated[str | None, typer.Option(help="Agreement id (C2: non-designated personnel).")] = None,
    subject: Annotated[str, typer.Option(help="Who the complaint is about (C2).")] = "",
    when: When = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return complaints.receive_complaint(
            uow,
            actor=actor,
            at=t,
            received_at=instant("received_at", when, default=t),
            source=source,
            summary=summary,
            officer_id=officer,
            agreement_id=agreement,
            subject_name=subject,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


@complaint_app.command("notify-ice")
def complaint_notify(
    complaint_id: ComplaintId,
    to: Annotated[str, typer.Option("--to", help="The ICE officer notified.")],
    when: When = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return complaints.notify_ice_of_complaint(
            uow,
            actor=actor,
            at=t,
            complaint_id=complaint_id,
            notified_at=instant("notified_at", when, default=t),
            notified_to=to,
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


@complaint_app.command("resolve")
def complaint_resolve(
    complaint_id: ComplaintId,
    resolution: Annotated[str, typer.Option()],
    when: When = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return complaints.resolve_complaint(
            uow,
            actor=actor,
            at=t,
            complaint_id=complaint_id,
            resolution=resolution,
            resolved_at=instant("resolved_at", when, default=t),
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


def register(app: typer.Typer) -> None:
    app.add_typer(complaint_app, name="complaint")
