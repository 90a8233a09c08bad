"""The worker takes signed checkpoints and publishes their heads (issue 14 item 2), on both databases.

A checkpoint at start, after each batch of deliveries and every few minutes; each head lands in the
heads file, against which `wso ledger verify --heads` checks the database. Two workers deciding at
the same moment take one checkpoint between them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.integration.records_support import County, authorize, later, nominate
from tests.integration.security_support import wso
from wso.store.heads import read_heads
from wso.store.uow import Store
from wso.worker.checkpoints import CheckpointSchedule, checkpoint_if_due


def test_item2_the_worker_publishes_a_head_at_start_after_a_batch_and_every_interval(
    store: Store, county: County, database_url: str, tmp_path: Path
) -> None:
    heads = tmp_path / "published" / "heads.jsonl"
    schedule = CheckpointSchedule(heads_file=heads, every=timedelta(minutes=5))
    start = later(1)
    assert checkpoint_if_due(store, schedule, now=start, batch=0)  # at start
    assert not checkpoint_if_due(store, schedule, now=start + timedelta(minutes=4, seconds=59), batch=0)
    authorize(store, county, nominate(store, county))
    assert checkpoint_if_due(store, schedule, now=start + timedelta(minutes=5), batch=0)  # the interval
    assert checkpoint_if_due(store, schedule, now=start + timedelta(minutes=6), batch=3)  # after a batch
    assert len(read_heads(heads).heads) == 3
    code, output = wso("ledger", "verify", "--heads", str(heads), "--database", database_url)
    assert code == 0, output


def test_item2_a_worker_whose_schedule_says_no_takes_nothing(store: Store, tmp_path: Path) -> None:
    heads = tmp_path / "heads.jsonl"
    schedule = CheckpointSchedule(heads_file=heads, every=timedelta(minutes=5), last=later(1))
    assert not checkpoint_if_due(store, schedule, now=later(1) + timedelta(minutes=1), batch=0)
    assert not heads.exists()


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_item2_a_bad_checkpoint_interval_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("WSO_CHECKPOINT_MINUTES", value)
    with pytest.raises(ValueError, match="WSO_CHECKPOINT_MINUTES"):
        CheckpointSchedule.from_env()
