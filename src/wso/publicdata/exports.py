"""Agreements as tables for journalists and researchers: CSV (any spreadsheet) and Parquet (pandas, R, DuckDB)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pandas as pd

from wso.publicdata.tables import Agreement

COLUMNS = (
    "id", "state", "agency", "agency_id", "agency_type", "county", "support_type", "model", "signed_on",
    "signed_as_typed", "moa", "moa_url", "addendum", "addendum_url", "listed_pending", "first_seen", "last_seen",
    "status", "status_since", "related_id", "flags", "state_law_on_signing",
)  # fmt: skip
DATE_COLUMNS = ("signed_on", "first_seen", "last_seen", "status_since")
CHANGE_COLUMNS = (
    "list", "from", "to", "class", "agreement_id", "related_id",
    *(f"{side}_{name}" for side in ("before", "after")
      for name in ("sheet", "row", "agency", "county", "signed", "moa", "moa_url")),
    "evidence", "fix",
)  # fmt: skip


def agreements_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """A frame with one row per agreement; dates typed as dates (a year 5025 stays as read)."""
    # Python dates, not pandas timestamps: pandas timestamps end in 2262 and ICE typed 5025.
    typed = [{**r, **{c: dt.date.fromisoformat(r[c]) if r[c] else None for c in DATE_COLUMNS}} for r in rows]
    return pd.DataFrame(typed, columns=list(COLUMNS)).astype(dict.fromkeys(DATE_COLUMNS, object))


def to_csv(rows: Sequence[dict[str, Any]]) -> bytes:
    return agreements_frame(rows).to_csv(index=False).encode("utf-8")


def to_parquet(rows: Sequence[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = agreements_frame(rows)
    schema = pa.schema(
        [
            (c, pa.date32() if c in DATE_COLUMNS else pa.bool_() if c == "listed_pending" else pa.string())
            for c in COLUMNS
        ]
    )
    # One thread: pyarrow thread pools can abort the process at exit (apache/arrow#34314).
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False, nthreads=1)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def rows_of(agreements: Sequence[Agreement]) -> list[dict[str, Any]]:
    from wso.publicdata.reports import agreement_row

    return [agreement_row(a) for a in agreements]
