"""The agencies commands at the terminal; sign-in, options and rendering are shared (wso.cli.records_cmd)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from wso.agencies import export as records_export
from wso.agencies import service as agencies
from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import AtOption, TokenOption, UserOption, act, instant, now, render_record, render_rows, run

agency_app = typer.Typer(help="Agencies and their facilities.", no_args_is_help=True)


@agency_app.command("list")
def agency_list(
    user: UserOption = None, token: TokenOption = None, database: DatabaseOption = None, as_json: JsonOption = False
) -> None:
    run(
        act(database, user, token, lambda uow, actor: agencies.list_agencies(uow, actor=actor)),
        as_json=as_json,
        render=render_rows(("id", "name", "state", "timezone"), lambda a: (a.id, a.name, a.state, a.timezone)),
    )


@agency_app.command("create")
def agency_create(
    name: Annotated[str, typer.Option()],
    state: Annotated[str, typer.Option()],
    timezone_: Annotated[str, typer.Option("--timezone")],
    facility: Annotated[str | None, typer.Option(help="Name of its jail.")] = None,
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
            lambda uow, actor: agencies.create_agency(
                uow,
                actor=actor,
                at=instant("at", at, default=now()),
                name=name,
                state=state,
                timezone=timezone_,
                facility_name=facility,
            ),
        ),
        as_json=as_json,
        render=render_record,
    )


@agency_app.command("export")
def agency_export(
    agency: Annotated[str, typer.Option(help="Agency id.")],
    destination: Annotated[str, typer.Option(help="within_agency, ice, media or other (D1).")],
    recipient: Annotated[str, typer.Option(help="Who receives the records.")] = "",
    ice_ref: Annotated[
        str | None, typer.Option("--ice-ref", help="D1: reference of the prior coordination with ICE.")
    ] = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
) -> None:
    """Export the agency's records as JSON, each labelled MOA record or state record (D1); refused outside
    the agency without a recorded ICE coordination reference."""
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: records_export.export_agency_records(
                uow,
                actor=actor,
                at=instant("at", at, default=now()),
                agency_id=agency,
                destination=destination,
                recipient=recipient,
                ice_coordination_ref=ice_ref,
            ),
        ),
        as_json=False,
        render=lambda result: print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False)),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(agency_app, name="agency")
