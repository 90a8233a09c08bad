"""State law (PROGRAM.md section 8): may, must or must not an agency in a state take part (A8, H9)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from wso.params import StateLaw
from wso.params.state_laws import default_state_laws
from wso.rules.agreements import agreement_in_force, effective_at
from wso.rules.clock import local_date, local_midnight, require_aware
from wso.rules.decision import Action, Decision, Reason, without_violation
from wso.rules.facts import Agreement

# Strongest effect first: a law that forbids outweighs one that restricts or requires.
EFFECT_ORDER = ("forbids", "restricts", "requires")


def laws_reaching(*, state: str, model: str, on: date, laws: Sequence[StateLaw] | None = None) -> list[StateLaw]:
    """The laws of `state` in force on `on` that reach agreements of `model`."""
    state = state.strip().upper()
    return [
        law
        for law in (laws if laws is not None else default_state_laws())
        if law.state == state and model in law.models and law.in_force_on(on)
    ]


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
        text = (
            f"No law recorded for {state.upper()} reaches {model} agreements on {on.isoformat()}: "
            "state law is silent here (verify before relying on it)."
        )
        return Decision(
            "state_law", True, (_reason(rule, text, "PROGRAM.md section 8", "H/M", satisfied=True),), status="silent"
        )
    ordered = sorted(reaching, key=lambda law: EFFECT_ORDER.index(law.effect))
    status = ordered[0].effect
    reasons = tuple(
        _reason(rule, _law_text(law), law.source, law.confidence, satisfied=law.effect != "forbids") for law in ordered
    )
    return Decision(
        "state_law", status != "forbids", reasons, status=status, values={"law_ids": [law.id for law in ordered]}
    )


def _law_text(law: StateLaw) -> str:
    """The law as counsel reads it: effect, dates kept apart (signed, in force, comply by), summary, doubt."""
    dates = [f"signed {law.signed.isoformat()}"] if law.signed else []
    dates.append(f"in force since {law.effective.isoformat()}")
    if law.comply_by:
        dates.append(f"comply by {law.comply_by.isoformat()}")
    doubt = f" Doubt: {law.doubt}" if law.doubt else ""
    return f"{law.law} ({law.effect}; {', '.join(dates)}): {law.summary}{doubt}"


def _reason(rule: str, text: str, source: str, confidence: str, *, satisfied: bool) -> Reason:
    """State-law reasons cite the statute itself rather than the catalog's section reference."""
    return Reason(rule=rule, text=text, source=source, confidence=confidence, satisfied=satisfied)


def agreement_state_law(agreement: Agreement, *, at: datetime, laws: Sequence[StateLaw] | None = None) -> Decision:
    """A8, judged as PROGRAM.md section 8 says: "on the date the agreement is signed (the later
    signature, A2), in the agency's time zone, and again whenever a law's date arrives for an agreement
    in force". Unsigned: judged on `at`'s local day (what signing today would meet). Computed when read,
    so a law that takes effect after signing flags the agreement from that day, with no job to run."""
    require_aware(at, name="at")
    tz = agreement.timezone
    signed = effective_at(agreement)
    if signed is None:
        today = local_date(at, tz=tz)
        decision = state_law_eligibility(state=agreement.state, model=agreement.model, on=today, laws=laws)
        reasons = tuple(
            replace(r, text=f"Not yet signed; signing on {today.isoformat()}: {r.text}") for r in decision.reasons
        )
        return replace(decision, reasons=reasons, values={**decision.values, "judged_on": today.isoformat()})
    signed_on = local_date(signed, tz=tz)
    at_signing = state_law_eligibility(state=agreement.state, model=agreement.model, on=signed_on, laws=laws)
    reasons = [
        replace(r, text=f"At signing ({signed_on.isoformat()}, the later signature): {r.text}")
        for r in at_signing.reasons
    ]
    outcomes = [at_signing]
    today = local_date(at, tz=tz)
    if at >= signed and today > signed_on and agreement_in_force(agreement, at=at).allowed:
        now = state_law_eligibility(state=agreement.state, model=agreement.model, on=today, laws=laws)
        new_ids = [i for i in now.values.get("law_ids", []) if i not in at_signing.values.get("law_ids", [])]
        if new_ids:
            outcomes.append(now)
            reasons += [
                replace(r, text=f"Since signing, in force on {today.isoformat()}: {r.text}")
                for r in now.reasons
                if _names_any(r, now, new_ids)
            ]
    statuses = [d.status for d in outcomes if d.status in EFFECT_ORDER]
    status = min(statuses, key=EFFECT_ORDER.index) if statuses else "silent"
    law_ids = list(dict.fromkeys(i for d in outcomes for i in d.values.get("law_ids", [])))
    values = {"signed_on": signed_on.isoformat(), "judged_on": today.isoformat(), "law_ids": law_ids}
    return Decision("state_law", all(d.allowed for d in outcomes), tuple(reasons), status=status, values=values)


