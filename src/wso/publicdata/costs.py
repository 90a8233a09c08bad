"""The cost estimator's input and output: what an agency's year costs under WSO, a BOA and an IGSA.

The figures are the rules core's (`wso.rules.costs.yearly_cost`, K1-K3, amounts in params);
this module validates what a person typed and lays out the answer with every assumption.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from wso.rules.costs import yearly_cost
from wso.rules.decision import InvalidFacts

# A bound on the form against typing errors, not a legal limit (the legal limits are in params/).
SANITY_MAX_HOURS_PER_HOLD = 24 * 60


class CostInput(BaseModel):
    """What the agency expects; each field's description is the form's help text."""

    model_config = ConfigDict(extra="forbid")

    holds_per_month: float = Field(10, ge=0, description="Holds for ICE expected per month")
    officers: int = Field(4, ge=0, description="Officers to train and authorize")
    hourly_wage_usd: float = Field(35, ge=0, description="Loaded hourly wage of an officer (USD)")
    hours_per_hold: float = Field(
        24, ge=0, le=SANITY_MAX_HOURS_PER_HOLD, description="Hours a person stays in the jail per hold"
    )
    staff_hours_per_hold: float = Field(1, ge=0, description="Officer hours spent on each hold")
    lea_daily_cost_usd: float = Field(0, ge=0, description="The jail's own cost of a bed-day (USD); 0 if unknown")
    igsa_bed_rate_usd: float | None = Field(
        None, ge=0, description="IGSA per-diem bed rate ICE pays (USD); blank: no IGSA"
    )

    @field_validator("igsa_bed_rate_usd", mode="before")
    @classmethod
    def _blank_is_no_igsa(cls, value: Any) -> Any:
        """The form sends the empty field as "": that is the documented "blank: no IGSA", not a bad number."""
        return None if isinstance(value, str) and not value.strip() else value


def estimate(given: CostInput, *, on: dt.date) -> dict[str, Any]:
    """Yearly figures per program with the reasons (each citing K1-K3) and the inputs as assumptions."""
    try:
        decision = yearly_cost(
            holds_per_month=given.holds_per_month,
            officers=given.officers,
            hourly_wage_usd=given.hourly_wage_usd,
            hours_per_hold=given.hours_per_hold,
            staff_hours_per_hold=given.staff_hours_per_hold,
            lea_daily_cost_usd=given.lea_daily_cost_usd,
            igsa_bed_rate_usd=given.igsa_bed_rate_usd,
            on=on,
        )
    except InvalidFacts as exc:
        return {"ok": False, "error": str(exc), "field": exc.field, "programs": {}, "assumptions": {}, "reasons": []}
    return {
        "ok": True,
        "on": on.isoformat(),
        "programs": decision.values["programs"],
        "assumptions": decision.values["assumptions"],
        "reasons": [r.to_dict() for r in decision.reasons],
        "error": None,
    }
