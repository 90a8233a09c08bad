"""What signing and the projection check cost (issue 14, items 1 and 2), measured side by side.

    .venv/bin/python bench/ledger_security.py --officers 200 --repeat 3

Appends: the demo-like workload of `--officers` officers, each nominated and given a training, one
unit of work per act, on a fresh SQLite file; signed (as shipped) against the best honest
alternative, the same hash-chained ledger without the Ed25519 signature (a null signer that
returns no signature: same code path, same hashing, same transactions).
Verify: `verify_all` on the result (chains, signatures, checkpoints, access log, projection replay)
against the chain-only walk the ledger had before (`check_chains` with no signature check).
Prints medians and minima in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.officers import service as officers
from wso.services.permissions import Actor
from wso.store.db import make_engine
from wso.store.ledger import check_chains
from wso.store.migrate import upgrade
from wso.store.signing import Signer, generate
from wso.store.uow import Store
from wso.store.verify import verify_all

T0 = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
SYSTEM = Actor.system("bench")


class _NoSignature(Signer):
    """The baseline: an unsigned hash chain (what the ledger was before item 2)."""

    def sign(self, context: bytes, message: str) -> str:
        return ""


class _AcceptAll:
    def problem(self, **_: object) -> None:
        return None


def workload(url: str, signer: Signer, officers_count: int) -> float:
    engine = make_engine(url)
    upgrade(engine)
    store = Store(url, engine=engine, signer=signer)
    start = time.perf_counter()
    with store.unit_of_work() as uow:
        agency = agencies.create_agency(
            uow, actor=SYSTEM, at=T0, name="Bench County", state="FL", timezone="America/New_York"
        )
    with store.unit_of_work() as uow:
        agreement = agreements.create_agreement(
            uow, actor=SYSTEM, at=T0, agency_id=agency.id, model="WSO", template="MOA-2025"
        )
    for n in range(officers_count):
        with store.unit_of_work() as uow:
            oid = officers.nominate_officer(
                uow,
                actor=SYSTEM,
                at=T0,
                agreement_id=agreement.id,
                name=f"Officer {n}",
                citizen_attested=True,
                experience_attested=True,
                facility_training_attested=True,
                inmate_conduct_attested=True,
            ).id
        with store.unit_of_work() as uow:
            officers.record_training(
                uow,
                actor=SYSTEM,
                at=T0 + timedelta(days=1),
                officer_id=oid,
                name="Initial",
                completed_at=T0 + timedelta(days=1),
            )
    elapsed = time.perf_counter() - start
    store.dispose()
    return elapsed


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {k: [] for k in ("append signed", "append unsigned", "verify_all", "chains only")}
    real = generate()
    baseline = _NoSignature(real.private)
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            signed_url = f"sqlite:///{Path(tmp) / 'signed.sqlite3'}"
            plain_url = f"sqlite:///{Path(tmp) / 'plain.sqlite3'}"
            order = [("append signed", signed_url, real), ("append unsigned", plain_url, baseline)]
            for name, url, signer in order if run % 2 else reversed(order):  # alternate: load drifts
                figures[name].append(workload(url, signer, args.officers))
            store = Store(signed_url, signer=real)
            with store.sessions() as session:
                figures["verify_all"].append(timed(lambda: verify_all(session)))
                figures["chains only"].append(timed(lambda: check_chains(session, _AcceptAll())))
            store.dispose()
    digest = "ab" * 32
    start = time.perf_counter()
    for _ in range(10_000):
        real.sign(b"wso-ledger-event-v1:", digest)
    sign_us = (time.perf_counter() - start) / 10_000 * 1e6
    events = 2 + 2 * args.officers + 1
    print(f"{args.officers} officers, {events} events (incl. key registration), {args.repeat} runs, SQLite")
    for name, values in figures.items():
        print(f"{name:16} median {statistics.median(values):.3f} s   min {min(values):.3f} s")
    print(f"one Ed25519 signature over an event hash: {sign_us:.1f} us (10,000 signatures)")


if __name__ == "__main__":
    main()
