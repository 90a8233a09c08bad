"""The shared plumbing of the commands (sign-in, options, rendering); `wso users|demo ...`.

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

from wso.agencies import service as agencies
from wso.cli.options import DatabaseOption, JsonOption
from wso.rules.decision import Decision
from wso.services.errors import DomainError, InvalidInput, NotAuthenticated
from wso.services.permissions import Actor
from wso.settings import database_url
from wso.store.uow import Store, UnitOfWork
from wso.users import auth
from wso.users import service as users

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
            for field, reason in exc.errors[1:] if isinstance(exc, InvalidInput) else ():
                err.print(f"[red]{exc.error.replace('_', ' ')}[/red] [bold]{field}[/bold]: {reason}", highlight=False)
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


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(demo_app, name="demo")
