"""Login flood: do signed-in requests stay fast while many clients hammer POST /api/v1/tokens?

Issue 14, item 5. A 16-thread flood of sign-ins made signed-in requests take up to 8 s, because
each Argon2 check is expensive and every check ran in the thread pool that also serves pages and
the API. The hashing gate (wso.http.gate) bounds concurrent checks and waits in the event loop.

The flood uses a new username and a new X-Forwarded-For address for each attempt (uvicorn trusts
the header from 127.0.0.1), as a botnet would: the per-account lock and the per-address throttle
never trigger, so every attempt costs a full Argon2 check; this measures the gate, not the lock.

Three runs of the same server, side by side:
  quiet     no flood: the signed-in request's own latency
  gated     flood, default gate (WSO_HASH_CONCURRENCY unset: half the cores)
  ungated   flood, WSO_HASH_CONCURRENCY=1000: the best honest version of "no gate" (every check
            goes straight to the thread pool, as before)

    .venv/bin/python bench/login_flood.py --seconds 15 --flooders 16
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

from wso.services.permissions import Actor
from wso.store.db import make_engine
from wso.store.migrate import upgrade
from wso.store.uow import Store
from wso.users import service as users
from wso.users.auth import issue_api_token

PASSWORD = "bench reader passphrase"


def prepare(url: str) -> str:
    """A migrated database with one auditor and a bearer token for them."""
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    store = Store(url)
    try:
        with store.unit_of_work() as uow:
            made = users.create_user(
                uow,
                actor=Actor.system("bench"),
                at=datetime.now(UTC),
                username="bench_reader",
                password=PASSWORD,
                role="auditor",
            )
        actor = Actor(user_id=made.id, username=made.username, role=made.role, agency_id=None)
        with store.unit_of_work() as uow:
            return issue_api_token(uow, actor=actor, at=datetime.now(UTC), purpose="bench")
    finally:
        store.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, port: int, env_extra: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WSO_DATABASE_URL": url, **env_extra}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "wso.web.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--proxy-headers",
        "--forwarded-allow-ips",
        "127.0.0.1",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def run(url: str, token: str, *, flooders: int, seconds: float, env_extra: dict[str, str]) -> dict[str, object]:
    port = free_port()
    process = serve(url, port, env_extra)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    outcomes: Counter[int] = Counter()
    lock = threading.Lock()

    def flood() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not stop.is_set():
                address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
                body = {"username": f"nobody_{secrets.token_hex(4)}", "password": "wrong guess at the password"}
                try:
                    status = client.post("/api/v1/tokens", json=body, headers={"X-Forwarded-For": address}).status_code
                except httpx.HTTPError:
                    status = 0
                with lock:
                    outcomes[status] += 1

    threads = [threading.Thread(target=flood, daemon=True) for _ in range(flooders)]
    for thread in threads:
        thread.start()
    time.sleep(1.0 if flooders else 0)  # let the flood build up
    latencies: list[float] = []
    failures = 0
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as reader:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            response = reader.get("/api/v1/agencies")
            latencies.append(time.perf_counter() - started)
            failures += response.status_code != 200
            time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(timeout=70)
    process.terminate()
    process.wait(timeout=30)
    latencies.sort()
    return {
        "reads": len(latencies),
        "read_failures": failures,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "sign_ins": dict(outcomes),
        "sign_ins_per_s": sum(outcomes.values()) / (seconds + 1.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--flooders", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        token = prepare(url)
        runs = {
            "quiet": run(url, token, flooders=0, seconds=args.seconds, env_extra={}),
            "gated": run(url, token, flooders=args.flooders, seconds=args.seconds, env_extra={}),
            "ungated": run(
                url, token, flooders=args.flooders, seconds=args.seconds, env_extra={"WSO_HASH_CONCURRENCY": "1000"}
            ),
        }
    print(f"login flood: {args.flooders} flooding threads, {args.seconds:.0f} s per run, cpus={os.cpu_count()}")
    print(f"{'run':8} {'reads':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'sign-ins/s':>10}  sign-in statuses")
    for name, result in runs.items():
        print(
            f"{name:8} {result['reads']:>6} {result['p50_ms']:>8.1f} {result['p95_ms']:>8.1f} "
            f"{result['max_ms']:>8.1f} "
            f"{result['sign_ins_per_s']:>10.1f}  {result['sign_ins']}"
        )


if __name__ == "__main__":
    main()
