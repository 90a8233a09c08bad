"""docs/audit.md shows exactly the schemas of src/wso/audit/schema.py (the single source)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from wso.audit.schema import COMPLAINT_COLUMNS, HOLD_COLUMNS, arrow_schema, with_schema_docs
from wso.audit.synth import write_synthetic

DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


def test_docs_audit_md_shows_the_current_schemas() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text == with_schema_docs(text), "refresh with: python -m wso.audit.schema docs/audit.md"
    for column in HOLD_COLUMNS + COMPLAINT_COLUMNS:
        assert f"| `{column.name}` |" in text


def test_synthetic_records_have_exactly_the_schemas_and_no_protected_attribute_D3(tmp_path: Path) -> None:
    write_synthetic(count=200, seed=3, out=tmp_path)
    assert pq.read_schema(tmp_path / "holds.parquet").remove_metadata() == arrow_schema(HOLD_COLUMNS)
    assert pq.read_schema(tmp_path / "complaints.parquet").remove_metadata() == arrow_schema(COMPLAINT_COLUMNS)
    names = {c.name for c in HOLD_COLUMNS + COMPLAINT_COLUMNS}
    assert not names & {"race", "ethnicity", "national_origin", "religion", "immigration_status", "person_name"}
