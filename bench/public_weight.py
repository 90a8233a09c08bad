"""Bytes transferred and load time of the public pages, first visit, in headless Chromium (issue 15, item 8).

Imports the shipped ICE sheets into a fresh SQLite database, serves the app with uvicorn on 127.0.0.1 (in this
process, like the browser tests) and opens each page in a new browser context (empty cache: a first visit).
Bytes are what crossed the wire: the sum of every response's encoded body plus headers, from Chromium's
Resource Timing (`transferSize`, which counts the gzip-compressed size when the server compressed). Load time is
navigation start to the `load` event, and to the last chart drawn: plotly.js's `.main-svg` in every `.plotly-chart`
(main before the server-side SVG charts), or at once when the charts are SVG in the HTML (no `.plotly-chart`), so
the same script measures both. "first" is the server's answer on the first visit of the page after the server
started (nothing remembered yet for it: memo.py); the medians include it.

    PYTHONPATH=src:. .venv/bin/python bench/public_weight.py --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from tests.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, LiveServer
from tests.paths import ICE_SHEETS
from wso.publicdata.importer import import_sheets
from wso.store.db import make_engine
from wso.store.migrate import upgrade

PAGES = ("/public", "/public/states/FL")

_MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const all = [nav, ...res];
  return {
    transfer: all.reduce((s, e) => s + (e.transferSize || 0), 0),
    decoded: all.reduce((s, e) => s + (e.decodedBodySize || 0), 0),
    load_ms: nav.loadEventEnd - nav.startTime,
    server_ms: nav.responseStart - nav.requestStart,
    html_transfer: nav.transferSize,
    requests: all.length,
    largest: res.map(e => [e.name.replace(location.origin, ''), e.transferSize, e.decodedBodySize])
               .sort((a, b) => b[1] - a[1]).slice(0, 3),
  };
}"""


def measure(base_url: str, path: str, browser: object) -> dict[str, object]:
    """One first visit: a fresh context (no cache), the page loaded and its charts drawn."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    started = time.perf_counter()
    page.goto(base_url + path, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-chart')].every(d => d.querySelector('.main-svg'))",
        timeout=30_000,
    )
    charts_s = time.perf_counter() - started
    result = page.evaluate(_MEASURE)
    result["charts_drawn_s"] = charts_s
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at start")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'wso.sqlite3'}"
        engine = make_engine(url)
        try:
            upgrade(engine)
            import_sheets(engine=engine, paths=sorted(ICE_SHEETS.glob("*.xlsx")), now=dt.datetime.now(dt.UTC))
        finally:
            engine.dispose()
        server = LiveServer(url)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
                cold = measure(server.base_url, PAGES[0], browser)  # warms the server (templates, engine, memo)
                print(
                    f"{PAGES[0]} right after start (server cold): load event {cold['load_ms'] / 1000:.3f} s,"
                    f" server answered in {cold['server_ms'] / 1000:.3f} s"
                )
                for path in PAGES:
                    runs = [measure(server.base_url, path, browser) for _ in range(args.repeat)]
                    load = statistics.median(r["load_ms"] for r in runs) / 1000  # type: ignore[misc]
                    drawn = statistics.median(r["charts_drawn_s"] for r in runs)  # type: ignore[misc]
                    answer = statistics.median(r["server_ms"] for r in runs) / 1000  # type: ignore[misc]
                    last = runs[-1]
                    print(
                        f"{path}: transferred {last['transfer'] / 1e6:.3f} MB (decoded {last['decoded'] / 1e6:.3f} MB,"
                        f" {last['requests']} requests, HTML {last['html_transfer'] / 1e3:.1f} kB);"
                        f" load event {load:.3f} s"
                        f" (server answered in {answer:.3f} s, first {runs[0]['server_ms'] / 1000:.3f} s),"
                        f" charts drawn {drawn:.3f} s (median of {args.repeat}); largest {last['largest']}"
                    )
                browser.close()
            print(f"load average {os.getloadavg()[0]:.1f} at the end")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
