"""Officers: O1/O2 nomination, O3 exam, O4 authorization, O5 withdrawal, O6 credentials, O7, O8, O9, C4."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.dates import NEW_YORK, local, utc
from tests.unit.factories import agreement, authorized_officer
from wso.rules.decision import InvalidFacts
from wso.rules.facts import ExamAttempt, RequiredTraining, Training, Withdrawal
from wso.rules.officers import (
    credentials_outstanding,
    departure_notice,
    exam_outcome,
    nomination_valid,
    officer_authorized,
    training_due,
)

DAY1 = utc(2025, 6, 2, 14)
ACT = utc(2025, 7, 1, 15)


def attempts(*scores: float) -> tuple[ExamAttempt, ...]:
    return tuple(ExamAttempt(DAY1 + timedelta(days=i), s) for i, s in enumerate(scores))


def test_O1_nominee_attestations_are_all_required() -> None:
    assert nomination_valid(authorized_officer(), template="MOA-2025").allowed
    missing = nomination_valid(authorized_officer(citizen_attested=False), template="MOA-2025")
    assert not missing.allowed and [r.text for r in missing.reasons if not r.satisfied] == [
        "us citizen: NOT attested by the LEA."
    ]


def test_O2_failed_background_check_ends_the_nomination() -> None:
    decision = nomination_valid(authorized_officer(background_check="failed"), template="MOA-2019")
    assert not decision.allowed and "O2" in [r.rule for r in decision.reasons if not r.satisfied]


@pytest.mark.parametrize(
    ("scores", "status"),
    [
        ((), "not_taken"),
        ((70,), "certified"),  # "a minimum score of 70 percent": 70 passes
        ((69.9,), "retake_allowed"),
        ((69, 70), "certified"),
        ((50, 69.99), "disqualified"),
        ((50, 60, 95), "disqualified"),  # no second retake
    ],
)
def test_O3_exam_pass_mark_and_one_retake(scores: tuple[float, ...], status: str) -> None:
    assert exam_outcome(attempts(*scores), template="MOA-2025").status == status


def test_O3_a_score_outside_0_to_100_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidFacts) as error:
        exam_outcome(attempts(140), template="MOA-2025")
    assert error.value.field == "score_percent"


def test_O4_authorized_only_when_every_condition_holds_and_each_is_reported() -> None:
    decision = officer_authorized(authorized_officer(), agreement(), at=ACT)
    assert decision.allowed and decision.status == "authorized"
    assert all(r.satisfied for r in decision.reasons) and len(decision.reasons) >= 7


@pytest.mark.parametrize(
    ("change", "expected_text"),
    [
        ({"letter_signed_at": None}, "authorization letter: missing"),
        ({"form_70_006_at": None}, "Form 70-006 executed: missing"),
        ({"credentials_issued_at": None}, "credentials: not issued"),
        ({"exam_attempts": attempts(60)}, "below the 70 % pass mark"),
        ({"under_ice_supervision": False}, "Not under ICE supervision"),
    ],
)
def test_O4_any_missing_condition_refuses_and_says_which(change: dict, expected_text: str) -> None:
    decision = officer_authorized(authorized_officer(**change), agreement(), at=ACT)
    assert not decision.allowed
    assert any(expected_text in r.text for r in decision.reasons if not r.satisfied)


def test_O4_documents_count_only_from_the_moment_they_exist() -> None:
    officer = authorized_officer()
    assert not officer_authorized(officer, agreement(), at=officer.credentials_issued_at - timedelta(seconds=1)).allowed
    assert officer_authorized(officer, agreement(), at=officer.credentials_issued_at).allowed


def test_O5_withdrawal_takes_effect_on_its_named_date() -> None:
    effective = utc(2025, 9, 1, 12)
    officer = authorized_officer(
        withdrawals=(
            Withdrawal(
                kind="withdrawal",
                notice_at=effective - timedelta(days=3),
                effective_at=effective,
                reason="FOD decision",
            ),
        )
    )
    assert officer_authorized(officer, agreement(), at=effective - timedelta(minutes=1)).allowed
    after = officer_authorized(officer, agreement(), at=effective)
    assert not after.allowed and "O5" in [r.rule for r in after.reasons if not r.satisfied]


def test_C4_suspension_during_investigation_lasts_until_lifted() -> None:
    start, end = utc(2025, 9, 1), utc(2025, 9, 20)
    officer = authorized_officer(
        withdrawals=(Withdrawal(kind="suspension", notice_at=start, effective_at=start, ended_at=end),)
    )
    moa_2019 = agreement(template="MOA-2019")
    assert "C4" in officer_authorized(officer, moa_2019, at=start + timedelta(days=1)).rule_ids
    assert officer_authorized(officer, moa_2019, at=end).allowed


def test_C4_exists_only_in_moa_2019_a_2025_suspension_rests_on_O5() -> None:
    start = utc(2025, 9, 1)
    officer = authorized_officer(withdrawals=(Withdrawal(kind="suspension", notice_at=start, effective_at=start),))
    decision = officer_authorized(officer, agreement(template="MOA-2025"), at=start + timedelta(days=1))
    assert not decision.allowed and "C4" not in decision.rule_ids
    assert [r.rule for r in decision.violations] == ["O5"]


def test_O1_has_four_requirements_inmate_accountability_and_conduct_is_the_fourth() -> None:
    for template in ("MOA-2019", "MOA-2025"):
        missing = nomination_valid(authorized_officer(inmate_conduct_attested=False), template=template)
        assert not missing.allowed
        assert [r.text for r in missing.violations] == [
            "enforced inmate accountability rules: NOT attested by the LEA."
        ]
        assert len([r for r in missing.reasons if r.rule == "O1"]) == 4


def test_O6_credentials_become_an_open_obligation_when_the_officer_leaves() -> None:
    left = utc(2025, 10, 1)
    officer = authorized_officer(departed_at=left)
    assert credentials_outstanding(officer, agreement(), at=left - timedelta(days=1)).status == "held"
    outstanding = credentials_outstanding(officer, agreement(), at=left + timedelta(days=1))
    assert (
        outstanding.status == "outstanding"
        and not outstanding.allowed
        and outstanding.actions[0].name == "return_credentials"
    )
    returned = authorized_officer(departed_at=left, credentials_returned_at=left + timedelta(hours=2))
    assert credentials_outstanding(returned, agreement(), at=left + timedelta(days=1)).status == "returned"


def test_O6_returned_credentials_end_the_authorization() -> None:
    officer = authorized_officer(credentials_returned_at=utc(2025, 8, 1))
    decision = officer_authorized(officer, agreement(), at=utc(2025, 8, 2))
    assert not decision.allowed and "O6" in decision.rule_ids


def test_O7_departure_notice_is_due_90_days_before_and_late_is_flagged_not_refused() -> None:
    leaving = local(NEW_YORK, 2026, 6, 30, 17)
    due = departure_notice(authorized_officer(), template="MOA-2025", departure_at=leaving, tz=NEW_YORK)
    assert due.deadlines[0].due == local(NEW_YORK, 2026, 4, 1, 17)
    late = departure_notice(
        authorized_officer(departure_notice_at=local(NEW_YORK, 2026, 4, 1, 17, 1)),
        template="MOA-2025",
        departure_at=leaving,
        tz=NEW_YORK,
    )
    assert late.status == "late" and late.allowed


def test_O8_required_training_is_overdue_after_its_date() -> None:
    due = utc(2026, 3, 1)
    officer = authorized_officer(required_trainings=(RequiredTraining("2026 legal update", due),))
    assert training_due(officer, agreement(), at=due).status == "due"
    assert training_due(officer, agreement(), at=due + timedelta(seconds=1)).status == "overdue"
    done = authorized_officer(
        required_trainings=(RequiredTraining("2026 legal update", due),),
        trainings=(Training("2026 legal update", due - timedelta(days=2)),),
    )
    assert training_due(done, agreement(), at=due + timedelta(days=1)).allowed


@pytest.mark.parametrize(
    "function",
    ["interrogate", "process", "issue_detainer", "prepare_charging_documents", "warrantless_arrest", "transport"],
)
def test_O9_a_wso_has_exactly_two_functions(function: str) -> None:
    refused = officer_authorized(authorized_officer(), agreement(), at=ACT, function=function)
    assert not refused.allowed and refused.reasons[0].rule == "O9" and not refused.reasons[0].satisfied


@pytest.mark.parametrize("function", ["serve_i200", "serve_i205"])
def test_O9_serving_either_warrant_is_a_wso_function(function: str) -> None:
    assert officer_authorized(authorized_officer(), agreement(), at=ACT, function=function).allowed
