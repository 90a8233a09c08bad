"""Throughput of the officer roster beside a bare FastAPI + SQLAlchemy + Jinja2 page, in one run.

    .venv/bin/python bench/roster.py [--duration 10] [--connections 50]

Builds a fresh PostgreSQL database (the demo county: 8 officers), starts `wso serve` (one uvicorn
process, access log off) and bench/bare_page.py (one uvicorn process, 100 rows), and drives each
with Debian's `wrk` (`apt-get install -y wrk`), 2 threads and 50 connections:
  - the bare page, 100 rows;
  - GET /api/v1/agencies/{id}/officers with a bearer token, 8 officers;
  - GET /agencies/{id}/officers (the roster page) with a signed-in session, 8 officers;
  - the same two with 80 officers (72 synthetic ones added, wso.demo.crowd);
  - the bare page again (the machine's load drifts: both bare runs are printed).
Prints a Markdown table for bench/README.md. Figures, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pyotp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bare_page import metadata, rows_table  # noqa: E402
from wso.demo import demo_totp_secrets, load_demo  # noqa: E402
from wso.demo.crowd import add_officers  # noqa: E402
from wso.store.db import make_engine  # noqa: E402
from wso.store.migrate import upgrade  # noqa: E402
from wso.store.uow import Store  # noqa: E402
from wso.users.auth import issue_api_token  # noqa: E402
from wso.users.service import actor_of, user_by_username  # noqa: E402

ADMIN_URL = os.environ.get("WSO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "bench-password-not-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    command: list[str], env: dict[str, str], probe: str, headers: dict[str, str] | None = None
) -> subprocess.Popen:
    """Start a server and wait until `probe` answers 200."""
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(probe, headers=headers, timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{command} exited: {process.stderr.read()}")
        time.sleep(0.3)
    raise RuntimeError(f"{command} did not answer {probe} within 60 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wrk(url: str, *, headers: dict[str, str], duration: int, connections: int) -> dict[str, float]:
    """Requests per second and latency percentiles (ms) from one wrk run, after a 2 s warm-up."""
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    subprocess.run(["wrk", "-t2", f"-c{connections}", "-d2s", *header_args, url], capture_output=True, check=True)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency", *header_args, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        result[f"p{pct}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    result["non2xx"] = float(bad.group(1)) if bad else 0.0
    if errors:
        print(f"    wrk: {errors.group(0)}", file=sys.stderr)
    return result


def cpu_ms(action: Callable[[], object], *, repeat: int) -> float:
    """Median CPU time of this process per call (ms): what a request costs us, whatever the load
    of the machine (wall times on a shared machine say more about the neighbours)."""
    for _ in range(3):
        action()
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def in_process(store: Store, *, bearer: str, agency_id: str, repeat: int) -> dict[str, float]:
    """The roster's work without HTTP (token, service, JSON) beside the bare page's (query, template)."""
    from sqlalchemy import select

    from bench.bare_page import PAGE
    from wso.http.api_routes import _render
    from wso.officers.service import officer_roster
    from wso.users.auth import actor_for_token

    def roster() -> object:
        at = datetime.now(UTC)
        with store.unit_of_work() as uow:
            actor = actor_for_token(uow, token=bearer, at=at)
        with store.unit_of_work() as uow:
            views = officer_roster(uow, actor=actor, agency_id=agency_id, at=at)
        return _render(views, many=True)

    def bare() -> object:
        with store.engine.connect() as conn:
            rows = conn.execute(select(rows_table).order_by(rows_table.c.name).limit(100)).all()
        return PAGE.render(rows=rows)

    return {"roster": cpu_ms(roster, repeat=repeat), "bare": cpu_ms(bare, repeat=repeat)}


def signed_in_cookie(base: str, store: Store) -> str:
    """A session cookie of demo-coordinator, through the login form and the code form (S2: the demo
    users have TOTP keys; without this step every page request was a 303 to /login, not the page)."""
    csrf = re.compile(r'name="csrf_token" value="([^"]+)"')
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        token = csrf.search(client.get("/login").text).group(1)
        form = {"username": "demo-coordinator", "password": PASSWORD, "csrf_token": token}
        response = client.post("/login", data=form)
        assert response.status_code == 303, response.text
        if response.headers["location"] == "/login/code":
            with store.unit_of_work() as uow:
                totp = pyotp.TOTP(demo_totp_secrets(uow)["demo-coordinator"])
            token = csrf.search(client.get("/login/code").text).group(1)
            response = client.post("/login/code", data={"code": totp.now(), "csrf_token": token})
            assert response.status_code == 303 and response.headers["location"] != "/login/code", response.text
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=50, help="in-process calls per CPU-time median")
    parser.add_argument("--workers", type=int, default=1, help="wso serve --workers (the bare page keeps one)")
    args = parser.parse_args()

    name = f"wso_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    servers: list[subprocess.Popen] = []
    try:
        engine = make_engine(url)
        upgrade(engine)
        now = datetime.now(UTC)
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(
                rows_table.insert(),
                [
                    {
                        "name": f"Row {i:03d}",
                        "badge": f"B-{i:03d}",
                        "status": "authorized",
                        "updated_at": now - timedelta(hours=i),
                    }
                    for i in range(100)
                ],
            )
        engine.dispose()
        store = Store(url)
        summary = load_demo(store, at=now, password=PASSWORD)
        with store.unit_of_work() as uow:
            actor = actor_of(user_by_username(uow, username="demo-coordinator"))
            bearer = issue_api_token(uow, actor=actor, at=now, purpose="bench")

        wso_port, bare_port = free_port(), free_port()
        wso_base, bare_url = f"http://127.0.0.1:{wso_port}", f"http://127.0.0.1:{bare_port}/"
        api = f"{wso_base}/api/v1/agencies/{summary.agency_id}/officers"
        page = f"{wso_base}/agencies/{summary.agency_id}/officers"
        auth = {"Authorization": f"Bearer {bearer}"}
        env = {"WSO_SECRET_KEY": "b" * 48}
        servers.append(
            start(
                [
                    str(Path(sys.executable).parent / "wso"),
                    "serve",
                    "--port",
                    str(wso_port),
                    "--database",
                    url,
                    "--no-access-log",
                    "--workers",
                    str(args.workers),
                ],
                env,
                api,
                auth,
            )
        )
        servers.append(
            start(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bench.bare_page:app",
                    "--port",
                    str(bare_port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                {"BENCH_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://")},
                bare_url,
            )
        )
        cookie = {"Cookie": signed_in_cookie(wso_base, store)}
        assert httpx.get(page, headers=cookie).status_code == 200, "the roster page must be served, not a redirect"

        rows: list[tuple[str, dict[str, float]]] = []

        def measure(label: str, target: str, headers: dict[str, str]) -> None:
            result = wrk(target, headers=headers, duration=args.duration, connections=args.connections)
            rows.append((label, result))
            print(
                f"  {label}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms",
                file=sys.stderr,
            )

        cpu = {8: in_process(store, bearer=bearer, agency_id=summary.agency_id, repeat=args.repeat)}
        measure("bare page, 100 rows (first)", bare_url, {})
        measure("API roster, 8 officers", api, auth)
        measure("roster page, 8 officers", page, cookie)
        add_officers(store, agreement_id=summary.agreement_id, count=72, at=now)
        cpu[80] = in_process(store, bearer=bearer, agency_id=summary.agency_id, repeat=args.repeat)
        store.dispose()
        measure("API roster, 80 officers", api, auth)
        measure("roster page, 80 officers", page, cookie)
        measure("bare page, 100 rows (last)", bare_url, {})
    finally:
        for server in servers:
            stop(server)
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    bare = sum(r["rps"] for label, r in rows if label.startswith("bare")) / 2
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, wrk -t2 -c{args.connections} -d{args.duration}s, "
        "PostgreSQL 127.0.0.1\n"
    )
    print("| what | requests/s | % of bare (mean of both bare runs) | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for label, r in rows:
        print(
            f"| {label} | {r['rps']:.0f} | {100 * r['rps'] / bare:.0f} % | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['non2xx']:.0f} |"
        )
    print("\nIn-process CPU time per request of this process (median, ms; PostgreSQL's own CPU not included):\n")
    print("| officers | API roster: token, service, JSON | bare: 100 rows, template | ratio |")
    print("|---|---|---|---|")
    for officers, figures in cpu.items():
        print(
            f"| {officers} | {figures['roster']:.2f} | {figures['bare']:.2f} | "
            f"{figures['roster'] / figures['bare']:.1f} |"
        )
    print(f"\nx{cpu[80]['roster'] / cpu[8]['roster']:.1f} CPU per request for x10 officers")


if __name__ == "__main__":
    main()
