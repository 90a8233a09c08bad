"""Agreements: A2 (effective at the later signature), A3 (notices), A4 (termination revokes), A6, A7."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.dates import NEW_YORK, local, utc
from tests.unit.factories import agreement, authorized_officer
from wso.rules.agreements import agreement_in_force, effective_at, meetings_due, notice_effective_at
from wso.rules.decision import InvalidFacts
from wso.rules.facts import Notice
from wso.rules.officers import officer_authorized


def test_A2_takes_effect_at_the_later_signature_and_not_a_minute_before() -> None:
    lea = utc(2025, 4, 16, 15)
    ice = utc(2025, 4, 18, 9, 30)
    signed = agreement(lea_signed_at=lea, ice_signed_at=ice)
    assert effective_at(signed) == ice
    assert agreement_in_force(signed, at=ice - timedelta(minutes=1)).status == "not_yet_effective"
    assert agreement_in_force(signed, at=ice).allowed


def test_A2_one_signature_is_not_enough() -> None:
    decision = agreement_in_force(agreement(ice_signed_at=None), at=utc(2026, 1, 1))
    assert decision.status == "not_signed" and not decision.allowed
    assert "ICE" in decision.reasons[0].text and decision.rule_ids == ("A2",)


def test_A2_has_no_expiry_date() -> None:
    assert agreement_in_force(agreement(), at=utc(2045, 1, 1)).status == "in_force"


def test_A3_termination_takes_effect_90_days_after_receipt_in_local_time() -> None:
    # received 10:00 local on 2026-01-05; 90 days later is 2026-04-05, across the March DST change
    notice = Notice(kind="termination", by="LEA", received_at=local(NEW_YORK, 2026, 1, 5, 10))
    terminated = agreement(notices=(notice,))
    takes_effect = local(NEW_YORK, 2026, 4, 5, 10)
    assert notice_effective_at(notice, template="MOA-2025", tz=NEW_YORK) == takes_effect
    day_before = agreement_in_force(terminated, at=takes_effect - timedelta(days=1))
    assert day_before.status == "in_force"
    assert day_before.deadlines[0].name == "termination_takes_effect" and day_before.deadlines[0].due == takes_effect
    assert agreement_in_force(terminated, at=takes_effect - timedelta(seconds=1)).allowed
    assert agreement_in_force(terminated, at=takes_effect).status == "terminated"


def test_A3_exigent_circumstances_set_the_recorded_date_and_need_a_reason() -> None:
    received = utc(2026, 3, 1, 12)
    exigent = Notice(
        kind="termination",
        by="ICE",
        received_at=received,
        exigent_effective_at=received + timedelta(hours=2),
        exigent_reason="public-safety emergency declared by the FOD",
    )
    terminated = agreement(notices=(exigent,))
    assert agreement_in_force(terminated, at=received + timedelta(hours=2)).status == "terminated"
    assert "exigent" in agreement_in_force(terminated, at=received + timedelta(hours=3)).reasons[1].text
    with pytest.raises(InvalidFacts) as error:
        notice_effective_at(
            Notice(kind="suspension", by="ICE", received_at=received, exigent_effective_at=received),
            template="MOA-2025",
            tz=NEW_YORK,
        )
    assert error.value.field == "exigent_reason"


def test_A3_a_suspension_ends_when_lifted() -> None:
    received = utc(2026, 1, 1, 12)
    suspension = Notice(
        kind="suspension",
        by="ICE",
        received_at=received,
        exigent_effective_at=received,
        exigent_reason="investigation",
        lifted_at=received + timedelta(days=10),
    )
    suspended = agreement(notices=(suspension,))
    assert agreement_in_force(suspended, at=received + timedelta(days=5)).status == "suspended"
    assert agreement_in_force(suspended, at=received + timedelta(days=10)).status == "in_force"


def test_A4_termination_revokes_every_officer_authorization_at_once() -> None:
    received = utc(2026, 2, 1, 12)
    terminated = agreement(
        notices=(
            Notice(
                kind="termination",
                by="ICE",
                received_at=received,
                exigent_effective_at=received,
                exigent_reason="exigent",
            ),
        )
    )
    officer = authorized_officer()
    assert officer_authorized(officer, terminated, at=received - timedelta(minutes=1)).allowed
    after = officer_authorized(officer, terminated, at=received)
    assert not after.allowed and "A4" in after.rule_ids


def test_A6_first_review_window_follows_the_template_version() -> None:
    certified = utc(2025, 7, 1, 12)
    older = agreement(template="MOA-2019", first_class_certified_at=certified)
    newer = agreement(template="MOA-2025", operational_at=certified)
    first_2019 = next(d for d in meetings_due(older, at=utc(2025, 8, 1)).deadlines if d.name == "first_review")
    first_2025 = next(d for d in meetings_due(newer, at=utc(2025, 8, 1)).deadlines if d.name == "first_review")
    assert first_2019.due == first_2025.due == local(NEW_YORK, 2026, 7, 1, 8)
    assert "nine to 12 months" in meetings_due(older, at=utc(2025, 8, 1)).reasons[0].text


def test_A6_annual_meeting_is_due_twelve_months_after_the_last_one() -> None:
    held = local(NEW_YORK, 2026, 3, 10, 14)
    met = agreement(operational_at=utc(2025, 5, 1), meetings_held=(held,))
    on_time = meetings_due(met, at=local(NEW_YORK, 2027, 3, 10, 14))
    assert on_time.allowed and next(d for d in on_time.deadlines if d.name == "annual_meeting").due == local(
        NEW_YORK, 2027, 3, 10, 14
    )
    late = meetings_due(met, at=local(NEW_YORK, 2027, 3, 10, 14, 1))
    # A6 is a `should` ("shall make every effort to meet"): a missed meeting is a departure, not a refusal.
    assert late.allowed and late.status == "overdue"
    assert [r.rule for r in late.departures] == ["A6"] and not late.violations


def test_A7_rules_that_differ_between_templates_follow_the_agreements_version() -> None:
    older = meetings_due(agreement(template="MOA-2019", first_class_certified_at=utc(2025, 7, 1)), at=utc(2025, 8, 1))
    newer = meetings_due(agreement(template="MOA-2025", operational_at=utc(2025, 7, 1)), at=utc(2025, 8, 1))
    assert older.reasons[0].params[0].version == "MOA-2019"
    assert newer.reasons[0].params[0].version == "MOA-2025"
