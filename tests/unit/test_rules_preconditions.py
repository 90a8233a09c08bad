"""The preconditions of the record commands, as rules (issue 11, item 3): each is a Decision with cited
reasons, tested on both sides of its line; the services only raise it as Refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import MappingProxyType

import pytest

from tests.unit.dates import utc
from tests.unit.factories import agreement, authorized_officer
from wso.params import default_params
from wso.params.loader import ParamError
from wso.rules.agreements import may_create_agreement, may_lift_notice, may_record_notice
from wso.rules.complaints import may_receive_complaint
from wso.rules.decision import Decision
from wso.rules.facts import ExamAttempt, Notice, Withdrawal
from wso.rules.officers import (
    credentials_outstanding,
    may_issue_credentials,
    may_lift_officer_suspension,
    may_nominate,
    may_record_authorization_document,
    may_record_exam_attempt,
    officer_authorized,
)

NOW = utc(2026, 3, 2, 15)


def terminated_at(when):  # type: ignore[no-untyped-def]
    """An agreement terminated by an exigent notice effective at `when`."""
    notice = Notice(
        kind="termination",
        by="ICE",
        received_at=when - timedelta(hours=1),
        exigent_effective_at=when,
        exigent_reason="court order",
    )
    return agreement(notices=(notice,))


def refused_by(decision: Decision) -> list[str]:
    return [r.rule for r in decision.violations]


# ---- A1 -----------------------------------------------------------------------------------------------


def test_A1_a_second_live_agreement_of_one_model_is_refused() -> None:
    decision = may_create_agreement("WSO", [agreement()], at=NOW)
    assert not decision.allowed and decision.status == "one_per_model" and refused_by(decision) == ["A1"]
    assert decision.reasons[0].source  # cited from the catalog


def test_A1_another_model_or_a_terminated_one_leaves_room() -> None:
    assert may_create_agreement("JEM", [agreement()], at=NOW).allowed
    old = terminated_at(NOW - timedelta(days=1))
    assert may_create_agreement("WSO", [old], at=NOW).allowed
    # one minute before the termination takes effect, the old agreement still counts
    assert not may_create_agreement("WSO", [old], at=NOW - timedelta(days=1, minutes=1)).allowed


# ---- A3 -----------------------------------------------------------------------------------------------


def test_A3_an_exigent_date_without_its_reason_is_refused() -> None:
    bare = Notice(kind="suspension", by="ICE", received_at=NOW, exigent_effective_at=NOW)
    decision = may_record_notice(agreement(), bare)
    assert decision.status == "exigent_reason_missing" and refused_by(decision) == ["A3"]
    given = may_record_notice(agreement(), replace(bare, exigent_reason="riot in the housing unit"))
    assert given.allowed and given.values["effective_at"] == NOW


def test_A3_a_notice_takes_effect_after_the_templates_notice_days() -> None:
    decision = may_record_notice(agreement(), Notice(kind="termination", by="LEA", received_at=NOW))
    days = default_params().for_template("agreement.notice_days", "MOA-2025")
    assert decision.allowed and decision.values["effective_at"] > NOW + timedelta(days=days.value - 1)
    assert {"A3", "A4"} <= set(decision.rule_ids)
    assert any(days in r.params for r in decision.reasons)  # the number is cited with its source


def test_A3_a_notice_needs_an_agreement_in_force_on_receipt() -> None:
    unsigned = agreement(ice_signed_at=None)
    decision = may_record_notice(unsigned, Notice(kind="suspension", by="ICE", received_at=NOW))
    assert decision.status == "not_in_force" and refused_by(decision) == ["A3", "A2"]
    assert decision.values["agreement_status"] == "not_signed"


def test_A3_a_termination_may_end_a_suspended_agreement_but_a_suspension_may_not() -> None:
    suspension = Notice(kind="suspension", by="ICE", received_at=NOW, exigent_effective_at=NOW, exigent_reason="x")
    suspended = agreement(notices=(suspension,))
    later = NOW + timedelta(days=1)
    assert may_record_notice(suspended, Notice(kind="termination", by="LEA", received_at=later)).allowed
    again = may_record_notice(suspended, Notice(kind="suspension", by="LEA", received_at=later))
    assert again.status == "not_in_force"


def test_A3_a_second_termination_notice_is_refused() -> None:
    pending = agreement(notices=(Notice(kind="termination", by="ICE", received_at=NOW),))
    decision = may_record_notice(pending, Notice(kind="termination", by="LEA", received_at=NOW + timedelta(days=1)))
    assert decision.status == "terminated_already" and refused_by(decision) == ["A3"]


def test_A3_a_suspension_may_be_lifted_a_termination_not() -> None:
    assert may_lift_notice(Notice(kind="suspension", by="ICE", received_at=NOW)).allowed
    final = may_lift_notice(Notice(kind="termination", by="ICE", received_at=NOW))
    assert not final.allowed and refused_by(final) == ["A3"]


# ---- A4 -----------------------------------------------------------------------------------------------


def test_A4_no_nomination_document_or_credentials_under_a_terminated_agreement() -> None:
    ended = terminated_at(NOW)
    officer = authorized_officer(credentials_issued_at=None)
    before, after = NOW - timedelta(minutes=1), NOW
    assert may_nominate(officer, ended, at=before).allowed
    nominated = may_nominate(officer, ended, at=after)
    assert nominated.status == "agreement_terminated" and refused_by(nominated) == ["A4"]
    assert may_record_authorization_document(officer, ended, signed_at=before).allowed
    assert refused_by(may_record_authorization_document(officer, ended, signed_at=after)) == ["A4"]
    assert may_issue_credentials(officer, ended, issued_at=before).allowed
    assert may_issue_credentials(officer, ended, issued_at=after).status == "agreement_terminated"


def test_A4_is_decided_from_the_agreement_not_from_the_revocation_rows() -> None:
    """The service records a revocation row per officer at termination; the rules skip it, so an
    officer is refused by A4 alone (never by O5, ICE's withdrawal), with or without the row."""
    ended = terminated_at(NOW)
    row = Withdrawal(kind="withdrawal", notice_at=NOW, effective_at=NOW, reason="A4", by_termination=True)
    for officer in (authorized_officer(), authorized_officer(withdrawals=(row,))):
        decision = officer_authorized(officer, ended, at=NOW)
        assert not decision.allowed and "A4" in refused_by(decision) and "O5" not in refused_by(decision)
        assert officer_authorized(officer, ended, at=NOW - timedelta(minutes=1)).allowed
        outstanding = credentials_outstanding(officer, ended, at=NOW)
        assert [r.text.split(" (")[0] for r in outstanding.reasons] == [
            "Must be returned: the agreement was terminated"
        ]


# ---- O1 / O2 ------------------------------------------------------------------------------------------


def test_O1_a_nomination_missing_an_attestation_is_refused() -> None:
    decision = may_nominate(authorized_officer(inmate_conduct_attested=False), agreement(), at=NOW)
    assert decision.status == "invalid_nomination" and refused_by(decision) == ["O1"]
    assert may_nominate(authorized_officer(), agreement(), at=NOW).status == "allowed"


def test_O2_a_failed_background_check_refuses_the_nomination() -> None:
    decision = may_nominate(authorized_officer(background_check="failed"), agreement(), at=NOW)
    assert decision.status == "invalid_nomination" and refused_by(decision) == ["O2"]


# ---- O3 -----------------------------------------------------------------------------------------------


def test_O3_no_attempt_after_certification_or_disqualification() -> None:
    taken = utc(2025, 6, 2, 14)
    for scores, status in (((85,), "certified"), ((50, 60), "disqualified")):
        attempts = tuple(ExamAttempt(taken + timedelta(days=i), s) for i, s in enumerate(scores))
        decision = may_record_exam_attempt(
            authorized_officer(exam_attempts=attempts), template="MOA-2025", taken_at=NOW
        )
        assert not decision.allowed and decision.status == status and "O3" in refused_by(decision)


def test_O3_a_first_attempt_and_the_one_retake_are_recorded() -> None:
    taken = utc(2025, 6, 2, 14)
    for attempts, status in (((), "not_taken"), ((ExamAttempt(taken, 64),), "retake_allowed")):
        decision = may_record_exam_attempt(
            authorized_officer(exam_attempts=attempts), template="MOA-2019", taken_at=NOW
        )
        assert decision.allowed and decision.status == status and decision.rule_ids == ("O3",)


def test_O3_documents_and_credentials_follow_certification() -> None:
    failed = authorized_officer(exam_attempts=(ExamAttempt(utc(2025, 6, 2, 14), 64),), credentials_issued_at=None)
    letter = may_record_authorization_document(failed, agreement(), signed_at=NOW)
    assert letter.status == "not_certified" and refused_by(letter) == ["O3"]
    assert may_issue_credentials(failed, agreement(), issued_at=NOW).status == "not_certified"
    certified = replace(failed, exam_attempts=(ExamAttempt(utc(2025, 6, 2, 14), 70),))
    assert may_record_authorization_document(certified, agreement(), signed_at=NOW).allowed


# ---- O5 / O6 ------------------------------------------------------------------------------------------


def test_O5_a_withdrawal_is_final_a_suspension_can_be_lifted() -> None:
    withdrawal = Withdrawal(kind="withdrawal", notice_at=NOW, effective_at=NOW)
    final = may_lift_officer_suspension(withdrawal)
    assert not final.allowed and final.status == "withdrawal_is_final" and refused_by(final) == ["O5"]
    assert may_lift_officer_suspension(replace(withdrawal, kind="suspension")).allowed


def test_O6_no_new_credentials_while_the_last_set_is_unreturned() -> None:
    holding = authorized_officer()
    decision = may_issue_credentials(holding, agreement(), issued_at=NOW)
    assert decision.status == "credentials_unreturned" and refused_by(decision) == ["O6"]
    returned = replace(holding, credentials_returned_at=NOW - timedelta(days=1))
    assert may_issue_credentials(returned, agreement(), issued_at=NOW).allowed


# ---- O4 reads its conditions from officers.authorization_requirements ------------------------------


def test_O4_the_conditions_come_from_the_parameter_file() -> None:
    params = default_params()
    unsupervised = authorized_officer(under_ice_supervision=False)
    assert refused_by(officer_authorized(unsupervised, agreement(), at=NOW, params=params)) == ["O4"]
    required = params.for_template("officers.authorization_requirements", "MOA-2025").value
    fewer = params.with_overrides(
        {"officers.authorization_requirements": [c for c in required if c != "under_ice_supervision"]}
    )
    assert officer_authorized(unsupervised, agreement(), at=NOW, params=fewer).allowed
    o4 = [r for r in officer_authorized(authorized_officer(), agreement(), at=NOW).reasons if r.rule == "O4"]
    assert o4 and all(r.source == "MOA-2025 §IV.D, §IV.F" for r in o4)


def test_O4_an_unknown_condition_in_the_parameter_is_an_error_naming_it() -> None:
    params = default_params().with_overrides({"officers.authorization_requirements": ["certified", "blessed"]})
    with pytest.raises(ParamError, match="blessed"):
        officer_authorized(authorized_officer(), agreement(), at=NOW, params=params)


# ---- C1 / C5 ------------------------------------------------------------------------------------------


def test_C1_a_complaint_about_a_designated_officer_names_the_officer() -> None:
    decision = may_receive_complaint(about_designated_officer=True, officer_named=False, template="MOA-2025")
    assert decision.status == "officer_not_named" and refused_by(decision) == ["C1"]
    assert may_receive_complaint(about_designated_officer=True, officer_named=True, template="MOA-2025").allowed
    other = may_receive_complaint(about_designated_officer=False, officer_named=False, template="MOA-2019")
    assert other.allowed and "C2" in other.rule_ids


def test_C5_complaints_are_received_from_any_source_citing_the_templates_intake() -> None:
    for template in ("MOA-2019", "MOA-2025"):
        decision = may_receive_complaint(about_designated_officer=False, officer_named=False, template=template)
        c5 = next(r for r in decision.reasons if r.rule == "C5")
        assert c5.satisfied and c5.source == f"{template} App. B"


# ---- issue 11 item 7: a decision is a value ------------------------------------------------------------


def test_a_decision_copies_what_it_is_given_and_cannot_be_changed() -> None:
    values = {"cost": 1}
    reasons = [may_lift_notice(Notice(kind="suspension", by="ICE", received_at=NOW)).reasons[0]]
    decision = Decision("q", True, reasons, values=values)  # type: ignore[arg-type]
    values["cost"] = 2
    reasons.clear()
    assert decision.values["cost"] == 1 and len(decision.reasons) == 1 and isinstance(decision.reasons, tuple)
    assert isinstance(decision.values, MappingProxyType)
    with pytest.raises(TypeError):
        decision.values["cost"] = 3  # type: ignore[index]
