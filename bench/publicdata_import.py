"""Benchmark: importing the four shipped ICE sheets, against a vectorized pandas baseline.

    .venv/bin/python bench/publicdata_import.py [--repeat 3]

Prints, side by side in one run:
- `wso import`: read + validate + write all four sheets into a fresh SQLite database in one
  transaction, rebuild the history (what `wso publicdata import` does);
- `read+validate only`: the same reading and checking, no database;
- `pandas baseline`: `pandas.read_excel` (openpyxl engine) + strip + groupby counting agreements
  per model and state: the best honest alternative for the counting alone (no per-row
  validation, no flags, no hyperlinks, no history, nothing stored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from wso.publicdata.importer import import_sheets, read_all
from wso.store.db import make_engine
from wso.store.migrate import upgrade

SHEETS = sorted((Path(__file__).resolve().parents[2] / "shared" / "data" / "ice" / "sheets").glob("*.xlsx"))


def wso_import() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite3")
        upgrade(engine)
        start = time.perf_counter()
        import_sheets(engine=engine, paths=SHEETS, now=dt.datetime.now(dt.timezone.utc))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}, {platform.system()}")
    print(f"sheets: {len(SHEETS)} files, {sum(p.stat().st_size for p in SHEETS) / 1024:.0f} KiB")
    for name, run in (("wso import (SQLite, 1 transaction)", wso_import), ("read+validate only", read_only), ("pandas read_excel+groupby", pandas_baseline)):
        _times.clear()
        for _ in range(repeat):
            run()
        print(f"{name:38s} median {statistics.median(_times):6.3f} s   min {min(_times):6.3f} s   (n={repeat})")


if __name__ == "__main__":
    main()
