"""Decide on write vs decide on read, for custody holds: figures, not a test.

Builds the demo county plus N booked holds (half of them served, with a citizenship claim on every
fifth) on a fresh SQLite file and, if reachable, a fresh PostgreSQL database, then measures side by
side in the same run:

  board read   list_holds(limit=100) from the stored summaries (what the board does: SQL only)
  on read      the same 100 holds decided at read time: load events, fold, hold_status (the alternative)
  write        one hold event through the service (append + fold + hold_status + store), committed
  bare append  one ledger append to a stream, committed (the floor any event write pays)
  rule only    one hold_status call on folded facts (no database)

    .venv/bin/python bench/hold_decide.py --holds 400 --repeat 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg

from wso.demo import load_demo
from wso.holds import commands as c
from wso.holds import service as s
from wso.holds import tables as t
from wso.holds.decide import facility_fact, load_events, release_standard_fact
from wso.holds.fold import hold_facts
from wso.rules.holds import hold_status
from wso.services.permissions import Actor
from wso.services.to_facts import agreement_fact
from wso.store import tables
from wso.store.db import make_engine
from wso.store.ledger import append_event
from wso.store.migrate import upgrade
from wso.store.uow import Store

SYSTEM = Actor.system("bench")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and minimum seconds of `repeat` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def build(store: Store, *, holds: int, now: datetime) -> tuple[str, list[str]]:
    load_demo(store, at=now)
    with store.unit_of_work() as uow:
        facility = uow.session.query(tables.Facility).first()
        officer = uow.session.query(tables.Officer).filter_by(name="Officer A. Rivera").one()
        facility_id, officer_id = facility.id, officer.id
    ids = []
    for i in range(holds):
        release = now - timedelta(hours=(i % 40)) if i % 2 == 0 else now + timedelta(hours=1 + i % 40)
        with store.unit_of_work() as uow:
            hold = s.book_person(
                uow,
                actor=SYSTEM,
                now=release - timedelta(days=3),
                command=c.BookPerson(
                    facility_id=facility_id,
                    booking_number=f"BENCH-{i:05d}",
                    person_name=f"Bench Person {i}",
                    booking_date=(release - timedelta(days=3)).date(),
                    scheduled_release_at=release,
                ),
            )
            s.receive_warrant(
                uow,
                actor=SYSTEM,
                hold_id=hold.id,
                now=release - timedelta(days=1),
                command=c.ReceiveWarrant(
                    form="I-200", number=f"W-{i}", issuing_officer="SDDO Bench", issued_on=release.date()
                ),
            )
            if i % 2 == 0:
                s.clear_for_release(uow, actor=SYSTEM, hold_id=hold.id, now=release, command=c.ClearForRelease())
                s.serve_warrant(
                    uow,
                    actor=SYSTEM,
                    hold_id=hold.id,
                    now=release,
                    command=c.ServeWarrant(officer_id=officer_id, warrant_number=f"W-{i}"),
                )
            if i % 5 == 0:
                s.claim_citizenship(
                    uow, actor=SYSTEM, hold_id=hold.id, now=min(now, release), command=c.ClaimCitizenship()
                )
            uow.commit()
        ids.append(hold.id)
    return facility_id, ids


def measure(url: str, *, holds: int, repeat: int) -> dict[str, tuple[float, float]]:
    engine = make_engine(url)
    upgrade(engine)
    store = Store(url, engine=engine)
    now = datetime.now(UTC)
    _, ids = build(store, holds=holds, now=now)
    first_100 = ids[:100]

    def board_read() -> None:
        with store.unit_of_work() as uow:
            rows = s.list_holds(uow, actor=SYSTEM, limit=100)
            assert len(rows) == 100

    def decided_on_read() -> None:
        with store.unit_of_work() as uow:
            for hold_id in first_100:
                row = uow.session.get(t.Hold, hold_id)
                agreement = agreement_fact(uow, uow.session.get(tables.Agreement, row.agreement_id))
                facts = hold_facts(
                    load_events(uow, hold_id),
                    at=now,
                    facility=facility_fact(uow, row.facility_id),
                    agreement=agreement,
                    release_standard=release_standard_fact(uow, row.agency_id, at=now),
                )
                hold_status(facts, at=now)

    writes = iter(range(10**6))

    def write() -> None:
        hold_id = ids[1 + 2 * (next(writes) % (len(ids) // 2 - 1))]  # unserved holds: claims may come any time
        with store.unit_of_work() as uow:
            s.claim_citizenship(uow, actor=SYSTEM, hold_id=hold_id, now=datetime.now(UTC), command=c.ClaimCitizenship())
            uow.commit()

    stream = f"bench:{uuid.uuid4()}"

    def bare_append() -> None:
        with store.unit_of_work() as uow:
            append_event(
                uow.session, stream=stream, actor="bench", at=datetime.now(UTC), type="bench", payload={"n": 1}
            )
            uow.commit()

    with store.unit_of_work() as uow:
        row = uow.session.get(t.Hold, ids[0])
        agreement = agreement_fact(uow, uow.session.get(tables.Agreement, row.agreement_id))
        facts = hold_facts(
            load_events(uow, ids[0]),
            at=now,
            facility=facility_fact(uow, row.facility_id),
            agreement=agreement,
            release_standard=release_standard_fact(uow, row.agency_id, at=now),
        )

    results = {
        "board read (100 stored summaries)": timed(board_read, repeat),
        "on read (100 holds: load, fold, hold_status)": timed(decided_on_read, max(3, repeat // 5)),
        "write (one event + decide + commit)": timed(write, repeat),
        "bare append (one ledger event + commit)": timed(bare_append, repeat),
        "rule only (one hold_status call)": timed(lambda: hold_status(facts, at=now), repeat * 20),
    }
    store.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--holds", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    targets = [("SQLite", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", None)]
    name = f"bench_holds_{os.getpid()}"
    try:
        with psycopg.connect(args.postgres.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        targets.append(("PostgreSQL", args.postgres.rsplit("/", 1)[0] + f"/{name}", name))
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable ({exc}); SQLite only")
    try:
        for label, url, _ in targets:
            print(f"\n{label}, {args.holds} holds (+ the demo's), repeat {args.repeat}: median / min")
            for what, (median, best) in measure(url, holds=args.holds, repeat=args.repeat).items():
                print(f"  {what:<48} {median * 1000:9.3f} ms / {best * 1000:9.3f} ms")
    finally:
        for _, _, database in targets:
            if database:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
