"""The legal numbers the audit needs, read from a ParamSet (never typed in code).

Why a module: the Ibis rule set takes plain numbers keyed by template or by start date, so the same
expressions run under the shipped parameters and under a what-if ParamSet (`--set`). Each number
keeps its reference, which findings cite as their source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from wso.params import TEMPLATES, NotInForce, ParamSet
from wso.params.catalog import default_catalog
from wso.params.state_laws import StateLaw, default_state_laws

Dated = tuple[tuple[int, Any], ...]  # (start as UTC epoch seconds, value), oldest first


@dataclass(frozen=True)
class Thresholds:
    """The numbers of one audit run and where each comes from."""

    max_hours: dict[str, Any]
    citizenship_report_hours: dict[str, Any]
    complaint_notice_hours: dict[str, Any]
    non_designated_forward_hours: dict[str, Any]
    ice_notification_minutes: Dated
    i247a_hold_hours: Dated
    cfr_287_7_hours: Dated
    forbidding_laws: tuple[StateLaw, ...]
    sources: dict[str, str] = field(default_factory=dict)


def _templates(params: ParamSet, name: str) -> tuple[dict[str, Any], str]:
    values: dict[str, Any] = {}
    refs: list[str] = []
    for template in TEMPLATES:
        try:
            value = params.for_template(name, template)
        except NotInForce:
            continue
        values[template] = value.value
        refs.append(
            f"{name} ({template}): {value.reference}, confidence {value.confidence}"
            + (" [what-if override]" if value.overridden else "")
        )
    return values, "; ".join(refs)


def _dated(params: ParamSet, name: str) -> tuple[Dated, str]:
    parameter = params.parameter(name)
    rows = tuple((_epoch(start), value.value) for start, value in parameter.dated)
    refs = "; ".join(
        f"{name} from {v.version}: {v.reference}, confidence {v.confidence}"
        + (" [what-if override]" if v.overridden else "")
        for _, v in parameter.dated
    )
    return rows, refs


def _epoch(day: date) -> int:
    """A dated parameter holds from the UTC day it names (ParamSet.at reads a UTC instant's date)."""
    return int(datetime.combine(day, time(0), tzinfo=UTC).timestamp())


def thresholds_from(params: ParamSet, *, laws: tuple[StateLaw, ...] | None = None) -> Thresholds:
    """Every number the audit uses, from `params` (shipped or overridden)."""
    max_hours, r_h5 = _templates(params, "hold.max_hours")
    cit, r_h7 = _templates(params, "hold.citizenship_report_hours")
    c1, r_c1 = _templates(params, "complaints.ice_notification_hours")
    c2, r_c2 = _templates(params, "complaints.non_designated_forward_hours")
    h4, r_h4 = _dated(params, "hold.ice_notification_minutes")
    i247, r_i247 = _dated(params, "detainers.i247a_hold_hours")
    cfr, r_cfr = _dated(params, "detainers.cfr_287_7_hours")
    forbidding = tuple(
        law
        for law in (laws if laws is not None else default_state_laws())
        if law.effect == "forbids" and "WSO" in law.models
    )
    catalog = default_catalog()

    def src(rule: str, *refs: str) -> str:
        entry = catalog.get(rule)
        head = f"{rule}: PROGRAM.md {entry.source} (confidence {entry.confidence})" if entry else rule
        return " | ".join([head, *[r for r in refs if r]])

    sources = {
        "H3": src("H3", "the agency's release standard (release_standard_minutes; none recorded = 0)"),
        "H4": src("H4", r_h4),
        "H5": src("H5", r_h5),
        "H6": src("H6"),
        "H7": src("H7", r_h7),
        "H8": src("H8", r_i247, r_cfr),
        "H9": src(
            "H9", "; ".join(f"{law.law} ({law.state}, from {law.effective}): {law.source}" for law in forbidding)
        ),
        "O4": src("O4"),
        "O5": src("O5"),
        "A4": src("A4"),
        "C1": src("C1", r_c1),
        "C2": src("C2", r_c2),
    }
    return Thresholds(max_hours, cit, c1, c2, h4, i247, cfr, forbidding, sources)


def forbidden_windows(thresholds: Thresholds, *, pairs: list[tuple[str, str]]) -> list[tuple[str, str, int, int]]:
    """H9: for each (state, timezone) the merged spans [from, until) of local days on which a law forbids
    WSO holds, as UTC epoch seconds (local midnights). Open-ended laws run to a far future day."""
    far = date(9999, 1, 1)
    windows: list[tuple[str, str, int, int]] = []
    for state, tz in sorted(set(pairs)):
        spans = sorted((law.effective, law.ends or far) for law in thresholds.forbidding_laws if law.state == state)
        merged: list[list[date]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            windows.append((state, tz, _local_midnight(start, tz), _local_midnight(min(end, date(9000, 1, 1)), tz)))
    return windows


def _local_midnight(day: date, tz: str) -> int:
    from wso.rules.clock import zone

    local = datetime.combine(day, time(0)).replace(tzinfo=zone(tz))
    return int((local.astimezone(UTC)).timestamp())
