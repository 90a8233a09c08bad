"""The baselines of bench/holds.py: the same stack with nothing of ours in it.

(a) GET /bare/board: FastAPI + SQLAlchemy + Jinja2 rendering 100 rows of a plain table (no auth,
    no rules, no session), ordered by a deadline, from PostgreSQL.
(b) POST /bare/insert: one plain INSERT of a row in one transaction.
Run by uvicorn: `BENCH_DATABASE_URL=... uvicorn bench.bare_app:app`.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy import DateTime, String, create_engine, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class BareHold(Base):
    __tablename__ = "bench_bare_holds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_name: Mapped[str] = mapped_column(String(200))
    booking_number: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    scheduled_release_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    next_action: Mapped[str] = mapped_column(String(64))


class BareEvent(Base):
    __tablename__ = "bench_bare_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stream: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[str] = mapped_column(String(2000))


PAGE = Environment(autoescape=True).from_string("""<!doctype html><html><head><title>holds</title></head><body>
<table><thead><tr><th>Person</th><th>Booking</th><th>Status</th><th>Release</th><th>Deadline</th><th>Next</th></tr></thead>
<tbody>{% for h in holds %}<tr><td>{{ h.person_name }}</td><td>{{ h.booking_number }}</td><td>{{ h.status }}</td>
<td>{{ h.scheduled_release_at.isoformat() }}</td>
<td>{{ h.deadline_at.isoformat() }}</td><td>{{ h.next_action }}</td></tr>
{% endfor %}</tbody></table></body></html>""")

url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
engine = create_engine(url, pool_size=int(os.environ.get("BENCH_POOL", "20")), max_overflow=40)
app = FastAPI()


@app.get("/bare/board", response_class=HTMLResponse)
def board() -> str:
    with engine.connect() as conn:
        rows = conn.execute(select(BareHold).order_by(BareHold.deadline_at).limit(100)).all()
    return PAGE.render(holds=rows)


@app.post("/bare/insert", status_code=201)
def insert_one() -> dict[str, str]:
    new_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            insert(BareEvent).values(
                id=new_id, stream=f"bare:{new_id}", at=datetime.now(UTC), payload='{"type":"note"}'
            )
        )
    return {"id": new_id}
