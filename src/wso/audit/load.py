"""Load hold and complaint records (Parquet or CSV) into a PostgreSQL or SQLite database as the tables
`audit_holds` and `audit_complaints`, so the same audit runs on the database engine.

Why SQLAlchemy: it is the project's database layer, and it gives PostgreSQL `timestamptz` columns.
SQLite has no zoned type: instants are stored as UTC text, the contract `sources.py` relies on.
These are export tables for audits, not part of the application's schema (no migration).
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from wso.audit.schema import COMPLAINT_COLUMNS, HOLD_COLUMNS, INSTANT, Column, arrow_schema
from wso.audit.sources import COMPLAINTS_TABLE, HOLDS_TABLE

BATCH = 5_000


def _sql_type(col: Column) -> sa.types.TypeEngine:
    if col.type == INSTANT:
        return sa.DateTime(timezone=True)
    return {pa.string(): sa.Text(), pa.int64(): sa.BigInteger(), pa.bool_(): sa.Boolean()}[col.type]


def table_for(name: str, columns: tuple[Column, ...], metadata: sa.MetaData) -> sa.Table:
    return sa.Table(name, metadata, *[sa.Column(c.name, _sql_type(c), nullable=not c.required) for c in columns])


def load_records(url: str, directory: Path) -> dict[str, int]:
    """Replace the audit tables of the database at `url` with the records in `directory`."""
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    )
    counts: dict[str, int] = {}
    try:
        metadata = sa.MetaData()
        for stem, name, columns in (
            ("holds", HOLDS_TABLE, HOLD_COLUMNS),
            ("complaints", COMPLAINTS_TABLE, COMPLAINT_COLUMNS),
        ):
            path = directory / f"{stem}.parquet"
            if not path.exists():
                continue
            table = table_for(name, columns, metadata)
            data = pq.read_table(path, schema=arrow_schema(columns))
            with engine.begin() as conn:
                table.drop(conn, checkfirst=True)
                table.create(conn)
                for batch in data.to_batches(BATCH):
                    rows = batch.to_pylist()
                    if engine.dialect.name == "sqlite":
                        rows = [
                            {
                                k: (
                                    v.astimezone(UTC).replace(tzinfo=None)
                                    if hasattr(v, "tzinfo") and v is not None and not isinstance(v, (bool, int, str))
                                    else v
                                )
                                for k, v in r.items()
                            }
                            for r in rows
                        ]
                    conn.execute(table.insert(), rows)
            counts[stem] = data.num_rows
    finally:
        engine.dispose()
    return counts
