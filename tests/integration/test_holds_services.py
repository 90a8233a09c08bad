"""Holds through the services on SQLite and PostgreSQL: the workflow end to end, decide on write."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.holds_support import Jail, book, i200, make_jail, ny, run
from tests.integration.records_support import store  # noqa: F401
from wso.holds import commands as c
from wso.holds import service as s
from wso.store.uow import Store


@pytest.fixture
def jail(store: Store) -> Jail:
    return make_jail(store)


RELEASE = ny(2026, 6, 10, 9)  # a Wednesday


def test_H5_the_workflow_end_to_end_book_warrant_clear_serve_notify_transfer(store: Store, jail: Jail) -> None:
    hold = book(store, jail, number="B-1", release=RELEASE, now=RELEASE - timedelta(days=2))
    assert hold.status == "in_criminal_custody" and hold.next_action == "release_at_scheduled_time"
    hold = run(
        store, s.receive_warrant, actor=jail.clerk, hold_id=hold.id, command=i200(), now=RELEASE - timedelta(days=1)
    )
    assert hold.next_action == "serve_warrant" and hold.next_action_role == "wso" and hold.warrant_form == "I-200"
    hold = run(store, s.clear_for_release, actor=jail.clerk, hold_id=hold.id, command=c.ClearForRelease(), now=RELEASE)
    served = run(
        store,
        s.serve_warrant,
        actor=jail.wso,
        hold_id=hold.id,
        now=RELEASE,
        command=c.ServeWarrant(officer_id=jail.officer_id, warrant_number="W-1"),
    )
    assert served.status == "held_for_ice" and served.flag_ice_not_notified and served.served_at == RELEASE
    assert served.binding_deadline_at == RELEASE + timedelta(hours=48) and served.next_action == "notify_ice"
    notified = run(
        store,
        s.notify_ice,
        actor=jail.clerk,
        hold_id=hold.id,
        now=RELEASE + timedelta(minutes=5),
        command=c.NotifyIce(how="phone", to="ERO Miami duty officer"),
    )
    assert not notified.flag_ice_not_notified and notified.next_action == "transfer_or_release"
    moved = run(
        store,
        s.transfer_to_ice,
        actor=jail.clerk,
        hold_id=hold.id,
        now=RELEASE + timedelta(hours=30),
        command=c.TransferToIce(received_by="ICE ERO officer J. Park"),
    )
    assert moved.status == "transferred" and not moved.active and moved.allowed
