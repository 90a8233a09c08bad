"""Complaints (C1-C3), state law (A8), costs (K1-K3) and data minimization (D3)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from tests.unit.dates import NEW_YORK, local
from wso.rules import facts
from wso.rules.complaints import complaint_deadlines
from wso.rules.costs import hold_cost, yearly_cost
from wso.rules.decision import InvalidFacts
from wso.rules.eligibility import state_law_eligibility
from wso.rules.facts import Complaint

FRIDAY_4PM = local(NEW_YORK, 2026, 3, 13, 16)


def test_C1_48_hours_excluding_weekends_from_a_friday_afternoon() -> None:
    decision = complaint_deadlines(Complaint(received_at=FRIDAY_4PM), template="MOA-2025", tz=NEW_YORK, at=FRIDAY_4PM)
    notify = next(d for d in decision.deadlines if d.name == "ice_notification")
    # Friday 8 h, Saturday and Sunday skipped, Monday 24 h, Tuesday 16 h
    assert notify.due == local(NEW_YORK, 2026, 3, 17, 16) and notify.rule == "C1"
    late = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, ice_notified_at=notify.due + timedelta(minutes=1)),
        template="MOA-2025",
        tz=NEW_YORK,
        at=notify.due + timedelta(hours=1),
    )
    assert not late.allowed
    on_time = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, ice_notified_at=notify.due),
        template="MOA-2025",
        tz=NEW_YORK,
        at=notify.due + timedelta(hours=1),
    )
    assert on_time.allowed


def test_C2_non_designated_personnel_48_elapsed_hours_in_2025_no_time_in_2019() -> None:
    newer = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, about_designated_officer=False),
        template="MOA-2025",
        tz=NEW_YORK,
        at=FRIDAY_4PM,
    )
    assert next(d for d in newer.deadlines if d.name == "ice_notification").due == FRIDAY_4PM + timedelta(hours=48)
    older = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, about_designated_officer=False),
        template="MOA-2019",
        tz=NEW_YORK,
        at=FRIDAY_4PM,
    )
    assert [d.name for d in older.deadlines] == ["resolution"] and older.actions[0].name == "forward_to_ice"


def test_C3_resolution_within_90_days_and_results_reported() -> None:
    due = local(NEW_YORK, 2026, 6, 11, 16)
    open_case = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, ice_notified_at=FRIDAY_4PM), template="MOA-2019", tz=NEW_YORK, at=due
    )
    assert next(d for d in open_case.deadlines if d.name == "resolution").due == due and open_case.allowed
    overdue = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, ice_notified_at=FRIDAY_4PM),
        template="MOA-2019",
        tz=NEW_YORK,
        at=due + timedelta(minutes=1),
    )
    assert overdue.status == "open_overdue"
    resolved = complaint_deadlines(
        Complaint(received_at=FRIDAY_4PM, ice_notified_at=FRIDAY_4PM, resolved_at=due),
        template="MOA-2019",
        tz=NEW_YORK,
        at=due + timedelta(days=1),
    )
    assert resolved.status == "resolved" and any(a.name == "report_results_to_ice" for a in resolved.actions)


@pytest.mark.parametrize(
    ("state", "model", "on", "status"),
    [
        ("CA", "WSO", date(2025, 6, 1), "forbids"),
        ("CA", "WSO", date(2017, 12, 31), "silent"),  # the day before SB 54
        ("IL", "WSO", date(2021, 8, 2), "forbids"),
        ("IL", "WSO", date(2021, 8, 1), "forbids"),  # TRUST Act: a WSO hold rests on a non-judicial warrant
        ("IL", "WSO", date(2017, 8, 27), "silent"),
        ("IL", "WSO", date(2017, 8, 28), "forbids"),
        ("FL", "WSO", date(2025, 6, 1), "requires"),
        ("TX", "WSO", date(2026, 1, 1), "requires"),
        ("TX", "WSO", date(2025, 12, 31), "silent"),
        ("NJ", "JEM", date(2020, 1, 1), "restricts"),
        ("AL", "WSO", date(2025, 6, 1), "silent"),
    ],
)
def test_A8_state_law_on_a_date(state: str, model: str, on: date, status: str) -> None:
    decision = state_law_eligibility(state=state, model=model, on=on)
    assert decision.status == status and decision.allowed == (status != "forbids")
    assert all(r.rule == "A8" for r in decision.reasons)


def test_A8_reasons_cite_the_statute() -> None:
    decision = state_law_eligibility(state="wa", model="WSO", on=date(2020, 1, 1))
    assert decision.reasons[0].source == "RCW 10.93.160" and decision.values["law_ids"] == ["WA-KWW"]


def test_K1_wso_pays_nothing_per_hold() -> None:
    cost = hold_cost(program="WSO", hours=30, on=date(2026, 1, 1), lea_daily_cost_usd=100)
    assert cost.values == {"bed_days": 2, "lea_cost_usd": 200, "reimbursement_usd": 0, "net_cost_usd": 200}


def test_K2_boa_pays_50_dollars_a_hold_with_confidence_m() -> None:
    cost = hold_cost(program="BOA", hours=47, on=date(2026, 1, 1), lea_daily_cost_usd=100)
    assert cost.values["reimbursement_usd"] == 50 and cost.values["net_cost_usd"] == 150
    assert next(r for r in cost.reasons if r.rule == "K2").confidence == "M"


def test_K3_igsa_pays_the_bed_rate_and_needs_it() -> None:
    cost = hold_cost(program="IGSA", hours=49, on=date(2026, 1, 1), lea_daily_cost_usd=100, igsa_bed_rate_usd=85.5)
    assert cost.values["reimbursement_usd"] == 3 * 85.5
    with pytest.raises(InvalidFacts) as error:
        hold_cost(program="IGSA", hours=10, on=date(2026, 1, 1), lea_daily_cost_usd=100)
    assert error.value.field == "igsa_bed_rate_usd"


def test_K1_yearly_cost_counts_training_twice_for_backfill() -> None:
    year = yearly_cost(
        holds_per_month=2, officers=3, hourly_wage_usd=40, hours_per_hold=24, on=date(2026, 1, 1), lea_daily_cost_usd=90
    )
    wso = year.values["programs"]["WSO"]
    training_hours = year.values["assumptions"]["training_hours"]
    assert wso["training_usd"] == 3 * training_hours * 40 * 2
    assert wso["net_usd"] == wso["training_usd"] + 24 * 1 * 40 + 24 * 90
    assert "IGSA" not in year.values["programs"]
    with pytest.raises(InvalidFacts):
        yearly_cost(holds_per_month=-1, officers=3, hourly_wage_usd=40, hours_per_hold=24, on=date(2026, 1, 1))


FORBIDDEN = {
    "race",
    "ethnicity",
    "national_origin",
    "nationality",
    "religion",
    "immigration_status",
    "status_assessment",
    "citizenship_status",
}


def test_D3_no_fact_carries_race_ethnicity_origin_religion_or_status() -> None:
    for cls in (c for c in vars(facts).values() if dataclasses.is_dataclass(c)):
        names = {f.name for f in dataclasses.fields(cls)}
        assert not names & FORBIDDEN, f"{cls.__name__} stores {names & FORBIDDEN}"
