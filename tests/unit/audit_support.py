"""Hand-made hold and complaint records for the audit's rule tests (synthetic people only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import ibis
import pyarrow as pa

from wso.audit.run import AuditResult, run_audit
from wso.audit.schema import COMPLAINT_COLUMNS, HOLD_COLUMNS, arrow_schema
from wso.audit.sources import Source
from wso.params import ParamSet, default_params

UTC = UTC
RELEASE = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)  # a Tuesday


def hold(**changes: Any) -> dict[str, Any]:
    """A lawful hold in Texas under MOA-2025: served at release, ICE told at once, transferred after 6 h."""
    row: dict[str, Any] = {c.name: None for c in HOLD_COLUMNS}
    row.update(
        booking_number="B-1",
        agency="Synthetic County Sheriff",
        facility="Synthetic Jail",
        state="TX",
        timezone="America/Chicago",
        template="MOA-2025",
        scheduled_release_at=RELEASE,
        cleared_for_release_at=RELEASE,
        release_standard_minutes=30,
        warrant_form="I-200",
        served_at=RELEASE,
        served_by="officer-1",
        officer_authorized_from=datetime(2024, 1, 1, tzinfo=UTC),
        ice_notified_at=RELEASE + timedelta(minutes=5),
        transferred_at=RELEASE + timedelta(hours=6),
        evidence_stream="hold/B-1",
        seq_cleared=1,
        seq_served=2,
        seq_ice_notified=3,
        seq_ended=4,
    )
    row.update(changes)
    return row


def complaint(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c.name: None for c in COMPLAINT_COLUMNS}
    row.update(
        complaint_id="C-1",
        agency="Synthetic County Sheriff",
        facility="Synthetic Jail",
        timezone="America/Chicago",
        template="MOA-2025",
        about_designated_officer=True,
        officer_id="officer-1",
        received_at=RELEASE,
        ice_notified_at=RELEASE + timedelta(hours=1),
        evidence_stream="complaint/C-1",
        seq_received=1,
        seq_notified=2,
    )
    row.update(changes)
    return row


def audit_rows(
    holds: list[dict[str, Any]],
    complaints: list[dict[str, Any]] | None = None,
    *,
    params: ParamSet | None = None,
    as_of: datetime | None = None,
) -> AuditResult:
    """Run the audit on DuckDB over the given rows."""
    con = ibis.duckdb.connect()
    h = ibis.memtable(pa.Table.from_pylist(holds, schema=arrow_schema(HOLD_COLUMNS)))
    c = ibis.memtable(pa.Table.from_pylist(complaints, schema=arrow_schema(COMPLAINT_COLUMNS))) if complaints else None
    source = Source(con, h, c, "test rows")
    result = run_audit(source, params=params or default_params(), as_of=as_of or datetime(2026, 6, 1, tzinfo=UTC))
    assert result.rejected == 0, [str(e) for e in result.errors]  # rule tests feed only valid rows
    return result


def found(result: AuditResult) -> list[tuple[str, str, str, int]]:
    """(booking, rule, modality, excess minutes) of every finding and departure, sorted."""
    t = result.findings
    return sorted(
        zip(
            t["booking_number"].to_pylist(),
            t["rule"].to_pylist(),
            t["modality"].to_pylist(),
            t["excess_minutes"].to_pylist(),
            strict=True,
        )
    )
