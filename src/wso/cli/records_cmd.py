"""Records at the terminal: `wso users|demo|agency|agreement|officer|complaint|due ...`.

The shell only parses and renders: every command calls one service, as the signed-in user
(`--user` with WSO_PASSWORD or a prompt, or `--token` / WSO_TOKEN), so roles and agency scope
hold here exactly as on the web. Operator commands with direct database access (`db`, `demo
load`, `users create`, `users token`, `ledger checkpoint`) act as the `system` actor.

Exit codes: 0 done; 1 refused, not found, forbidden, conflict, or a broken ledger; 2 bad input.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from wso.cli.options import DatabaseOption, JsonOption
from wso.rules.decision import Decision
from wso.services import agencies, agreements, auth, complaints, due, officers, records_export, users
from wso.services.errors import DomainError, InvalidInput, NotAuthenticated
from wso.services.permissions import Actor
from wso.settings import database_url
from wso.store.uow import Store, UnitOfWork

out = Console()
err = Console(stderr=True)
T = TypeVar("T")

UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        envvar="WSO_USER",
        help="Sign in as this user (password from WSO_PASSWORD or a prompt).",
        show_default=False,
    ),
]
TokenOption = Annotated[
    str | None, typer.Option("--token", envvar="WSO_TOKEN", help="Or sign in with an API token.", show_default=False)
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Instant of the act, ISO 8601 with offset (default: now).", show_default=False),
]
ExpectedVersion = Annotated[
    int | None,
    typer.Option("--expected-version", help="Refuse if the record changed since this version.", show_default=False),
]


# ---- shared plumbing ---------------------------------------------------------------------------


def now() -> datetime:
    """The only clock read of the CLI; services receive it as `at`."""
    return datetime.now(UTC)


def instant(field: str, text: str | None, *, default: datetime | None = None) -> datetime:
    """An ISO 8601 instant with its offset (a bare date or time without offset is refused)."""
    if text is None:
        if default is None:
            raise InvalidInput(field, "is required")
        return default
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not an ISO 8601 date and time (e.g. 2026-11-25T09:00-05:00)") from None
    if value.tzinfo is None:
        raise InvalidInput(field, f"{text!r} needs its UTC offset (e.g. 2026-11-25T09:00-05:00)")
    return value


@contextmanager
def opened(database: str | None) -> Iterator[Store]:
    store = Store(database_url(database))
    try:
        yield store
    finally:
        store.dispose()


def signed_in(store: Store, *, user: str | None, token: str | None) -> Actor:
    if token:
        with store.unit_of_work() as uow:
            return auth.actor_for_token(uow, token=token, at=now())
    if not user:
        raise NotAuthenticated("sign in with --user (and WSO_PASSWORD or the prompt) or --token / WSO_TOKEN")
    password = os.environ.get("WSO_PASSWORD")
    if password is None:
        password = typer.prompt(f"password for {user}", hide_input=True, err=True)
    with store.unit_of_work() as uow:
        return auth.authenticate(uow, username=user, password=password)


def run(action: Callable[[], T], *, as_json: bool, render: Callable[[T], None]) -> T:
    """Call a service; print its result, or the error naming field, reason and rules, and exit."""
    try:
        result = action()
    except DomainError as exc:
        if as_json:
            print(json.dumps(exc.to_dict(), indent=2))
        else:
            where = f" [bold]{exc.field}[/bold]:" if exc.field else ""
            rules = f" [dim]({', '.join(exc.rule_ids)})[/dim]" if exc.rule_ids else ""
            err.print(f"[red]{exc.error.replace('_', ' ')}[/red]{where} {exc.reason}{rules}", highlight=False)
            decision = getattr(exc, "decision", None)
            if decision is not None:
                render_reasons(decision, console=err)
        raise typer.Exit(2 if isinstance(exc, InvalidInput) else 1) from None
    if as_json:
        print(json.dumps(plain(result), indent=2, ensure_ascii=False))
    else:
        render(result)
    return result


def plain(result: Any) -> Any:
    if hasattr(result, "to_dict"):
        return result.to_dict()
    if isinstance(result, list):
        return [plain(r) for r in result]
    return result


def act(
    database: str | None, user: str | None, token: str | None, call: Callable[[UnitOfWork, Actor], T]
) -> Callable[[], T]:
    """The action of a signed-in command: sign in, then one unit of work for the service."""

    def action() -> T:
        with opened(database) as store:
            actor = signed_in(store, user=user, token=token)
            with store.unit_of_work() as uow:
                return call(uow, actor)

    return action


def render_reasons(decision: Decision, *, console: Console = out) -> None:
    for reason in decision.reasons:
        mark = "[green]✓[/green]" if getattr(reason, "satisfied", True) else "[red]✗[/red]"
        console.print(f"  {mark} [dim]{reason.rule}[/dim] {reason.text}", highlight=False)
    for deadline in decision.deadlines:
        console.print(
            f"  [yellow]due[/yellow] {deadline.due.isoformat()} [dim]{deadline.rule}[/dim] {deadline.description}",
            highlight=False,
        )


def render_record(view: Any) -> None:
    """A view as `field: value` lines, then each of its decisions with their reasons."""
    data = view.to_dict()
    decisions = {k: getattr(view, k) for k in data if isinstance(getattr(view, k, None), Decision)}
    for key, value in data.items():
        if key in decisions or isinstance(value, (list, dict)) and not value:
            continue
        out.print(f"[bold]{key}[/bold]: {value}", highlight=False)
    for key, decision in decisions.items():
        out.print(f"[bold]{key}[/bold]: [cyan]{decision.status or decision.allowed}[/cyan]", highlight=False)
        render_reasons(decision)


def render_rows(columns: tuple[str, ...], rows: Callable[[Any], tuple[str, ...]]) -> Callable[[list[Any]], None]:
    def render(items: list[Any]) -> None:
        table = Table(*columns)
        for item in items:
            table.add_row(*rows(item))
        out.print(table)

    return render


# ---- users ----------------------------------------------------------------------------------------

users_app = typer.Typer(help="Users and API tokens (operator commands).", no_args_is_help=True)


def _agency_id(uow: UnitOfWork, agency: str | None) -> str | None:
    """An agency given by id or by exact name."""
    if not agency:
        return None
    found = agencies.agency_by_name(uow, actor=Actor.system(), name=agency)
    return found.id if found else agency


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="Sign-in name.")],
    role: Annotated[str, typer.Option(help="clerk, wso, supervisor, coordinator, auditor or admin.")],
    agency: Annotated[str | None, typer.Option(help="Agency id or exact name (all roles but auditor/admin).")] = None,
    password: Annotated[str | None, typer.Option(help="Password (prefer --password-stdin).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a user, e.g. the first admin: `wso users create --username admin --role admin --password-stdin`."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True, err=True)

    def action() -> users.UserView:
        with opened(database) as store, store.unit_of_work() as uow:
            return users.create_user(
                uow,
                actor=Actor.system("users create"),
                at=now(),
                username=username,
                password=password or "",
                role=role,
                agency_id=_agency_id(uow, agency),
            )

    run(
        action, as_json=as_json, render=lambda u: out.print(f"[green]created[/green] {u.username} ({u.role}) id {u.id}")
    )


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Option(help="The user the token acts for.")],
    purpose: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an API bearer token for a user; it is printed once and never stored."""

    def action() -> str:
        with opened(database) as store, store.unit_of_work() as uow:
            user = users.user_by_username(uow, username=username)
            if user is None:
                raise InvalidInput("username", f"no user {username!r}")
            return auth.issue_api_token(
                uow, actor=Actor.system("users token"), at=now(), purpose=purpose, user_id=user.id
            )

    run(action, as_json=as_json, render=lambda token: print(token))


