"""D3: data minimization by design: no table stores race, ethnicity, national origin, religion or
an immigration-status assessment of anyone."""

from __future__ import annotations

from wso.store import models  # noqa: F401  (registers every table)
from wso.store.base import Base

FORBIDDEN_WORDS = (
    "race",
    "ethnic",
    "national_origin",
    "nationality",
    "religion",
    "immigration_status",
    "status_assessment",
    "country_of_birth",
)


def test_D3_no_column_of_any_table_holds_a_forbidden_attribute() -> None:
    assert Base.metadata.tables, "no tables registered: the store did not load"
    offending = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if any(word in column.name.lower() for word in FORBIDDEN_WORDS)
    ]
    assert offending == []
