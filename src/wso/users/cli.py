"""Account commands for the operator: `wso users deactivate|reactivate|password|tokens|revoke-token|
totp|reset-totp|attempts` and `wso demo codes` (issue 14, item 4).

They act as the `system` actor, as `wso users create` does: whoever runs them holds the database
URL, which grants more than any role. The pages and the API offer the same acts to admins.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import pyotp
import typer

from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import demo_app, now, opened, out, render_rows, run, users_app
from wso.services.errors import InvalidInput
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.uow import UnitOfWork
from wso.users import auth, mfa, signin
from wso.users import queries as q
from wso.users import service as users

Username = Annotated[str, typer.Argument(help="The user's sign-in name.")]


render_tokens = render_rows(
    ("id", "purpose", "expires", "state"),
    lambda t: (
        t.id,
        t.purpose,
        t.expires_at.isoformat() if t.expires_at else "-",
        "revoked" if t.revoked_at else ("active" if t.active else "expired"),
    ),
)
render_users = render_rows(
    ("username", "role", "agency", "active"), lambda u: (u.username, u.role, u.agency_id or "(all)", str(u.active))
)


def _user(uow: UnitOfWork, username: str) -> tables.User:
    user = users.user_by_username(uow, username=username)
    if user is None:
        raise InvalidInput("username", f"no user {username!r}")
    return user


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("new password", hide_input=True, confirmation_prompt=True, err=True))


@users_app.command("deactivate")
def users_deactivate(username: Username, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Deactivate a user: no sign-in; their sessions end and their tokens stop working."""

    def action() -> users.UserView:
        with opened(database) as store, store.unit_of_work() as uow:
            return users.deactivate_user(
                uow, actor=Actor.system("users deactivate"), at=now(), user_id=_user(uow, username).id
            )

    run(action, as_json=as_json, render=lambda u: out.print(f"[yellow]deactivated[/yellow] {u.username}"))


@users_app.command("reactivate")
def users_reactivate(username: Username, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Let a deactivated user sign in again."""

    def action() -> users.UserView:
        with opened(database) as store, store.unit_of_work() as uow:
            return users.reactivate_user(
                uow, actor=Actor.system("users reactivate"), at=now(), user_id=_user(uow, username).id
            )

    run(action, as_json=as_json, render=lambda u: out.print(f"[green]reactivated[/green] {u.username}"))


@users_app.command("password")
def users_password(
    username: Username,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin.")] = False,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reset a user's password (S3 applies); the user's sessions end."""
    password = _read_password(password_stdin)

    def action() -> users.UserView:
        with opened(database) as store, store.unit_of_work() as uow:
            return users.reset_password(
                uow,
                actor=Actor.system("users password"),
                at=now(),
                user_id=_user(uow, username).id,
                new_password=password,
            )

    run(action, as_json=as_json, render=lambda u: out.print(f"[green]password reset[/green] for {u.username}"))


@users_app.command("tokens")
def users_tokens(username: Username, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """A user's API tokens: id, purpose, expiry, state (never the token itself)."""

    def action() -> list[auth.TokenView]:
        with opened(database) as store, store.unit_of_work() as uow:
            return auth.list_api_tokens(
                uow, actor=Actor.system("users tokens"), at=now(), user_id=_user(uow, username).id
            )

    run(action, as_json=as_json, render=render_tokens)


@users_app.command("revoke-token")
def users_revoke_token(
    token_id: Annotated[str, typer.Argument(help="The token's id (from `wso users tokens`).")],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke an API token by its id."""

    def action() -> auth.TokenView:
        with opened(database) as store, store.unit_of_work() as uow:
            return auth.revoke_api_token_by_id(
                uow, actor=Actor.system("users revoke-token"), at=now(), token_id=token_id
            )

    run(action, as_json=as_json, render=lambda t: out.print(f"[yellow]revoked[/yellow] token {t.id} of {t.username}"))


@users_app.command("totp")
def users_totp(username: Username, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Enrol a user in TOTP now (handed over in person): prints the key, the otpauth URI and a QR code."""

    def action() -> dict[str, str]:
        with opened(database) as store, store.unit_of_work() as uow:
            user = _user(uow, username)
            secret = mfa.enrol_confirmed(uow, user_id=user.id, at=now())
            return {
                "username": user.username,
                "secret": secret,
                "uri": mfa.provisioning_uri(secret=secret, username=user.username),
            }

    def render(result: dict[str, str]) -> None:
        import segno  # noqa: PLC0415

        out.print(f"TOTP key for {result['username']}: [bold]{result['secret']}[/bold]\n{result['uri']}")
        segno.make(result["uri"], error="m").terminal(compact=True)

    run(action, as_json=as_json, render=render)


@users_app.command("reset-totp")
def users_reset_totp(username: Username, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Remove a user's TOTP (a lost phone): they enrol again at their next sign-in."""

    def action() -> str:
        with opened(database) as store, store.unit_of_work() as uow:
            mfa.reset_mfa(uow, actor=Actor.system("users reset-totp"), at=now(), user_id=_user(uow, username).id)
            return username

    run(action, as_json=as_json, render=lambda name: out.print(f"[yellow]TOTP removed[/yellow] for {name}"))


@users_app.command("attempts")
def users_attempts(
    username: Annotated[str | None, typer.Option(help="Only this user name.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """The latest sign-in attempts, with address, channel and outcome (S4)."""

    def action() -> list[dict[str, str]]:
        with opened(database) as store, store.unit_of_work() as uow:
            return [
                {
                    "at": a.at.isoformat(),
                    "username": a.username,
                    "address": a.address,
                    "channel": a.channel,
                    "outcome": a.outcome,
                }
                for a in signin.attempts(uow, username=username, limit=limit)
            ]

    run(
        action,
        as_json=as_json,
        render=render_rows(("at", "username", "address", "channel", "outcome"), lambda a: tuple(a.values())),
    )


@demo_app.command("codes")
def demo_codes(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """The demo users' TOTP codes right now (demo databases only: for `make run`)."""
    from wso.demo import demo_totp_secrets  # noqa: PLC0415

    with opened(database) as store, store.unit_of_work() as uow:
        secrets = demo_totp_secrets(uow)
    at = now()
    codes = {name: pyotp.TOTP(secret).at(at) for name, secret in secrets.items()}
    if as_json:
        print(json.dumps({"codes": codes, "secrets": secrets}, indent=2))
        return
    if not codes:
        out.print("no demo users: run `wso demo load` first")
    for name, code in codes.items():
        out.print(f"{name:18} {code}   (key {secrets[name]})")


# `wso records list-api-tokens|list-users`: the same tables, as the signed-in user (wso.cli.operations_cmd).
RENDERERS: dict[type, Callable[[Any], None]] = {q.ListApiTokens: render_tokens, q.ListUsers: render_users}


def register(app: typer.Typer) -> None:
    """The commands above are added to `wso users` and `wso demo`, which records_cmd registers."""
