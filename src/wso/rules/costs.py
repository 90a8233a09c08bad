"""Costs (PROGRAM.md section 6): what a hold costs the LEA under WSO, a BOA or an IGSA, and a year of it."""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from wso.params import ParamSet, default_params
from wso.rules.citing import cite
from wso.rules.decision import Decision, InvalidFacts, Reason

Program = Literal["WSO", "BOA", "IGSA"]
HOURS_PER_DAY = 24


def hold_cost(
    *,
    program: Program,
    hours: float,
    on: date,
    lea_daily_cost_usd: float,
    igsa_bed_rate_usd: float | None = None,
    template: str = "MOA-2025",
    params: ParamSet | None = None,
) -> Decision:
    """One hold's cost to the LEA: its own cost of detention (each started day a bed-day), less what
    ICE pays. K1: under WSO "no fee per hold"; K2: under a BOA $50 per person held up to 48 hours
    (confidence M); K3: under an IGSA the facility's per-diem bed rate."""
    _non_negative(hours=hours, lea_daily_cost_usd=lea_daily_cost_usd)
    params = params or default_params()
    bed_days = math.ceil(hours / HOURS_PER_DAY) if hours > 0 else 0
    lea_cost = bed_days * lea_daily_cost_usd
    reasons: list[Reason] = [
        cite(
            "K1",
            f"The LEA bears its own detention cost: {bed_days} bed-day(s) at ${lea_daily_cost_usd:,.2f} "
            "(each started day counted).",
        )
    ]
    if program == "WSO":
        fee = params.for_template("costs.wso_fee_per_hold_usd", template)
        reimbursement = float(fee.value)
        reasons.append(
            cite("K1", f"WSO: ICE pays ${fee.value} per hold; the LEA pays officers, training and supplies.", fee)
        )
    elif program == "BOA":
        fee = params.at("costs.boa_per_hold_usd", on)
        limit = params.at("costs.boa_max_hours", on)
        reimbursement = float(fee.value)
        beyond = f" Hours beyond {limit.value} are not covered." if hours > limit.value else ""
        reasons.append(
            cite("K2", f"BOA: ICE pays ${fee.value} per person held up to {limit.value} hours.{beyond}", fee, limit)
        )
    elif program == "IGSA":
        if igsa_bed_rate_usd is None:
            raise InvalidFacts("igsa_bed_rate_usd", "an IGSA cost needs the facility's per-diem bed rate (K3)")
        _non_negative(igsa_bed_rate_usd=igsa_bed_rate_usd)
        reimbursement = bed_days * igsa_bed_rate_usd
        reasons.append(
            cite(
                "K3",
                f"IGSA: ICE pays the facility's bed rate, ${igsa_bed_rate_usd:,.2f} per day, for {bed_days} day(s).",
            )
        )
    else:
        raise InvalidFacts("program", f"{program!r} is not one of WSO, BOA, IGSA")
    net = lea_cost - reimbursement
    values = {
        "bed_days": bed_days,
        "lea_cost_usd": round(lea_cost, 2),
        "reimbursement_usd": round(reimbursement, 2),
        "net_cost_usd": round(net, 2),
    }
    return Decision("hold_cost", True, tuple(reasons), status=program, values=values)


def yearly_cost(
    *,
    holds_per_month: float,
    officers: int,
    hourly_wage_usd: float,
    hours_per_hold: float,
    on: date,
    igsa_bed_rate_usd: float | None = None,
    lea_daily_cost_usd: float = 0.0,
    staff_hours_per_hold: float = 1.0,
    template: str = "MOA-2025",
    params: ParamSet | None = None,
) -> Decision:
    """A year of the program for an agency, side by side under WSO, BOA and (given a bed rate) IGSA.

    K1: the LEA pays its officers' salaries while in training and for their backfill (so each
    training hour is paid twice), and their time on each hold; ICE pays nothing per hold.
    """
    _non_negative(
        holds_per_month=holds_per_month,
        officers=officers,
        hourly_wage_usd=hourly_wage_usd,
        hours_per_hold=hours_per_hold,
        lea_daily_cost_usd=lea_daily_cost_usd,
        staff_hours_per_hold=staff_hours_per_hold,
    )
    params = params or default_params()
    training = params.at("officers.initial_training_hours", on)
    holds = holds_per_month * 12
    training_cost = officers * training.value * hourly_wage_usd * 2
    staff_cost = holds * staff_hours_per_hold * hourly_wage_usd
    reasons: list[Reason] = [
        cite(
            "K1",
            f"Initial training: {officers} officer(s) x {training.value} h x ${hourly_wage_usd:,.2f}/h, "
            f"paid twice (trainee and backfill) = ${training_cost:,.2f} in the first year.",
            training,
        ),
        cite(
            "K1",
            f"Officer time: {holds:g} holds a year x {staff_hours_per_hold:g} h x ${hourly_wage_usd:,.2f}/h "
            f"= ${staff_cost:,.2f}.",
        ),
    ]
    programs: list[Program] = ["WSO", "BOA"] + (["IGSA"] if igsa_bed_rate_usd is not None else [])
    totals: dict[str, dict[str, float]] = {}
    for program in programs:
        one = hold_cost(
            program=program,
            hours=hours_per_hold,
            on=on,
            lea_daily_cost_usd=lea_daily_cost_usd,
            igsa_bed_rate_usd=igsa_bed_rate_usd,
            template=template,
            params=params,
        )
        reasons.extend(r for r in one.reasons if r.rule != "K1" or program == "WSO")
        detention = holds * one.values["lea_cost_usd"]
        reimbursed = holds * one.values["reimbursement_usd"]
        totals[program] = {
            "training_usd": round(training_cost, 2),
            "officer_time_usd": round(staff_cost, 2),
            "detention_usd": round(detention, 2),
            "reimbursement_usd": round(reimbursed, 2),
            "net_usd": round(training_cost + staff_cost + detention - reimbursed, 2),
        }
    if igsa_bed_rate_usd is None:
        reasons.append(cite("K3", "IGSA not estimated: give the facility's bed rate."))
    assumptions = {
        "holds_per_year": holds,
        "hours_per_hold": hours_per_hold,
        "officers": officers,
        "hourly_wage_usd": hourly_wage_usd,
        "lea_daily_cost_usd": lea_daily_cost_usd,
        "staff_hours_per_hold": staff_hours_per_hold,
        "training_hours": training.value,
    }
    return Decision(
        "yearly_cost", True, tuple(reasons), status="estimate", values={"programs": totals, "assumptions": assumptions}
    )


def _non_negative(**figures: float) -> None:
    for name, figure in figures.items():
        if figure is None or figure < 0 or (isinstance(figure, float) and math.isnan(figure)):
            raise InvalidFacts(name, f"must be a number at least 0, got {figure!r}")
