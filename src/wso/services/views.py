"""What services return, the part every area shares: the `View` base, `plain`, `native`, and the
brief form of a decision a list row shows (DecisionBrief). Each area's own views live beside its
service (`wso.<area>.views`).

Plain data (no ORM objects escape a unit of work), so the API serialises them with `to_dict()`
and pages render them directly. A view's decisions are computed "as of" the `at` of the call.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any

from wso.rules.decision import Decision, Reason

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset({str, int, float, bool, type(None)})
_NATIVE: set[type] = set()  # views made of scalars, instants and such views only (see `native`)


def plain(value: Any, *, instants: bool = False) -> Any:
    """A view, decision, instant or collection as JSON-ready values.

    `instants=True` keeps a view's own datetimes as they are, for a JSON encoder that writes them
    itself (the API's pydantic-core: "2026-11-02T15:15:00Z"); decisions render theirs as text.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, Decision):
        return value.to_dict()
    if instants and kind in _NATIVE:
        return value  # pydantic-core writes it as it is: same JSON, a tenth of the Python calls
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        # Field names once per class: a roster of 80 officers renders some 2,000 dataclasses.
        names = _FIELD_NAMES.setdefault(kind, tuple(f.name for f in fields(value)))
    if names is not None:
        return {name: plain(getattr(value, name), instants=instants) for name in names}
    if isinstance(value, datetime):
        return value if instants else value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v, instants=instants) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, instants=instants) for k, v in value.items()}
    return value


class View:
    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def native(kind: type) -> type:
    """Mark a view whose fields are only scalars, instants, tuples of them and other native views:
    `plain(..., instants=True)` hands it to pydantic-core as it is (no Decision to convert), which
    writes the same JSON without a Python call per field (a roster of 80 rows is some 6,000 values)."""
    _NATIVE.add(kind)
    return kind


@native
@dataclass(frozen=True)
class ReasonBrief(View):
    """A reason as a list shows it: its rule and its sentence (source and parameters are on the record's page)."""

    rule: str
    text: str
    modality: str  # "must": a violation; "should": a departure, never a refusal


@native
@dataclass(frozen=True)
class DeadlineBrief(View):
    """The deadline that governs a decision (its binding one)."""

    name: str
    due: datetime
    rule: str


@native
@dataclass(frozen=True)
class DecisionBrief(View):
    """A decision as a list shows it: the answer, the rules that shaped it, what is unmet and by when.

    Why not the whole Decision: a list row carrying every reason with its source and parameters
    weighed 5.7 KB per officer (457 KB for a roster of 80) and its JSON cost more CPU than the
    rules themselves (issue 11, item 6). The full reasons stay on the record's own view
    (`GET /officers/{id}`, the officer's page); `rule_ids` says which rules to look up there.
    """

    question: str
    allowed: bool
    status: str
    rule_ids: tuple[str, ...]
    violations: int  # unsatisfied must reasons
    departures: int  # unsatisfied should reasons: shown and counted apart, never a refusal
    unmet: tuple[ReasonBrief, ...]  # the unsatisfied reasons: why the answer is no, or what is late
    deadline: DeadlineBrief | None  # the binding deadline, if the decision has one

    @classmethod
    def of(cls, decision: Decision) -> DecisionBrief:
        unmet = tuple(_brief(r) for r in decision.reasons if not r.satisfied)
        binding = decision.binding_deadline
        return cls(
            question=decision.question,
            allowed=decision.allowed,
            status=decision.status,
            rule_ids=decision.rule_ids,
            violations=sum(1 for r in unmet if r.modality == "must"),
            departures=sum(1 for r in unmet if r.modality == "should"),
            unmet=unmet,
            deadline=DeadlineBrief(name=binding.name, due=binding.due, rule=binding.rule) if binding else None,
        )


def _brief(reason: Reason) -> ReasonBrief:
    return ReasonBrief(rule=reason.rule, text=reason.text, modality=reason.modality)
