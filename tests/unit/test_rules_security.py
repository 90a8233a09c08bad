"""Rules S1-S5 (accounts and sessions), at both sides of each threshold, with the params' figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wso.params import default_params
from wso.params.passwords import BLOCKLIST_FILE, common_passwords
from wso.rules import security

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PARAMS = default_params()


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_S1_idle_lock_at_exactly_30_minutes_without_activity_not_a_second_before() -> None:
    idle = PARAMS.at("security.idle_lock_minutes", NOON).value
    assert idle == 30
    active = security.session_state(started_at=NOON, last_seen_at=NOON, at=NOON + minutes(idle) - timedelta(seconds=1))
    assert active.allowed and active.status == "active"
    locked = security.session_state(started_at=NOON, last_seen_at=NOON, at=NOON + minutes(idle))
    assert not locked.allowed and locked.status == "idle_locked" and locked.rule_ids == ("S1",)
    assert "CJIS" in locked.reasons[0].source


def test_S1_an_active_session_still_ends_at_the_absolute_limit() -> None:
    hours = PARAMS.at("security.session_max_hours", NOON).value
    just_active = NOON + timedelta(hours=hours) - timedelta(seconds=1)
    assert security.session_state(started_at=NOON, last_seen_at=just_active, at=just_active).allowed
    ended = security.session_state(started_at=NOON, last_seen_at=just_active, at=NOON + timedelta(hours=hours))
    assert not ended.allowed and ended.status == "expired"


def test_S4_five_failures_within_15_minutes_lock_for_30_minutes_four_do_not() -> None:
    figures = PARAMS.at("security.lockout", NOON).value
    assert figures == {"attempts": 5, "window_minutes": 15, "lock_minutes": 30}
    four = [NOON - minutes(i) for i in range(4)]
    assert security.account_lock(failures=four, at=NOON).allowed
    five = [NOON - minutes(i) for i in range(5)]
    locked = security.account_lock(failures=five, at=NOON)
    assert not locked.allowed and locked.values["locked_until"] == NOON + minutes(30)
    assert not security.account_lock(failures=five, at=NOON + minutes(30) - timedelta(seconds=1)).allowed
    assert security.account_lock(failures=five, at=NOON + minutes(30)).allowed


def test_S4_five_failures_spread_over_more_than_15_minutes_do_not_lock() -> None:
    at_the_edge = [NOON - minutes(15)] + [NOON - minutes(i) for i in range(4)]
    assert not security.account_lock(failures=at_the_edge, at=NOON).allowed  # 15 minutes exactly: within
    spread = [
        NOON
        - minutes(
            15,
        )
        - timedelta(seconds=1)
    ] + [NOON - minutes(i) for i in range(4)]
    assert security.account_lock(failures=spread, at=NOON).allowed


def test_S4_an_address_is_throttled_at_its_failure_limit() -> None:
    limit = PARAMS.at("security.address_throttle", NOON).value["failures"]
    below = [NOON - timedelta(seconds=i) for i in range(limit - 1)]
    assert security.address_throttle(failures=below, at=NOON).allowed
    at_limit = [NOON - timedelta(seconds=i) for i in range(limit)]
    refused = security.address_throttle(failures=at_limit, at=NOON)
    assert not refused.allowed and refused.status == "throttled"


def test_S3_length_blocklist_and_username_and_no_composition_rules() -> None:
    blocklist = common_passwords()
    minimum = PARAMS.at("security.password_min_length", NOON).value

    def ok(password: str, username: str = "coord_a") -> bool:
        return security.password_acceptable(password=password, username=username, blocklist=blocklist, at=NOON).allowed

    assert not ok("x" * 3 + "y" * (minimum - 4))  # one short
    assert ok("plain lowercase words")  # no digits, no capitals, no symbols: fine (no composition rules)
    assert not ok("Password2024!")  # "password" with decoration is still "password"
    assert not ok("passwordpassword")
    assert not ok("baseball1234")
    assert not ok("my name is coord_a ok", username="coord_a")
    assert not ok("aaaaaaaaaaaaaaaa")


def test_S3_the_shipped_password_list_has_its_provenance() -> None:
    assert len(common_passwords()) > 15_000
    assert {"password", "123456", "qwerty"} <= common_passwords()
    provenance = BLOCKLIST_FILE.with_name("common_passwords.PROVENANCE.md").read_text()
    assert "Django" in provenance and "BSD" in provenance


def test_S2_every_role_that_changes_records_needs_a_second_factor_auditors_may() -> None:
    for role in ("clerk", "wso", "supervisor", "coordinator", "admin"):
        assert security.mfa_required(role=role, at=NOON).allowed, role
    assert security.mfa_required(role="auditor", at=NOON).status == "optional"


def test_S5_a_token_expires_by_default_and_never_later_than_the_limit() -> None:
    days = PARAMS.at("security.api_token_max_days", NOON).value
    default = security.token_expiry(at=NOON, requested=None)
    assert default.allowed and default.values["expires_at"] == NOON + timedelta(days=days)
    assert security.token_expiry(at=NOON, requested=NOON + timedelta(days=days)).allowed
    assert not security.token_expiry(at=NOON, requested=NOON + timedelta(days=days, seconds=1)).allowed
