"""Where a run of the suite spends its time: a pytest plugin recording each test, and a summary by file.

    WSO_REQUIRE_ALL=1 .venv/bin/python -m pytest -n 2 --dist loadgroup -p bench.timeline   # records
    .venv/bin/python bench/timeline.py [var/timeline]                                        # summarizes

Each xdist worker writes one JSON line per test to var/timeline/<worker>.jsonl (WSO_TIMELINE_DIR overrides):
its node id, start and end (wall clock), and the CPU seconds its process used meanwhile, its own (a live server's
thread included) and its reaped children's (Chromium and its driver when a module's browser closes). The summary
prints, per file, the wall time on its worker beside that CPU, largest first, as a Markdown table. Figures, not a
test: nothing here asserts.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[1]
_out: list[IO[str]] = []


def _directory() -> Path:
    return Path(os.environ.get("WSO_TIMELINE_DIR") or ROOT / "var" / "timeline")


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """Around setup, call and teardown, in the process that runs the test (not xdist's controller)."""
    start, own, children = time.time(), *_cpu()
    try:
        return (yield)
    finally:
        own_now, children_now = _cpu()
        _write(
            {
                "id": item.nodeid,
                "start": start,
                "end": time.time(),
                "cpu": own_now - own,
                "children": children_now - children,
            }
        )


def _write(record: dict[str, object]) -> None:
    if not _out:
        _directory().mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _out.append((_directory() / f"{worker}.jsonl").open("w"))
    _out[0].write(json.dumps(record) + "\n")
    _out[0].flush()


def summary(directory: Path, top: int = 30) -> str:
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    workers = []
    for path in sorted(directory.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        if not records:
            continue
        busy = sum(r["end"] - r["start"] for r in records)
        span = max(r["end"] for r in records) - min(r["start"] for r in records)
        workers.append(f"{path.stem}: {len(records)} tests, busy {busy:.0f} s of {span:.0f} s")
        for r in records:
            totals = files[r["id"].split("::", 1)[0]]
            totals[0] += r["end"] - r["start"]
            totals[1] += r["cpu"]
            totals[2] += r["children"]
            totals[3] += 1
    lines = [*workers, "", "| file | wall on its worker | CPU of its process | of its children | tests |"]
    lines.append("|---|---|---|---|---|")
    for name, (wall, cpu, children, count) in sorted(files.items(), key=lambda item: -item[1][0])[:top]:
        lines.append(f"| `{name}` | {wall:.0f} s | {cpu:.0f} s | {children:.0f} s | {count} |")
    lines.append(
        f"| all {len(files)} files | {sum(t[0] for t in files.values()):.0f} s | "
        f"{sum(t[1] for t in files.values()):.0f} s | {sum(t[2] for t in files.values()):.0f} s | "
        f"{sum(int(t[3]) for t in files.values())} |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else _directory()
    if not any(where.glob("*.jsonl")):
        raise SystemExit(f"{where}: no timeline here; record one with `pytest -p bench.timeline` first")
    print(summary(where))
