"""The worker takes the ledger's signed checkpoints and publishes their heads outside the database.

Why the worker (issue 14 item 2, DESIGN.md): a checkpoint proves nothing until its signed head is
somewhere a database writer cannot reach. The worker already runs beside the web server, so it
takes one every few minutes and after each batch of alerts it delivered, appends the head to the
heads file (and POSTs it to a witness when one is configured); `wso ledger verify --heads FILE`
then catches a rewrite, a truncation or deleted checkpoints.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from wso.services.errors import ConcurrencyError
from wso.services.ledger import checkpoint_and_publish
from wso.store.uow import Store

log = logging.getLogger("wso.worker")

DEFAULT_HEADS_FILE = Path("var") / "heads.jsonl"


@dataclass
class CheckpointSchedule:
    """Where heads go and how often; `last` is when this worker last took one (None: never)."""

    heads_file: Path
    every: timedelta = timedelta(minutes=5)
    webhook_url: str | None = None
    last: datetime | None = None

    @classmethod
    def from_env(cls) -> CheckpointSchedule:
        """WSO_HEADS_FILE (default var/heads.jsonl), WSO_HEADS_WEBHOOK, WSO_CHECKPOINT_MINUTES (default 5)."""
        minutes = os.environ.get("WSO_CHECKPOINT_MINUTES", "5").strip()
        try:
            every = timedelta(minutes=float(minutes))
        except ValueError:
            raise ValueError(f"WSO_CHECKPOINT_MINUTES: {minutes!r} is not a number of minutes") from None
        if every <= timedelta(0):
            raise ValueError(f"WSO_CHECKPOINT_MINUTES: {minutes!r} must be more than 0")
        heads = Path(os.environ.get("WSO_HEADS_FILE") or DEFAULT_HEADS_FILE)
        return cls(heads_file=heads, every=every, webhook_url=os.environ.get("WSO_HEADS_WEBHOOK") or None)

    def due(self, *, now: datetime, batch: int) -> bool:
        """At start, after a batch of deliveries, and every `every` otherwise."""
        return self.last is None or batch > 0 or now - self.last >= self.every


def checkpoint_if_due(store: Store, schedule: CheckpointSchedule, *, now: datetime, batch: int) -> bool:
    """Take and publish a checkpoint when the schedule says so; True if one was taken.

    Two workers may both decide to take one: the second loses the race for the checkpoint's seq
    (ConcurrencyError) and simply leaves it to the first.
    """
    if not schedule.due(now=now, batch=batch):
        return False
    schedule.heads_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        view = checkpoint_and_publish(store, heads_file=schedule.heads_file, webhook_url=schedule.webhook_url, now=now)
    except ConcurrencyError:
        log.info("another worker took the checkpoint at the same moment; skipped")
        schedule.last = now
        return False
    schedule.last = now
    log.info("checkpoint %s published to %s", view.seq, schedule.heads_file)
    return True
