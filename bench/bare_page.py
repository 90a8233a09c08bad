"""The baseline of bench/roster.py: the barest honest FastAPI + SQLAlchemy + Jinja2 page.

One route that reads 100 rows of one table with SQLAlchemy Core and renders them with a Jinja2
template into an HTML table, served by one uvicorn process like `wso serve`. No authentication,
no access log, no rules: what a list page costs with this stack before any of our work.
Run by bench/roster.py with BENCH_DATABASE_URL naming the PostgreSQL database.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, select

metadata = MetaData()
rows_table = Table(
    "bench_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200)),
    Column("badge", String(64)),
    Column("status", String(32)),
    Column("updated_at", DateTime(timezone=True)),
)

PAGE = Environment(autoescape=True).from_string(
    "<!doctype html><title>Rows</title><table><tr><th>Name</th><th>Badge</th><th>Status</th><th>Updated</th></tr>"
    "{% for r in rows %}<tr><td>{{ r.name }}</td><td>{{ r.badge }}</td><td>{{ r.status }}</td>"
    "<td>{{ r.updated_at.isoformat() }}</td></tr>{% endfor %}</table>"
)

app = FastAPI()
engine = create_engine(os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))


@app.get("/", response_class=HTMLResponse)
def page() -> HTMLResponse:
    """100 rows, one query, one template: the same thread pool as our synchronous routes."""
    with engine.connect() as conn:
        rows = conn.execute(select(rows_table).order_by(rows_table.c.name).limit(100)).all()
    return HTMLResponse(PAGE.render(rows=rows))