def _names_any(reason: Reason, decision: Decision, law_ids: list[str]) -> bool:
    """Whether a state-law reason is about one of `law_ids` (reasons follow the decision's law order)."""
    index = decision.reasons.index(reason)
    ids = decision.values.get("law_ids", [])
    return index < len(ids) and ids[index] in law_ids


def required_agreement_due(
    *,
    state: str,
    tz: str,
    runs_jail: bool,
    models_in_force: Sequence[str],
    at: datetime,
    laws: Sequence[StateLaw] | None = None,
) -> Decision:
    """A8 ("a law that requires an agreement ... flags an agency that runs a jail and has none by the
    comply-by date"): Texas SB 8 (comply by 2026-12-01), Florida § 908.11, Tennessee SB 2223. Each such
    law in force on `at`'s local day, for an agency with a jail and no agreement of a model it accepts,
    gives an action due on its comply-by day; past that day it is a violation."""
    require_aware(at, name="at")
    today = local_date(at, tz=tz)
    agreement_models = ("WSO", "JEM", "TFM")
    requiring = [
        law
        for law in (laws if laws is not None else default_state_laws())
        if law.state == state.strip().upper()
        and law.effect == "requires"
        and law.in_force_on(today)
        and set(law.models) & set(agreement_models)
    ]
    if not runs_jail or not requiring:
        why = "runs no jail" if not runs_jail else "no law recorded for its state requires an agreement"
        return Decision(
            "required_agreement",
            True,
            (_reason("A8", f"The agency {why}.", "PROGRAM.md section 8", "H/M", satisfied=True),),
            status="not_required",
        )
    reasons: list[Reason] = []
    actions: list[Action] = []
    for law in requiring:
        held = sorted(set(models_in_force) & set(law.models))
        due = local_midnight(law.deadline, tz=tz)
        if held:
            reasons.append(
                _reason(
                    "A8",
                    f"{_law_text(law)} Met: a {', '.join(held)} agreement is in force.",
                    law.source,
                    law.confidence,
                    satisfied=True,
                )
            )
            continue
        late = today >= law.deadline
        verdict = (
            "past the comply-by day with no agreement in force"
            if late
            else f"no agreement in force yet; comply by {law.deadline.isoformat()}"
        )
        reasons.append(
            _reason("A8", f"{_law_text(law)} {verdict.capitalize()}.", law.source, law.confidence, satisfied=not late)
        )
        actions.append(
            Action(
                "enter_required_agreement",
                "A8",
                due=due,
                description=f"{law.law}: the agency runs a jail and must hold a 287(g) agreement "
                f"({'/'.join(law.models)})",
            )
        )
    missing = bool(actions)
    return Decision(
        "required_agreement",
        without_violation(reasons),
        tuple(reasons),
        status="missing" if missing else "met",
        actions=tuple(actions),
        values={"law_ids": [law.id for law in requiring]},
    )
