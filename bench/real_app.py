"""The real application for bench/holds.py, served by uvicorn exactly like the bare baseline."""

from __future__ import annotations

import os

from wso.web.app import create_app

app = create_app(os.environ["BENCH_DATABASE_URL"])