@users_app.command("list")
def users_list(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    def action() -> list[users.UserView]:
        with opened(database) as store, store.unit_of_work() as uow:
            return users.list_users(uow, actor=Actor.system("users list"))

    run(
        action,
        as_json=as_json,
        render=render_rows(
            ("username", "role", "agency", "active"),
            lambda u: (u.username, u.role, u.agency_id or "(all)", str(u.active)),
        ),
    )


# ---- demo -----------------------------------------------------------------------------------------

demo_app = typer.Typer(help="The demo county.", no_args_is_help=True)


@demo_app.command("load")
def demo_load(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Load the synthetic demo county (idempotent: a second run changes nothing)."""
    from wso.demo import DEFAULT_DEMO_PASSWORD, load_demo

    with opened(database) as store:
        try:
            summary = load_demo(store, at=now())
        except DomainError as exc:
            if as_json:
                print(json.dumps(exc.to_dict(), indent=2))
            else:
                err.print(f"[red]refused[/red] [bold]{exc.field}[/bold]: {exc.reason}", highlight=False)
            raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(summary.__dict__, indent=2))
    elif summary.loaded:
        out.print(
            f"[green]demo county loaded[/green]: {summary.officers} officers, {summary.complaints} complaints; "
            f"sign in as {', '.join(summary.users)} (password: WSO_DEMO_PASSWORD or {DEFAULT_DEMO_PASSWORD!r}; "
            "then the code `wso demo codes` prints)"
        )
    else:
        out.print("demo county already loaded: nothing changed")


# ---- agencies -------------------------------------------------------------------------------------

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


# ---- agreements -----------------------------------------------------------------------------------

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


# ---- officers -------------------------------------------------------------------------------------

officer_app = typer.Typer(help="Officers: from nomination to authorization, and what ends it.", no_args_is_help=True)
OfficerId = Annotated[str, typer.Argument(help="Officer id.")]
When = Annotated[str | None, typer.Option("--when", help="When it happened (ISO 8601 with offset; default: --at).")]


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


# ---- complaints -----------------------------------------------------------------------------------

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


# ---- what is due ----------------------------------------------------------------------------------


def due_command(
    agency: Annotated[str, typer.Option(help="Agency id.")],
    user: UserOption = None,
    token: TokenOption = None,
    at: AtOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything due for the agency, earliest deadline first."""
    run(
        act(
            database,
            user,
            token,
            lambda uow, actor: due.what_is_due(uow, actor=actor, agency_id=agency, at=instant("at", at, default=now())),
        ),
        as_json=as_json,
        render=render_rows(
            ("due", "rule", "what", "record"),
            lambda i: (
                (i.due.isoformat() if i.due else "now") + (" OVERDUE" if i.overdue else ""),
                i.rule,
                i.description,
                i.label,
            ),
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(demo_app, name="demo")
    app.add_typer(agency_app, name="agency")
    app.add_typer(agreement_app, name="agreement")
    app.add_typer(officer_app, name="officer")
    app.add_typer(complaint_app, name="complaint")
    app.command("due")(due_command)
