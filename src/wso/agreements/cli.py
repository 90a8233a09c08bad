"""The agreements commands at the terminal; sign-in, options and rendering are shared (wso.cli.records_cmd)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from wso.agreements import service as agreements
from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import (
    AtOption,
    ExpectedVersion,
    TokenOption,
    UserOption,
    act,
    instant,
    now,
    render_record,
    render_rows,
    run,
)
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

agreement_app = typer.Typer(help="Agreements (MOA): signatures, notices, meetings.", no_args_is_help=True)
AgreementId = Annotated[str, typer.Argument(help="Agreement id.")]


@agreement_app.command("list")
def agreement_list(
    agency: Annotated[str, typer.Option(help="Agency id.")],
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
            lambda uow, actor: agreements.list_agreements(
                uow, actor=actor, agency_id=agency, at=instant("at", at, default=now())
            ),
        ),
        as_json=as_json,
        render=render_rows(
            ("id", "model", "template", "status"), lambda a: (a.id, a.model, a.template, a.status.status)
        ),
    )


@agreement_app.command("show")
def agreement_show(
    agreement_id: AgreementId,
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
            lambda uow, actor: agreements.agreement_view(
                uow, actor=actor, agreement_id=agreement_id, at=instant("at", at, default=now())
            ),
        ),
        as_json=as_json,
        render=render_record,
    )


@agreement_app.command("create")
def agreement_create(
    agency: Annotated[str, typer.Option(help="Agency id.")],
    model: Annotated[str, typer.Option()] = "WSO",
    template: Annotated[str, typer.Option()] = "MOA-2025",
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
            lambda uow, actor: agreements.create_agreement(
                uow, actor=actor, at=instant("at", at, default=now()), agency_id=agency, model=model, template=template
            ),
        ),
        as_json=as_json,
        render=render_record,
    )


@agreement_app.command("sign")
def agreement_sign(
    agreement_id: AgreementId,
    party: Annotated[str, typer.Option(help="LEA or ICE.")],
    signed_at: Annotated[str | None, typer.Option(help="Default: --at.")] = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return agreements.record_signature(
            uow,
            actor=actor,
            at=t,
            agreement_id=agreement_id,
            party=party,
            signed_at=instant("signed_at", signed_at, default=t),
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


@agreement_app.command("notice")
def agreement_notice(
    agreement_id: AgreementId,
    kind: Annotated[str, typer.Option(help="termination or suspension.")],
    by: Annotated[str, typer.Option(help="LEA or ICE.")],
    received_at: Annotated[str | None, typer.Option()] = None,
    exigent_effective_at: Annotated[str | None, typer.Option()] = None,
    exigent_reason: Annotated[str | None, typer.Option()] = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return agreements.record_notice(
            uow,
            actor=actor,
            at=t,
            agreement_id=agreement_id,
            kind=kind,
            by=by,
            received_at=instant("received_at", received_at, default=t),
            exigent_effective_at=instant("exigent_effective_at", exigent_effective_at)
            if exigent_effective_at
            else None,
            exigent_reason=exigent_reason,
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


@agreement_app.command("meeting")
def agreement_meeting(
    agreement_id: AgreementId,
    held_at: Annotated[str | None, typer.Option()] = None,
    note: Annotated[str, typer.Option()] = "",
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return agreements.record_meeting(
            uow, actor=actor, at=t, agreement_id=agreement_id, held_at=instant("held_at", held_at, default=t), note=note
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


def register(app: typer.Typer) -> None:
    app.add_typer(agreement_app, name="agreement")
