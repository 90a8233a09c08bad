"""State law (PROGRAM.md section 8): may, must or must not an agency in a state take part (A8, H9)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wso.params import StateLaw
from wso.params.state_laws import default_state_laws
from wso.rules.decision import Decision, Reason

# Strongest effect first: a law that forbids outweighs one that restricts or requires.
EFFECT_ORDER = ("forbids", "restricts", "requires")


def laws_reaching(*, state: str, model: str, on: date, laws: Sequence[StateLaw] | None = None) -> list[StateLaw]:
    """The laws of `state` in force on `on` that reach agreements of `model`."""
    state = state.strip().upper()
    return [law for law in (laws if laws is not None else default_state_laws()) if law.state == state and model in law.models and law.in_force_on(on)]


def state_law_eligibility(
    *,
    state: str,
    model: str,
    on: date,
    laws: Sequence[StateLaw] | None = None,
    rule: str = "A8",
) -> Decision:
    """A8: "State law can forbid or require participation"; H9: a hold in a state that forbids it is
    refused. The answer is the strongest effect among the laws in force on `on`, each cited."""
    reaching = laws_reaching(state=state, model=model, on=on, laws=laws)
    if not reaching:
        text = f"No law recorded for {state.upper()} reaches {model} agreements on {on.isoformat()}: state law is silent here (verify before relying on it)."
        return Decision("state_law", True, (_reason(rule, text, "PROGRAM.md section 8", "H/M", satisfied=True),), status="silent")
    ordered = sorted(reaching, key=lambda law: EFFECT_ORDER.index(law.effect))
    status = ordered[0].effect
    reasons = tuple(
        _reason(rule, f"{law.law} ({law.effect}, in force since {law.effective.isoformat()}): {law.summary}", law.source, law.confidence, satisfied=law.effect != "forbids")
        for law in ordered
    )
    return Decision("state_law", status != "forbids", reasons, status=status, values={"law_ids": [law.id for law in ordered]})


def _reason(rule: str, text: str, source: str, confidence: str, *, satisfied: bool) -> Reason:
    """State-law reasons cite the statute itself rather than the catalog's section reference."""
    return Reason(rule=rule, text=text, source=source, confidence=confidence, satisfied=satisfied)
