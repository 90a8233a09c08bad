"""Benchmark: importing the four shipped ICE sheets, against a vectorized pandas baseline.

    .venv/bin/python bench/publicdata_import.py [--repeat 3]

Prints, side by side in one run:
- `wso import`: read + validate + write all four sheets into a fresh SQLite database in one
  transaction, rebuild the history (what `wso publicdata import` does);
- `read+validate only`: the same reading and checking, no database;
- `pandas baseline`: `pandas.read_excel` (openpyxl engine) + strip + groupby counting agreements
  per model and state: the best honest alternative for the counting alone (no per-row
  validation, no flags, no hyperlinks, no history, nothing stored);
- identity (issue 16), on the sheets already read: `link` (every rule, the fixes file, review
  lists) against the key diff it replaces (set differences of printed keys between consecutive
  sheets), and its name similarity (rapidfuzz token-set ratio) against the standard library's
  difflib on the same token-set comparison, over every left x appeared pair of one state and model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise

import pandas as pd
from rapidfuzz import fuzz

from wso.publicdata.identity import words
from wso.publicdata.importer import _row_ids, import_sheets, link_sheets, read_all, shipped_sheets
from wso.store.db import make_engine
from wso.store.migrate import upgrade

SHEETS = shipped_sheets()  # ICE's four public sheets, shipped in src/wso/publicdata/data/sheets


def wso_import() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite3")
        upgrade(engine)
        start = time.perf_counter()
        import_sheets(engine=engine, paths=SHEETS, now=dt.datetime.now(dt.UTC))
        _times.append(time.perf_counter() - start)
        engine.dispose()


def read_only() -> None:
    start = time.perf_counter()
    read_all(SHEETS)
    _times.append(time.perf_counter() - start)


def pandas_baseline() -> None:
    start = time.perf_counter()
    for path in SHEETS:
        frame = pd.read_excel(path, engine="openpyxl", dtype=str)
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = frame.dropna(subset=["STATE"])
        frame["SUPPORT TYPE"] = frame["SUPPORT TYPE"].str.strip()
        frame.groupby("SUPPORT TYPE").size()
        frame.groupby(["STATE", "SUPPORT TYPE"]).size()
    _times.append(time.perf_counter() - start)


_times: list[float] = []
_read = read_all(SHEETS)[0]


def identity_link() -> None:
    start = time.perf_counter()
    link_sheets(_read)
    _times.append(time.perf_counter() - start)


def key_diff() -> None:
    start = time.perf_counter()
    for kind in ("participating", "pending"):
        keyed = [set(_row_ids(s)) for s in sorted(_read, key=lambda s: (s.as_of, s.part)) if s.kind == kind]
        for before, after in pairwise(keyed):
            _ = (after - before, before - after)
    _times.append(time.perf_counter() - start)


def _pairs() -> list[tuple[str, str]]:
    ordered = sorted((s for s in _read if s.kind == "participating"), key=lambda s: s.as_of)
    pairs = []
    for before, after in pairwise(ordered):
        old = dict(zip(_row_ids(before), before.rows, strict=True))
        new = dict(zip(_row_ids(after), after.rows, strict=True))
        gone = [old[k] for k in old if k not in new]
        fresh = [new[k] for k in new if k not in old]
        pairs += [(g.agency, n.agency) for g in gone for n in fresh if (g.state, g.model) == (n.state, n.model)]
    return pairs


_PAIRS = _pairs()


def _difflib_token_set(a: str, b: str) -> float:
    """rapidfuzz's token-set ratio written with difflib (the standard-library alternative)."""
    x, y = set(words(a).split()), set(words(b).split())
    common = " ".join(sorted(x & y))
    one, two = (common + " " + " ".join(sorted(x - y))).strip(), (common + " " + " ".join(sorted(y - x))).strip()
    ratio: Callable[[str, str], float] = lambda p, q: 100 * difflib.SequenceMatcher(None, p, q).ratio()  # noqa: E731
    return max(ratio(common, one), ratio(common, two), ratio(one, two))


def similarity_rapidfuzz() -> None:
    start = time.perf_counter()
    for a, b in _PAIRS:
        fuzz.token_set_ratio(words(a), words(b))
    _times.append(time.perf_counter() - start)


def similarity_difflib() -> None:
    start = time.perf_counter()
    for a, b in _PAIRS:
        _difflib_token_set(a, b)
    _times.append(time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, "
        f"Python {platform.python_version()}, {platform.system()}"
    )
    print(f"sheets: {len(SHEETS)} files, {sum(p.stat().st_size for p in SHEETS) / 1024:.0f} KiB")
    print(f"identity: {len(_PAIRS)} left x appeared name pairs of one state and model")
    runs = (
        ("wso import (SQLite, 1 transaction)", wso_import),
        ("read+validate only", read_only),
        ("pandas read_excel+groupby", pandas_baseline),
        ("identity link (rules, fixes, review)", identity_link),
        ("baseline: printed-key diff only", key_diff),
        ("name similarity, rapidfuzz", similarity_rapidfuzz),
        ("name similarity, difflib", similarity_difflib),
    )
    for name, run in runs:
        _times.clear()
        for _ in range(repeat):
            run()
        print(f"{name:38s} median {statistics.median(_times):6.3f} s   min {min(_times):6.3f} s   (n={repeat})")


if __name__ == "__main__":
    main()
