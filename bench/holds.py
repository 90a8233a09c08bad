"""Benchmark: the hold board and hold-event writes on PostgreSQL, beside bare baselines, in one run.

    .venv/bin/python bench/holds.py [--holds 10000] [--connections 50] [--duration 15]

Builds a fresh PostgreSQL database with `--holds` active holds (each booked and given an I-200 through
the holds services, so every projection row is one the program wrote), then serves, one process each,
with the same uvicorn settings (no access log):
  - the real application (bench/real_app.py): GET /holds?per_page=100 signed in (session cookie),
    the board's own refresh GET /holds/rows?per_page=100, and POST /api/v1/holds/{id}/release-changes
    (bearer token; a ledger event, the fold, the rules, the stored summary; each request another hold);
  - the bare baseline (bench/bare_app.py): (a) GET /bare/board, 100 rows from PostgreSQL rendered with
    Jinja2, no auth, no rules; (b) POST /bare/insert, one plain INSERT.
Each is loaded by Debian's `wrk` with `--connections` connections for `--duration` seconds, one after
the other, and the figures are printed as a Markdown table. Goals (issue 12): board >= 60 % of (a)
with p99 < 100 ms; writes >= 40 % of (b) with p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN = os.environ.get("BENCH_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "bench-password-not-secret"


def populate(url: str, holds: int, *, seed: int | None = None) -> tuple[str, list[str]]:
    """A county, a clerk and `holds` holds with an I-200 each: `seed` of them through the services (200 per
    transaction), the rest copies of those made in SQL (see `clone`); all through the services if no seed."""
    from wso.agencies import service as agencies
    from wso.agreements import service as agreements
    from wso.holds import commands as c
    from wso.holds import service as s
    from wso.services.permissions import Actor
    from wso.store.db import make_engine
    from wso.store.migrate import upgrade
    from wso.store.uow import Store
    from wso.users import service as users
    from wso.users.auth import issue_api_token

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    store = Store(url)
    system = Actor.system("bench")
    now = datetime.now(UTC)
    start = now - timedelta(days=30)
    with store.unit_of_work() as uow:
        agency = agencies.create_agency(
            uow,
            actor=system,
            at=start,
            name="Bench County Sheriff's Office",
            state="FL",
            timezone="America/New_York",
            facility_name="Bench County Jail",
        )
    with store.unit_of_work() as uow:
        agreement = agreements.create_agreement(
            uow, actor=system, at=start, agency_id=agency.id, model="WSO", template="MOA-2025"
        )
    for party, days in (("LEA", 0), ("ICE", 1)):
        with store.unit_of_work() as uow:
            agreements.record_signature(
                uow,
                actor=system,
                at=start + timedelta(days=days),
                agreement_id=agreement.id,
                party=party,
                signed_at=start + timedelta(days=days),
            )
    with store.unit_of_work() as uow:
        user = users.create_user(
            uow, actor=system, at=start, username="bench-clerk", password=PASSWORD, role="clerk", agency_id=agency.id
        )
    clerk = Actor(user_id=user.id, username=user.username, role="clerk", agency_id=agency.id)
    with store.unit_of_work() as uow:
        token = issue_api_token(uow, actor=clerk, at=now, purpose="bench")
    facility = agency.facilities[0].id
    ids: list[str] = []
    began = time.perf_counter()
    made = min(holds, seed) if seed else holds
    for first in range(0, made, 200):
        with store.unit_of_work() as uow:
            for i in range(first, min(made, first + 200)):
                hold = s.book_person(
                    uow,
                    actor=clerk,
                    now=now,
                    command=c.BookPerson(
                        facility_id=facility,
                        booking_number=f"BK-{i:06d}",
                        person_name=f"Person {i:06d}",
                        booking_date=(now - timedelta(days=5)).date(),
                        scheduled_release_at=now + timedelta(hours=1, minutes=(i * 7) % (96 * 60)),
                    ),
                )
                s.receive_warrant(
                    uow,
                    actor=clerk,
                    hold_id=hold.id,
                    now=now,
                    command=c.ReceiveWarrant(
                        form="I-200",
                        number=f"W-{i:06d}",
                        issuing_officer="SDDO Bench",
                        issued_on=(now - timedelta(days=1)).date(),
                    ),
                )
                ids.append(hold.id)
            uow.commit()
    print(f"populated {made} holds through the services in {time.perf_counter() - began:.0f} s", flush=True)
    store.dispose()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        if made < holds:
            ids += clone(conn, holds - made)
            print(f"copied them in SQL up to {holds} holds", flush=True)
        from sqlalchemy import create_engine

        from bench.bare_app import Base

        bare = create_engine(url if "+psycopg" in url else url.replace("postgresql://", "postgresql+psycopg://"))
        Base.metadata.create_all(bare)
        bare.dispose()
        conn.execute("""INSERT INTO bench_bare_holds (id, person_name, booking_number, status, scheduled_release_at,
                        deadline_at, next_action)
                        SELECT id, person_name, booking_number, status, scheduled_release_at,
                               coalesce(sort_at, scheduled_release_at), coalesce(next_action, '')
                        FROM holds""")
        conn.execute("ANALYZE")
    return token, ids


def clone(conn: psycopg.Connection, count: int) -> list[str]:
    """`count` more holds, each a copy of a service-made one under a new id and booking number, with a
    copy of its ledger stream (same events, so a write folds the same history; the copied hashes are
    re-derived so that each stream stays linked and unique, but they are not the hashes of the events,
    so `wso ledger verify` would flag these streams: the database is dropped after the run)."""
    conn.execute(
        """CREATE TEMP TABLE clone_map AS
                    SELECT src, gen_random_uuid()::text AS dst, k FROM (
                      SELECT h.id AS src, k, row_number() OVER (ORDER BY k, h.id) AS n
                      FROM holds h CROSS JOIN generate_series(1, %(copies)s) AS k) c
                    WHERE n <= %(count)s""",
        {"copies": count // 100 + 2, "count": count},
    )
    columns = [
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'holds' ORDER BY ordinal_position"
        )
    ]
    changed = {
        "id": "m.dst",
        "booking_number": "h.booking_number || '-' || m.k",
        "person_name": "h.person_name || ' ' || m.k",
    }
    values = ", ".join(changed.get(c, f"h.{c}") for c in columns)
    conn.execute(
        f"INSERT INTO holds ({', '.join(columns)}) SELECT {values} FROM clone_map m JOIN holds h ON h.id = m.src"
    )
    conn.execute("""INSERT INTO ledger_events (stream, seq, actor, at, type, payload, prev_hash, hash)
                    SELECT 'hold:' || m.dst, e.seq, e.actor, e.at, e.type, e.payload,
                      CASE WHEN e.seq = 1 THEN e.prev_hash
                           ELSE encode(sha256((e.prev_hash || m.dst)::bytea), 'hex') END,
                      encode(sha256((e.hash || m.dst)::bytea), 'hex')
                    FROM clone_map m JOIN ledger_events e ON e.stream = 'hold:' || m.src""")
    return [row[0] for row in conn.execute("SELECT dst FROM clone_map ORDER BY k, src")]


def serve(module: str, url: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            module,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{module} did not start; see {log}")


def sign_in(base: str) -> str:
    """The session cookie of the clerk, signed in through the real login form."""
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        response = client.post(
            "/login", data={"username": "bench-clerk", "password": PASSWORD, "csrf_token": token, "next": "/holds"}
        )
        assert response.status_code == 303, response.text
        return f"wso_session={client.cookies['wso_session']}"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(
    url: str,
    *,
    connections: int,
    duration: int,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
) -> dict[str, float]:
    threads = min(threads, connections)  # wrk needs a connection per thread
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50, p99 = (re.search(rf"\s{q}%\s+([\d.]+)(us|ms|s|m)\b", out) for q in (50, 99))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50": float(p50.group(1)) * _UNITS[p50.group(2)],
        "p99": float(p99.group(1)) * _UNITS[p99.group(2)],
        "errors": int(errors.group(1)) if errors else 0,
        "requests": total,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


WRITE_LUA = """
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
local n = 0
local body = '{"reason": "court_order", "scheduled_release_at": "%(release)s"}'
request = function()
  n = n + 1
  local id = ids[(n %% #ids) + 1]
  return wrk.format("POST", "/api/v1/holds/" .. id .. "/release-changes",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %(token)s"}, body)
end
"""
INSERT_LUA = """
wrk.method = "POST"
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holds", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument(
        "--seed",
        type=int,
        default=500,
        help="holds made through the services; the rest are SQL copies of them (0: all through the services)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install -y wrk")
    name = f"wso_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    work = Path(tempfile.mkdtemp(prefix="wso-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        token, ids = populate(url, args.holds, seed=args.seed or None)
        (work / "ids.txt").write_text("\n".join(ids) + "\n")
        release = (datetime.now(UTC) + timedelta(days=3)).isoformat()
        (work / "write.lua").write_text(WRITE_LUA % {"ids": work / "ids.txt", "release": release, "token": token})
        (work / "insert.lua").write_text(INSERT_LUA)
        real = serve("bench.real_app:app", url, 8931, work / "real.log")
        bare = serve("bench.bare_app:app", url, 8932, work / "bare.log")
        procs += [real, bare]
        cookie = sign_in("http://127.0.0.1:8931")
        assert (
            httpx.get("http://127.0.0.1:8931/holds?per_page=100", headers={"Cookie": cookie}).text.count('class="hold ')
            == 100
        )
        load_before = os.getloadavg()
        c, d = args.connections, args.duration
        rows = [
            (
                "(a) bare page: FastAPI + Jinja2, 100 rows from PostgreSQL, no auth",
                wrk("http://127.0.0.1:8932/bare/board", connections=c, duration=d),
            ),
            (
                "board: GET /holds?per_page=100, signed in",
                wrk("http://127.0.0.1:8931/holds?per_page=100", connections=c, duration=d, headers={"Cookie": cookie}),
            ),
            (
                "board refresh: GET /holds/rows?per_page=100, signed in",
                wrk(
                    "http://127.0.0.1:8931/holds/rows?per_page=100",
                    connections=c,
                    duration=d,
                    headers={"Cookie": cookie},
                ),
            ),
            (
                "(b) bare write: one plain INSERT",
                wrk(
                    "http://127.0.0.1:8932/bare/insert",
                    connections=c,
                    duration=d,
                    threads=1,
                    script=work / "insert.lua",
                ),
            ),
            (
                "hold event: POST /api/v1/holds/{id}/release-changes",
                wrk("http://127.0.0.1:8931/", connections=c, duration=d, threads=1, script=work / "write.lua"),
            ),
        ]
        load_after = os.getloadavg()
        print(
            f"\n{args.holds} active holds, {c} connections, {d} s each, PostgreSQL 127.0.0.1, one uvicorn process each"
        )
        print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)\n")
        print("| what | requests/s | p50 ms | p99 ms | non-2xx | of baseline |")
        print("|---|---|---|---|---|---|")
        base = {"read": rows[0][1]["rps"], "write": rows[3][1]["rps"]}
        for i, (label, r) in enumerate(rows):
            ratio = "" if i in (0, 3) else f"{100 * r['rps'] / base['read' if i < 3 else 'write']:.0f} %"
            print(f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} | {ratio} |")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
