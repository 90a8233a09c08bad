"""Where hold and complaint records come from: Parquet or CSV files (DuckDB, embedded, the default),
a live PostgreSQL or SQLite database, or a local or remote Spark session.

Why one opener: the rule set is engine-neutral Ibis; only opening the records differs. Database
sources read the tables `audit_holds` and `audit_complaints` (see `load.py` and docs/audit.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from wso.audit.schema import COMPLAINT_COLUMNS, HOLD_COLUMNS
from wso.audit.validate import RowError, read_csv

HOLDS_TABLE, COMPLAINTS_TABLE = "audit_holds", "audit_complaints"
ENGINES = ("duckdb", "spark")


class SourceError(ValueError):
    """The source names nothing the audit can read; says what was expected."""


@dataclass
class Source:
    """Opened records: the engine connection, the raw tables and errors found while reading files."""

    con: Any
    holds: ir.Table
    complaints: ir.Table | None
    description: str
    read_errors: list[RowError] = field(default_factory=list)
    # Spark and SQLite have no zoned timestamp type: their instants are UTC by contract (load.py).
    naive_means_utc: bool = False


def is_database_url(text: str) -> bool:
    return text.split("://", 1)[0].split("+", 1)[0] in ("postgresql", "postgres", "sqlite")


def open_source(source: str, *, engine: str = "duckdb", spark: Any = None) -> Source:
    """Open `source`: a DB URL, a directory holding holds.parquet|csv (and complaints.*), or one file."""
    if engine not in ENGINES:
        raise SourceError(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
    if is_database_url(source):
        return _open_database(source)
    path = Path(source)
    if path.is_dir():
        holds = _first(path, "holds")
        if holds is None:
            raise SourceError(f"--source: {path} holds no holds.parquet or holds.csv")
        complaints = _first(path, "complaints")
    elif path.is_file():
        holds, complaints = path, None
    else:
        raise SourceError(f"--source: {source!r} is neither a database URL nor an existing file or directory")
    con = _spark_connection(spark) if engine == "spark" else ibis.duckdb.connect()
    errors: list[RowError] = []
    h = _read(con, holds, "holds", errors)
    c = _read(con, complaints, "complaints", errors) if complaints is not None else None
    return Source(con, h, c, f"{engine}: {path}", errors, naive_means_utc=engine == "spark")


def _first(directory: Path, stem: str) -> Path | None:
    for suffix in (".parquet", ".csv"):
        candidate = directory / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _read(con: Any, path: Path, kind: str, errors: list[RowError]) -> ir.Table:
    if path.suffix == ".parquet":
        return con.read_parquet(str(path))
    if path.suffix == ".csv":
        columns = HOLD_COLUMNS if kind == "holds" else COMPLAINT_COLUMNS
        table, read_errors = read_csv(path, columns, kind=kind)
        errors.extend(read_errors)
        return ibis.memtable(table)
    raise SourceError(f"--source: {path.name}: expected a .parquet or .csv file")


def _open_database(url: str) -> Source:
    scheme = url.split("://", 1)[0]
    if scheme.startswith("sqlite"):
        con = ibis.sqlite.connect(url.split(":///", 1)[1] if ":///" in url else ":memory:")
    else:
        con = ibis.connect("postgres://" + url.split("://", 1)[1])
    tables = set(con.list_tables())
    if HOLDS_TABLE not in tables and "holds" in tables:
        return _open_live(url)
    if HOLDS_TABLE not in tables:
        raise SourceError(
            f"--source: the database has neither {HOLDS_TABLE} (see `wso audit load`) nor the holds area's tables"
        )
    complaints = con.table(COMPLAINTS_TABLE) if COMPLAINTS_TABLE in tables else None
    safe = url.split("@")[-1]
    return Source(
        con, con.table(HOLDS_TABLE), complaints, f"database: {safe}", naive_means_utc=scheme.startswith("sqlite")
    )


def _spark_connection(spark: Any) -> Any:
    return ibis.pyspark.connect(spark if spark is not None else local_spark())


def local_spark(cores: int = 2, *, java_options: str | None = None) -> Any:
    """A small local Spark session in UTC (kept small: the audit's Spark test runs in `make test`).

    `java_options` go to the driver's JVM when this call starts it: the test passes a quick-start JIT for its
    small data; a real audit keeps the JVM's defaults, which pay off over a long run."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("wso-audit")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.driver.memory", "1g")
    )
    if java_options:
        builder = builder.config("spark.driver.extraJavaOptions", java_options)
    return builder.getOrCreate()


def _open_live(url: str) -> Source:
    """A live wso database: its holds flattened from the ledger by the holds area's fold (flatten.py),
    audited on the embedded engine, beside its complaints (flatten_complaints: C1/C2)."""
    from wso.audit.flatten import flatten, flatten_complaints
    from wso.store.uow import Store

    store = Store(url)
    try:
        holds = flatten(store)
        complaints = flatten_complaints(store)
    finally:
        store.dispose()
    return Source(
        ibis.duckdb.connect(), ibis.memtable(holds), ibis.memtable(complaints), f"live ledger: {url.split('@')[-1]}"
    )
