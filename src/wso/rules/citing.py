"""Building reasons: each one names its rule id, and takes source and confidence from the catalog."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wso.params import ParamValue
from wso.params.catalog import default_catalog
from wso.rules.decision import Reason


def cite(
    rule: str, text: str, *params: ParamValue, satisfied: bool = True, modality: str | None = None
) -> Reason:
    """A reason for rule `rule`; with parameters, their references are the source that counts."""
    entry = default_catalog()[rule]
    source = "; ".join(dict.fromkeys(p.reference for p in params)) if params else entry.source
    confidence = _weakest([entry.confidence, *(p.confidence for p in params)])
    return Reason(
        rule=rule, text=text, source=source, confidence=confidence, params=params, satisfied=satisfied,
        modality=modality or "must",
    )


def _weakest(levels: list[str]) -> str:
    """The least certain confidence among the rule's and its parameters' (H > M > L)."""
    order = {"H": 0, "design": 0, "H/M": 1, "M/H": 1, "M": 1, "L": 2}
    return max(levels, key=lambda level: order.get(level, 2))


def show(instant: datetime, tz: str = "UTC") -> str:
    """An instant as the facility reads it: local time with its offset."""
    return instant.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes")
