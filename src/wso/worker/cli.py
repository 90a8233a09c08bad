"""`wso worker`: the deadline worker, run beside the web server (`make run` starts both)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import timedelta
from typing import Annotated

import typer

from wso import settings
from wso.cli.options import DatabaseOption


def worker(
    database: DatabaseOption = None,
    worker_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="This worker's name (default WSO_WORKER_ID, else the host name). Two workers at once need two names.",
        ),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one pass (sync, fire, deliver) and exit.")] = False,
    poll: Annotated[float, typer.Option(min=0.05, max=60, help="Longest sleep between passes, in seconds.")] = 1.0,
) -> None:
    """Fire every due alert at its instant to the board, e-mail (WSO_SMTP_*) and a webhook (WSO_WEBHOOK_*).

    It also takes a signed ledger checkpoint at start, after each batch and every WSO_CHECKPOINT_MINUTES
    (default 5), and appends its head to WSO_HEADS_FILE (default var/heads.jsonl; WSO_HEADS_WEBHOOK too).
    """
    from wso.store.uow import Store
    from wso.worker.channels import channels_from_env
    from wso.worker.checkpoints import CheckpointSchedule, checkpoint_if_due
    from wso.worker.delivery import WorkerConfig
    from wso.worker.hooks import default_hooks
    from wso.worker.loop import run, tick
    from wso.worker.producers import default_producers

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        channels = channels_from_env()
        checkpoints = CheckpointSchedule.from_env()
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    name = worker_id or os.environ.get("WSO_WORKER_ID") or socket.gethostname()
    config = WorkerConfig(worker_id=name, channels=channels, clock=settings.now, on_fired=default_hooks())
    store = Store(settings.database_url(database))
    producers = default_producers()
    try:
        if once:
            fired, attempts = tick(store, config, producers, reconcile_every=timedelta(0))
            taken = checkpoint_if_due(store, checkpoints, now=config.clock(), batch=fired + attempts)
            typer.echo(
                f"fired {fired} alert(s), {attempts} delivery attempt(s)"
                + (f"; checkpoint published to {checkpoints.heads_file}" if taken else "")
            )
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        run(store, config, producers, stop=stop, poll=timedelta(seconds=poll), checkpoints=checkpoints)
    finally:
        store.dispose()


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
