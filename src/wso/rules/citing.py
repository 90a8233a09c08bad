"""Building reasons: each one names its rule id, and takes source and confidence from the catalog."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from wso.params import ParamValue
from wso.params.catalog import RuleEntry, default_catalog
from wso.params.loader import TEMPLATES
from wso.rules.decision import Modality, Reason


def cite(
    rule: str,
    text: str,
    *params: ParamValue,
    satisfied: bool = True,
    modality: Modality | None = None,
    template: str | None = None,
) -> Reason:
    """A reason for rule `rule`; with parameters, their references are the source that counts.

    The modality (must/should), unless given, comes from the data: a parameter whose clause has
    its own force (C3's "It is expected ... within 90 days" is should), else the catalog's entry
    for the agreement's template (A7), taken from `template` or from a template parameter's version.
    """
    source, confidence, modality = _cited(rule, params, modality, template)
    return Reason(
        rule=rule,
        text=text,
        source=source,
        confidence=confidence,
        params=params,
        satisfied=satisfied,
        modality=modality,
    )


# (rule, modality, template, ids of the params) -> (source, confidence, modality, the params themselves).
# The catalog and the parameters are immutable data, so what a citation takes from them is worked out
# once per combination: a roster of 80 officers cites some 1,500 reasons per request (issue 11 item 6).
# The params are kept in the value, so their ids cannot be reused while cached; bounded for ParamSets
# built with overrides (tests, what-if), whose values are new objects.
_CITED: dict[tuple[Any, ...], tuple[str, str, Modality, tuple[ParamValue, ...]]] = {}
_CITED_MAX = 4096


def _cited(
    rule: str, params: tuple[ParamValue, ...], modality: Modality | None, template: str | None
) -> tuple[str, str, Modality]:
    key = (rule, modality, template, *map(id, params))
    hit = _CITED.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[3], params, strict=True)):
        return hit[0], hit[1], hit[2]
    entry = default_catalog()[rule]
    source = "; ".join(dict.fromkeys(p.reference for p in params)) if params else entry.source
    confidence = _weakest([entry.confidence, *(p.confidence for p in params)])
    chosen = modality if modality is not None else _modality(entry, params, template)
    if len(_CITED) >= _CITED_MAX:
        _CITED.clear()
    _CITED[key] = (source, confidence, chosen, params)
    return source, confidence, chosen


def _modality(entry: RuleEntry, params: tuple[ParamValue, ...], template: str | None) -> Modality:
    own = [p.modality for p in params if p.modality is not None]
    if own:
        return "must" if "must" in own else "should"  # the stronger force wins if two clauses differ
    if template is None:
        template = next((p.version for p in params if p.version in TEMPLATES), None)
    return entry.modality_for(template)  # type: ignore[return-value]


def _weakest(levels: list[str]) -> str:
    """The least certain confidence among the rule's and its parameters' (H > M > L)."""
    order = {"H": 0, "design": 0, "H/M": 1, "M/H": 1, "M": 1, "L": 2}
    return max(levels, key=lambda level: order.get(level, 2))


def show(instant: datetime, tz: str = "UTC") -> str:
    """An instant as the facility reads it: local time with its offset."""
    return instant.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes")
