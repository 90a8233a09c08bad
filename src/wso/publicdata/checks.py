"""State law against the public record: may, must or must not an agency join, and who contradicts it.

The decisions are the rules core's (`wso.rules.eligibility`, rules A8/H9, laws as data in
params/states/laws.yaml); this module only asks them for the right state, model and date and
shapes the answer for pages. An agreement is checked on its signing date, the day it was
made; one whose date is unreadable or impossible (later than the sheet that listed it) is
reported as `undated`, never checked on a guessed date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from wso.rules.eligibility import state_law_eligibility

MODELS = ("WSO", "JEM", "TFM")


class _Signed(Protocol):
    state: str
    model: str
    signed_on: dt.date | None
    last_seen: dt.date
    listed_pending: bool


def law_check(*, state: str, model: str, on: dt.date) -> dict[str, Any]:
    """The rules core's decision for one state, model and date, as plain data with its citations."""
    decision = state_law_eligibility(state=state, model=model, on=on)
    return {
        "state": state,
        "model": model,
        "on": on.isoformat(),
        "status": decision.status,
        "allowed": decision.allowed,
        "reasons": [r.to_dict() for r in decision.reasons],
    }


def law_checks(*, state: str, on: dt.date) -> list[dict[str, Any]]:
    """The decision for each 287(g) model in one state on one date."""
    return [law_check(state=state, model=model, on=on) for model in MODELS]


def signing_check(agreement: _Signed) -> dict[str, Any]:
    """The state-law decision on the agreement's signing date (A8): `forbids` marks a contradiction."""
    if agreement.listed_pending:
        return {"status": "not signed", "allowed": True, "reasons": []}
    if agreement.signed_on is None or agreement.signed_on > agreement.last_seen:
        return {
            "status": "undated",
            "allowed": True,
            "reasons": [
                {
                    "rule": "A8",
                    "text": "No usable signing date on ICE's sheet; not checked.",
                    "source": "ICE-SHEET",
                         "confidence": "H", "params": [], "satisfied": True}],
        }  # fmt: skip
    return law_check(state=agreement.state, model=agreement.model, on=agreement.signed_on)
