"""Imports every area's tables so that Base.metadata knows them all (Alembic, tests)."""

from __future__ import annotations

import importlib

# Each area keeps its tables in its own module; a module not yet present is skipped.
_TABLE_MODULES = (
    "wso.store.ledger",
    "wso.store.tables",
    "wso.publicdata.tables",
    "wso.holds.tables",
)

for _name in _TABLE_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:
        if exc.name != _name:
            raise
