"""`wso ledger verify|checkpoint|keygen|public-key|rotate-key|purge-access-log`: the auditor's and
the operator's tools for the signed ledger (docs/ledger.md, docs/security.md).

verify needs no private key: it checks signatures with the public keys (`--public-key`, the keys in
`--heads`, or, without either, the keys the ledger records, which it says). Exit codes: 0 intact;
1 a broken link or a projection difference; 2 bad input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from wso.cli.options import DatabaseOption, JsonOption
from wso.cli.records_cmd import instant, now, opened, run
from wso.services import ledger
from wso.services.errors import InvalidInput
from wso.services.permissions import Actor
from wso.settings import database_url, owner_database_url
from wso.store.heads import HeadsFileError, read_heads
from wso.store.signing import (
    SigningKeyError,
    generate,
    load_key_file,
    public_key_from_file,
    signer_from_env,
    write_key_file,
)
from wso.store.uow import Store
from wso.store.verify import VerifyReport

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
ledger_app = typer.Typer(help="The signed, tamper-evident ledger.", no_args_is_help=True)

PublicKeyOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--public-key",
        help="A published public key (PEM or hex); repeatable. Signatures must trace back to one.",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]
HeadsOption = Annotated[
    Path | None,
    typer.Option(
        "--heads",
        help="The published heads file (JSON lines): the database must still hold each head.",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]


def _render(report: VerifyReport) -> None:
    trust = "published key" if report.anchored else "keys recorded in the ledger only (give --public-key or --heads)"
    if report.ok:
        out.print(
            f"[green]ledger intact[/green]: {report.events} events in {report.streams} streams, "
            f"{report.checkpoints} checkpoints, {report.access_rows} access-log rows; signatures checked "
            f"against {trust}",
            highlight=False,
        )
        return
    if report.breaks:
        first = report.first_break
        err.print(f"[red]ledger BROKEN[/red] at {first.where}, seq {first.seq}: {first.what}", highlight=False)
        for other in report.breaks[1:]:
            err.print(f"  also {other.where}, seq {other.seq}: {other.what}", highlight=False)
    if report.differences:
        err.print(f"[red]projections differ from the ledger[/red] ({len(report.differences)}):", highlight=False)
        for difference in report.differences:
            err.print(f"  {difference.describe()}", highlight=False)


@ledger_app.command("verify")
def ledger_verify(
    database: DatabaseOption = None,
    as_json: JsonOption = False,
    public_key: PublicKeyOption = None,
    heads: HeadsOption = None,
) -> None:
    """Check chains, signatures, checkpoints, published heads, the access log and every projection row."""
    try:
        keys = [public_key_from_file(p) for p in public_key or []]
        published = read_heads(heads) if heads else None
    except (SigningKeyError, HeadsFileError) as exc:
        err.print(f"[red]invalid input[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from None
    store = Store(database_url(database), register_key=False)  # read-only: verify never writes
    try:
        with store.unit_of_work() as uow:
            report = ledger.verify_ledger(uow, actor=Actor.system("ledger verify"), public_keys=keys, heads=published)
    finally:
        store.dispose()
    if as_json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        _render(report)
    if not report.ok:
        raise typer.Exit(1)


@ledger_app.command("checkpoint")
def ledger_checkpoint(
    database: DatabaseOption = None,
    as_json: JsonOption = False,
    publish: Annotated[
        Path | None,
        typer.Option(
            "--publish", help="Append the signed head to this heads file.", dir_okay=False, show_default=False
        ),
    ] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="Also POST the head to this witness URL.", show_default=False)
    ] = None,
) -> None:
    """Chain a signed checkpoint (every stream head and the access log's head); publish it outside the database."""
    if webhook and not publish:
        err.print("[red]invalid input[/red] [bold]--webhook[/bold]: needs --publish FILE too", highlight=False)
        raise typer.Exit(2)

    def action() -> ledger.CheckpointView:
        with opened(database) as store:
            if publish:
                return ledger.checkpoint_and_publish(
                    store, heads_file=publish, webhook_url=webhook, now=now(), actor=Actor.system("ledger checkpoint")
                )
            with store.unit_of_work() as uow:
                return ledger.checkpoint_ledger(uow, actor=Actor.system("ledger checkpoint"), at=now())

    run(
        action,
        as_json=as_json,
        render=lambda cp: out.print(
            f"checkpoint {cp.seq}: {cp.stream_count} streams, root {cp.root}, key {cp.key_id}"
            + (f"; published to {publish}" if publish else "")
        ),
    )


@ledger_app.command("keygen")
def ledger_keygen(
    key_file: Annotated[
        Path, typer.Argument(help="Where to write the new private key (created with mode 0600).", dir_okay=False)
    ],
) -> None:
    """Create an Ed25519 signing key (mode 0600) and its public key next to it (KEY_FILE.pub, to publish)."""
    if key_file.exists():
        err.print(
            f"[red]invalid input[/red] [bold]key_file[/bold]: {key_file} exists; never overwrite a signing key",
            highlight=False,
        )
        raise typer.Exit(2)
    signer = generate()
    write_key_file(key_file, signer)
    public = key_file.with_name(key_file.name + ".pub")
    public.write_bytes(signer.public_pem())
    out.print(f"key {signer.key_id} written to {key_file} (mode 0600); publish {public}", highlight=False)


@ledger_app.command("public-key")
def ledger_public_key() -> None:
    """Print the configured signing key's id and public key (PEM), for auditors and witnesses."""
    try:
        signer = signer_from_env()
    except SigningKeyError as exc:
        err.print(f"[red]invalid input[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from None
    if signer is None:
        err.print("[red]no signing key configured[/red] (WSO_SIGNING_KEY_FILE, WSO_SIGNING_KEY or var/signing.key)")
        raise typer.Exit(1)
    out.print(f"key id {signer.key_id}", highlight=False)
    print(signer.public_pem().decode("ascii"), end="")


@ledger_app.command("rotate-key")
def ledger_rotate_key(
    new_key_file: Annotated[
        Path,
        typer.Option(
            "--new-key-file", help="The new private key (from `wso ledger keygen`).", exists=True, dir_okay=False
        ),
    ],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a new signing key endorsed by the current one; then point WSO_SIGNING_KEY_FILE at the new key."""

    def action() -> str:
        try:
            new = load_key_file(new_key_file)
            current = signer_from_env()
        except SigningKeyError as exc:
            raise InvalidInput("new_key_file", str(exc)) from None
        if current is None:
            raise InvalidInput("WSO_SIGNING_KEY_FILE", "the current key is needed to endorse the new one")
        with opened(database) as store, store.unit_of_work() as uow:
            return ledger.rotate_signing_key(
                uow, actor=Actor.system("ledger rotate-key"), at=now(), new=new, previous=current
            )

    run(
        action,
        as_json=as_json,
        render=lambda key_id: out.print(
            f"key {key_id} registered, endorsed by the current key; now set WSO_SIGNING_KEY_FILE={new_key_file}",
            highlight=False,
        ),
    )


@ledger_app.command("purge-access-log")
def ledger_purge_access_log(
    before: Annotated[str, typer.Option("--before", help="Purge rows older than this instant (ISO 8601 with offset).")],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete access-log rows past the retention period (refused inside it); the purge is a ledger event.

    Runs as the schema owner (WSO_OWNER_DATABASE_URL): the application role may not delete.
    """

    def action() -> dict[str, object]:
        cutoff = instant("before", before)
        with opened(owner_database_url(database)) as store, store.unit_of_work() as uow:
            result = ledger.purge_access_log_before(
                uow, actor=Actor.system("ledger purge-access-log"), before=cutoff, now=now()
            )
        return {"rows": result.rows, "through_seq": result.through_seq, "before": result.before.isoformat()}

    run(
        action, as_json=as_json, render=lambda r: out.print(f"purged {r['rows']} rows (through seq {r['through_seq']})")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")
