"""What every rule returns: a decision, and the cited reasons for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from wso.params import ParamValue

Modality = Literal["must", "should"]
MODALITIES: tuple[str, ...] = ("must", "should")


@dataclass(frozen=True)
class Reason:
    """One step of a decision, with the rule it applies and the parameters it used.

    `source` and `confidence` are the rule's own (PROGRAM.md); `params` name each parameter
    used and the dated or template version of it, so counsel can trace a number to its text.
    `modality` is the force the text gives the rule (PROGRAM.md, Modality): an unsatisfied `must`
    reason is a violation (the answer is no, or a remedy is demanded); an unsatisfied `should`
    reason is a departure ("shall make every effort", "generally", "where practicable"): shown
    and counted apart, never a refusal.
    """

    rule: str
    text: str
    source: str
    confidence: str
    params: tuple[ParamValue, ...] = ()
    satisfied: bool = True  # False: this reason is why the answer is no (or why something is late)
    modality: Modality = "must"

    def __post_init__(self) -> None:
        if self.modality not in MODALITIES:
            raise ValueError(
                f"reason for {self.rule}: modality {self.modality!r} is not one of {', '.join(MODALITIES)}"
            )

    @property
    def violation(self) -> bool:
        """An unsatisfied `must`: the law is broken, so the decision cannot be allowed."""
        return not self.satisfied and self.modality == "must"

    @property
    def departure(self) -> bool:
        """An unsatisfied `should`: shown and counted apart, with room for the reason; never a refusal."""
        return not self.satisfied and self.modality == "should"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "text": self.text,
            "satisfied": self.satisfied,
            "modality": self.modality,
            "source": self.source,
            "confidence": self.confidence,
            "params": [p.to_dict() for p in self.params],
        }


@dataclass(frozen=True)
class Deadline:
    """An instant by which something must happen; `binding` marks the one that governs."""

    name: str
    due: datetime
    rule: str
    binding: bool = True
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "due": self.due.isoformat(),
            "rule": self.rule,
            "binding": self.binding,
            "description": self.description,
        }


@dataclass(frozen=True)
class Action:
    """Something a person must do, by when (None: at once or no fixed time), and why."""

    name: str
    rule: str
    due: datetime | None = None
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rule": self.rule,
            "due": self.due.isoformat() if self.due else None,
            "description": self.description,
        }


@dataclass(frozen=True)
class Decision:
    """The answer to one question at one instant: allowed or refused, and everything that follows.

    `status` is a short word for the answer where yes/no is too coarse ("certified",
    "retake_allowed", "in_force", "suspended", "forbids"...); `values` carries computed
    figures (a cost, a score) for the shell to render.

    A decision is a value (issue 11, item 7): reasons, deadlines and actions are kept as tuples and
    `values` as a read-only copy of the mapping given, so no caller can change a decision another
    caller holds, nor the rule's own lists after the fact.

    A decision cannot contradict its reasons (issue 10, item 5): building one that is allowed
    while a `must` reason is unsatisfied raises `ContradictoryDecision`, so no rule, however
    written, can approve what one of its own reasons forbids.
    """

    question: str
    allowed: bool
    reasons: tuple[Reason, ...]
    status: str = ""
    deadlines: tuple[Deadline, ...] = ()
    actions: tuple[Action, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", tuple(self.reasons))
        object.__setattr__(self, "deadlines", tuple(self.deadlines))
        object.__setattr__(self, "actions", tuple(self.actions))
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        if self.allowed and self.violations:
            broken = ", ".join(dict.fromkeys(r.rule for r in self.violations))
            raise ContradictoryDecision(f"{self.question}: allowed although must reason(s) {broken} are unsatisfied")

    @property
    def violations(self) -> tuple[Reason, ...]:
        """Unsatisfied `must` reasons: each is a finding, and any one makes the answer no."""
        return tuple(r for r in self.reasons if r.violation)

    @property
    def departures(self) -> tuple[Reason, ...]:
        """Unsatisfied `should` reasons: departures, counted apart from violations."""
        return tuple(r for r in self.reasons if r.departure)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of every rule that shaped the decision, in order, each once."""
        seen: dict[str, None] = {}
        for item in (*self.reasons, *self.deadlines, *self.actions):
            seen.setdefault(item.rule, None)
        return tuple(seen)

    @property
    def binding_deadline(self) -> Deadline | None:
        binding = [d for d in self.deadlines if d.binding]
        return min(binding, key=lambda d: d.due) if binding else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "allowed": self.allowed,
            "status": self.status,
            "rule_ids": list(self.rule_ids),
            "reasons": [r.to_dict() for r in self.reasons],
            "violations": len(self.violations),
            "departures": len(self.departures),
            "deadlines": [d.to_dict() for d in self.deadlines],
            "actions": [a.to_dict() for a in self.actions],
            "values": {k: _plain(v) for k, v in self.values.items()},
        }


def without_violation(reasons: tuple[Reason, ...] | list[Reason]) -> bool:
    """True when no `must` reason is unsatisfied: how a rule computes `allowed` from its reasons."""
    return not any(r.violation for r in reasons)


class ContradictoryDecision(AssertionError):
    """A rule tried to allow what one of its own `must` reasons forbids: a bug in that rule."""


class InvalidFacts(ValueError):
    """Facts no rule can decide on (a score of 140 %, an exigent date with no reason): names the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value
