"""The officers commands at the terminal; sign-in, options and rendering are shared (wso.cli.records_cmd)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

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
    out,
    render_record,
    run,
)
from wso.officers import service as officers
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

officer_app = typer.Typer(help="Officers: from nomination to authorization, and what ends it.", no_args_is_help=True)
OfficerId = Annotated[str, typer.Argument(help="Officer id.")]


def _officer_step(service: Callable[..., Any], when_field: str, **fixed: Any) -> Callable[..., None]:
    """A command for a one-date officer step: `wso officer <step> ID [--when ...]`."""

    def command(
        officer_id: OfficerId,
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
            return service(
                uow,
                actor=actor,
                at=t,
                officer_id=officer_id,
                expected_version=expected_version,
                **{when_field: instant(when_field, when, default=t)},
                **fixed,
            )

        run(act(database, user, token, call), as_json=as_json, render=render_record)

    command.__doc__ = service.__doc__
    return command


officer_app.command("letter")(_officer_step(officers.record_authorization_letter, "signed_at"))
officer_app.command("form-70-006")(_officer_step(officers.record_form_70_006, "signed_at"))
officer_app.command("credentials-return")(_officer_step(officers.return_credentials, "returned_at"))


@officer_app.command("roster")
def officer_roster(
    agency: Annotated[str, typer.Option(help="Agency id.")],
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every officer with their authorization status and exactly why."""

    def render(roster: list[officers.OfficerRowView]) -> None:
        table = Table("name", "id", "status", "why not")
        for o in roster:
            why = "; ".join(f"{r.rule}: {r.text}" for r in o.authorization.unmet)
            table.add_row(o.name, o.id, o.authorization.status, why)
        out.print(table)

    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: officers.officer_roster(
                uow, actor=actor, agency_id=agency, at=instant("at", at, default=now())
            ),
        ),
        as_json=as_json,
        render=render,
    )


@officer_app.command("show")
def officer_show(
    officer_id: OfficerId,
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
            lambda uow, actor: officers.officer_view(
                uow, actor=actor, officer_id=officer_id, at=instant("at", at, default=now())
            ),
        ),
        as_json=as_json,
        render=render_record,
    )


@officer_app.command("nominate")
def officer_nominate(
    agreement: Annotated[str, typer.Option(help="Agreement id.")],
    name: Annotated[str, typer.Option()],
    citizen: Annotated[
        bool, typer.Option("--citizen/--no-citizen", help="O1: U.S. citizen, attested by the LEA.")
    ] = False,
    experienced: Annotated[
        bool, typer.Option("--experienced/--no-experienced", help="O1: experienced in the jurisdiction's laws.")
    ] = False,
    facility_trained: Annotated[
        bool, typer.Option("--facility-trained/--no-facility-trained", help="O1: trained in facility security.")
    ] = False,
    inmate_conduct: Annotated[
        bool,
        typer.Option(
            "--inmate-conduct/--no-inmate-conduct",
            help="O1: has enforced rules and regulations governing inmate accountability and conduct.",
        ),
    ] = False,
    records_access: Annotated[
        bool,
        typer.Option(
            "--records-access/--no-records-access",
            help="O2: written authorization for ICE's access to disciplinary records.",
        ),
    ] = False,
    badge: Annotated[str, typer.Option()] = "",
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
            lambda uow, actor: officers.nominate_officer(
                uow,
                actor=actor,
                at=instant("at", at, default=now()),
                agreement_id=agreement,
                name=name,
                citizen_attested=citizen,
                experience_attested=experienced,
                facility_training_attested=facility_trained,
                inmate_conduct_attested=inmate_conduct,
                records_access_authorized=records_access,
                badge=badge,
            ),
        ),
        as_json=as_json,
        render=render_record,
    )


@officer_app.command("exam")
def officer_exam(
    officer_id: OfficerId,
    score: Annotated[float, typer.Option(help="Final exam score, percent.")],
    when: When = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a final exam attempt (O3)."""

    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return officers.record_exam_attempt(
            uow,
            actor=actor,
            at=t,
            officer_id=officer_id,
            taken_at=instant("taken_at", when, default=t),
            score_percent=score,
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


@officer_app.command("credentials-issue")
def officer_credentials_issue(
    officer_id: OfficerId,
    number: Annotated[str, typer.Option()] = "",
    when: When = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record ICE credentials issued (O4)."""

    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        return officers.issue_credentials(
            uow,
            actor=actor,
            at=t,
            officer_id=officer_id,
            issued_at=instant("issued_at", when, default=t),
            number=number,
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


@officer_app.command("withdraw")
def officer_withdraw(
    officer_id: OfficerId,
    effective: Annotated[
        str | None, typer.Option("--effective", help="Effective instant (default: the notice).")
    ] = None,
    reason: Annotated[str, typer.Option()] = "",
    when: When = None,
    expected_version: ExpectedVersion = None,
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record ICE's written withdrawal of the officer's authorization (O5)."""

    def call(uow: UnitOfWork, actor: Actor) -> Any:
        t = instant("at", at, default=now())
        notice = instant("notice_at", when, default=t)
        return officers.withdraw_authorization(
            uow,
            actor=actor,
            at=t,
            officer_id=officer_id,
            notice_at=notice,
            effective_at=instant("effective_at", effective, default=notice),
            reason=reason,
            expected_version=expected_version,
        )

    run(act(database, user, token, call), as_json=as_json, render=render_record)


def register(app: typer.Typer) -> None:
    app.add_typer(officer_app, name="officer")
