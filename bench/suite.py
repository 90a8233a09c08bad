"""The suite of issue 11's day beside the same tests on today's code, back to back on one machine.

    .venv/bin/python bench/suite.py [--then 3af661e] [--rounds 2] [--workdir var/bench-suite]

Issue 11 asks that the suite stay "not slower than today's 1 min 40 s on this kind of machine": 361 tests at
3af661e, whose README recorded that figure. The suite has since grown with the areas of issues 10 and 12-16 (the
Chromium crawl, the audit's Spark and live tests, the hold board), so its whole time answers another question. This
script answers the issue's:
  1. checks out the commit in a git worktree under --workdir, with its own virtual environment (built once, kept);
  2. lists that suite's tests and finds each in today's suite: by node id, else by the renames below;
  3. runs that suite there, then the same tests here, --rounds times, alternating, so both meet the same machine;
  4. prints one Markdown table for bench/README.md.
Both runs use `make test`'s pytest options (-n 2 --dist loadgroup) and WSO_REQUIRE_ALL=1, so nothing is skipped.
Figures, not a test: nothing here asserts, but a run with a failed test stops the script.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.paths import SHARED  # noqa: E402

# Tests renamed since (same test, a clearer name or the corrected law): then's node id -> today's.
RENAMED_IDS = {
    "tests/unit/test_rules_holds.py::test_H5_a_reimbursable_agreement_continues_the_hold_tracked_separately": (
        "tests/unit/test_rules_holds.py::test_H5_igsa_in_force_booked_at_47_hours_ends_the_wso_hold_lawfully"
    ),
    "tests/unit/test_scenarios.py::test_scenario_passes_its_expectations[h5_igsa_facility_hold_continues_under_igsa]": (
        "tests/unit/test_scenarios.py::test_scenario_passes_its_expectations[h5_igsa_in_force_booked_at_47h]"
    ),
}
# Test functions renamed since, each parametrization kept: then's function -> today's.
RENAMED_FUNCTIONS = {
    "tests/integration/test_ledger.py::test_two_writers_cannot_both_append_the_same_seq": (
        "tests/integration/test_ledger.py::test_two_writers_racing_on_the_same_stream_cannot_both_append_the_same_seq"
    ),
    "tests/integration/test_publicdata_import.py::test_three_sheets_in_order_show_the_agreements_added_between_them": (
        "tests/integration/test_publicdata_import.py::"
        "test_three_sheets_in_order_account_for_every_key_that_appeared_or_left"
    ),
}
PYTEST_OPTIONS = ("-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider")
SUMMARY = re.compile(r"(\d+) passed")


@dataclass(frozen=True)
class Checkout:
    """A source tree and the Python of its virtual environment."""

    root: Path
    python: Path


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def then_checkout(commit: str, workdir: Path) -> Checkout:
    """The commit in a worktree with its own venv; both are kept for the next run (delete --workdir to rebuild)."""
    tree = workdir / f"then-{commit}"
    if not tree.exists():
        log(f"checking out {commit} into {tree}")
        workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit], check=True)
    python = tree / ".venv" / "bin" / "python"
    if not python.exists():
        log(f"installing {commit}'s dependencies into {tree / '.venv'} (a minute or two)")
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", f"{tree}[test]"], capture_output=True, text=True
        )
        if installed.returncode != 0:
            raise SystemExit(f"pip install in {tree} failed: {installed.stderr[-800:]}")
    return Checkout(tree, python)


def node_ids(checkout: Checkout) -> list[str]:
    listed = subprocess.run(
        [str(checkout.python), "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=checkout.root,
        env=environment(),
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        raise SystemExit(f"{checkout.root}: collecting the tests failed: {(listed.stdout + listed.stderr)[-800:]}")
    return [line for line in listed.stdout.splitlines() if "::" in line]


def function_of(node_id: str) -> str:
    return node_id.split("[", 1)[0]


def today_equivalents(then_ids: list[str], today_ids: list[str]) -> tuple[list[str], list[str]]:
    """Today's node ids for then's tests (each once), and then's tests with none today."""
    today = set(today_ids)
    by_function: dict[str, list[str]] = {}
    for node in today_ids:
        by_function.setdefault(function_of(node), []).append(node)
    chosen: dict[str, None] = {}
    missing = []
    for node in then_ids:
        if node in today:
            chosen[node] = None
        elif node in RENAMED_IDS and RENAMED_IDS[node] in today:
            chosen[RENAMED_IDS[node]] = None
        elif found := by_function.get(RENAMED_FUNCTIONS.get(function_of(node), function_of(node))):
            # A renamed function, or a table of cases that changed with the law (A8): every case today.
            renamed = node.replace(function_of(node), RENAMED_FUNCTIONS.get(function_of(node), function_of(node)))
            chosen.update(dict.fromkeys([renamed] if renamed in today else found))
        else:
            missing.append(node)
    return list(chosen), missing


def environment() -> dict[str, str]:
    return {**os.environ, "WSO_REQUIRE_ALL": "1", "WSO_SHARED_DIR": str(SHARED)}


def timed_run(checkout: Checkout, ids_file: Path | None) -> tuple[float, int]:
    """Seconds of wall time for one pytest run (process start to exit) and the tests it passed."""
    arguments = [str(checkout.python), "-m", "pytest", *PYTEST_OPTIONS]
    if ids_file is not None:
        arguments.append(f"@{ids_file}")  # one node id per line (pytest reads arguments from a file)
    started = time.perf_counter()
    done = subprocess.run(arguments, cwd=checkout.root, env=environment(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    if done.returncode != 0 or not (passed := SUMMARY.search(tail)):
        raise SystemExit(f"{checkout.root}: pytest exited {done.returncode}: {tail}")
    return seconds, int(passed.group(1))


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    return f"{platform.machine()} {cpu}, {os.cpu_count()} vCPUs, Python {platform.python_version()}"


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:04.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--then", default="3af661e", help="the commit whose suite issue 11 timed (default 3af661e)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs of each (default 2)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-suite", help="where the worktree lives")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds: must be at least 1")

    then = then_checkout(args.then, args.workdir.resolve())
    today = Checkout(ROOT, Path(sys.executable))
    then_ids = node_ids(then)
    same, missing = today_equivalents(then_ids, node_ids(today))
    if missing:
        raise SystemExit(f"{len(missing)} of {args.then}'s tests have no counterpart today: {missing[:5]}")
    ids_file = args.workdir.resolve() / "today-ids.txt"
    ids_file.write_text("\n".join(same) + "\n")
    log(f"{args.then}: {len(then_ids)} tests; today: the same tests as {len(same)} node ids ({ids_file})")

    rows = []
    for round_number in range(1, args.rounds + 1):
        log(f"round {round_number}: {args.then}'s suite")
        then_seconds, then_passed = timed_run(then, None)
        log(f"round {round_number}: the same tests today")
        now_seconds, now_passed = timed_run(today, ids_file)
        rows.append((round_number, then_seconds, then_passed, now_seconds, now_passed))

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"{machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; today = {head.stdout.strip()}")
    print()
    print(f"| round | {args.then}'s suite | tests | the same tests today | tests | today / then |")
    print("|---|---|---|---|---|---|")
    for round_number, then_seconds, then_passed, now_seconds, now_passed in rows:
        ratio = now_seconds / then_seconds
        print(
            f"| {round_number} | {minutes(then_seconds)} | {then_passed} | {minutes(now_seconds)} | {now_passed} "
            f"| {ratio:.2f} |"
        )


if __name__ == "__main__":
    main()
