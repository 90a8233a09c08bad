"""Accounts and sessions (rules S1-S5): when a session ends, when a sign-in is refused, which
password is acceptable, who needs a second factor, when a token expires.

Pure functions of facts and params, like every rule: the services load the attempts, the
sessions and the password list, and these functions decide, each with its cited reasons.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from wso.params import ParamSet, default_params
from wso.rules.citing import cite
from wso.rules.clock import require_aware
from wso.rules.decision import Decision

# What is stripped before the blocklist lookup, so "Password2024!" is found as "password".
_DECORATION = re.compile(r"[\d\W_]+$")


def session_state(
    *, started_at: datetime, last_seen_at: datetime, at: datetime, params: ParamSet | None = None
) -> Decision:
    """S1: "initiating a device lock after a maximum of 30 minutes of inactivity" (CJIS AC-11) and an
    absolute limit (AC-12): status "active", "idle_locked" or "expired". Elapsed time, not wall clock."""
    for name, value in (("started_at", started_at), ("last_seen_at", last_seen_at), ("at", at)):
        require_aware(value, name=name)
    params = params or default_params()
    idle = params.at("security.idle_lock_minutes", at)
    limit = params.at("security.session_max_hours", at)
    ends_at = started_at + timedelta(hours=limit.value)
    locks_at = last_seen_at + timedelta(minutes=idle.value)
    if at >= ends_at:
        reason = cite(
            "S1", f"The session began more than {limit.value} hours ago: sign in again.", limit, satisfied=False
        )
        return Decision("session_active", False, (reason,), status="expired", values={"ends_at": ends_at})
    if at >= locks_at:
        reason = cite(
            "S1", f"No activity for {idle.value} minutes: the session is locked; sign in again.", idle, satisfied=False
        )
        return Decision("session_active", False, (reason,), status="idle_locked", values={"locks_at": locks_at})
    reason = cite(
        "S1",
        f"Active; locks after {idle.value} minutes without activity, ends {limit.value} hours after sign-in.",
        idle,
        limit,
    )
    return Decision(
        "session_active", True, (reason,), status="active", values={"locks_at": locks_at, "ends_at": ends_at}
    )


def account_lock(*, failures: Sequence[datetime], at: datetime, params: ParamSet | None = None) -> Decision:
    """S4: "a limit of five (5) consecutive invalid logon attempts by a user during a 15 minute time
    period; automatically lock the account ... for a 30 minute time period" (CJIS AC-7).

    `failures` are the failed attempts since the last successful sign-in, in any order. The
    account is locked from the failure that reaches the limit (within the window) for the period.
    """
    require_aware(at, name="at")
    params = params or default_params()
    lockout = params.at("security.lockout", at)
    limit, window = lockout.value["attempts"], timedelta(minutes=lockout.value["window_minutes"])
    period = timedelta(minutes=lockout.value["lock_minutes"])
    recent = sorted(f for f in failures if f <= at)[-limit:]
    if len(recent) == limit and recent[-1] - recent[0] <= window and at < recent[-1] + period:
        until = recent[-1] + period
        reason = cite(
            "S4",
            f"{limit} failed sign-ins in a row within {lockout.value['window_minutes']} minutes: the "
            f"account is locked for {lockout.value['lock_minutes']} minutes.",
            lockout,
            satisfied=False,
        )
        return Decision("may_sign_in", False, (reason,), status="locked", values={"locked_until": until})
    reason = cite("S4", f"{len(recent)} failed sign-in(s) in a row; the account locks at {limit}.", lockout)
    return Decision("may_sign_in", True, (reason,), status="open")


def address_throttle(*, failures: Sequence[datetime], at: datetime, params: ParamSet | None = None) -> Decision:
    """S4: rate limiting by network address (NIST SP 800-63B §5.2.2), so one address cannot guess
    across many accounts below each account's lock. `failures`: that address's failed attempts."""
    require_aware(at, name="at")
    params = params or default_params()
    throttle = params.at("security.address_throttle", at)
    window = timedelta(minutes=throttle.value["window_minutes"])
    recent = sorted(f for f in failures if at - window < f <= at)
    if len(recent) >= throttle.value["failures"]:
        until = recent[0] + window
        reason = cite(
            "S4",
            f"{len(recent)} failed sign-ins from this address within {throttle.value['window_minutes']}"
            " minutes: wait before trying again.",
            throttle,
            satisfied=False,
        )
        return Decision("address_may_try", False, (reason,), status="throttled", values={"retry_at": until})
    return Decision(
        "address_may_try", True, (cite("S4", "This address is under the failure limit.", throttle),), status="open"
    )


def password_acceptable(
    *, password: str, username: str, blocklist: Collection[str], at: datetime, params: ParamSet | None = None
) -> Decision:
    """S3 (NIST SP 800-63B §5.1.1.2): at least the minimum length; not a common or breached password
    (also once trailing digits and symbols are stripped, or as a word repeated); not the username;
    "Verifiers SHOULD NOT impose other composition rules" - so none here."""
    require_aware(at, name="at")
    params = params or default_params()
    minimum = params.at("security.password_min_length", at)
    problems: list[str] = []
    if len(password) < minimum.value:
        problems.append(f"must be at least {minimum.value} characters")
    lowered = password.lower()
    bare = _DECORATION.sub("", lowered)
    common = lowered in blocklist or bare in blocklist or _repeats_a_common_word(lowered, blocklist)
    if common or len(set(lowered)) <= 2:
        problems.append("is a common or breached password")
    name = username.strip().lower()
    if name and name in lowered:
        problems.append("must not contain the user name")
    if problems:
        reason = cite("S3", "The password " + "; ".join(problems) + ".", minimum, satisfied=False)
        return Decision("password_acceptable", False, (reason,), status="refused")
    return Decision(
        "password_acceptable",
        True,
        (cite("S3", "Long enough, not common, not the user name.", minimum),),
        status="acceptable",
    )


def _repeats_a_common_word(lowered: str, blocklist: Collection[str]) -> bool:
    for size in range(1, len(lowered) // 2 + 1):
        if len(lowered) % size == 0 and lowered[:size] * (len(lowered) // size) == lowered:
            return lowered[:size] in blocklist or size <= 2
    return False


def mfa_required(*, role: str, at: datetime, params: ParamSet | None = None) -> Decision:
    """S2: a second factor for "every role that changes records" (CJIS IA-2(1), IA-2(2)); optional otherwise."""
    require_aware(at, name="at")
    params = params or default_params()
    roles = params.at("security.mfa", at)
    if role in roles.value:
        return Decision(
            "mfa_required", True, (cite("S2", f"A {role} signs in with a TOTP code.", roles),), status="required"
        )
    return Decision(
        "mfa_required", False, (cite("S2", f"A {role} may enrol a TOTP code (optional).", roles),), status="optional"
    )


def token_expiry(*, at: datetime, requested: datetime | None, params: ParamSet | None = None) -> Decision:
    """S5: every API token expires; asked for without an expiry, or beyond the limit, it gets the limit."""
    require_aware(at, name="at")
    params = params or default_params()
    days = params.at("security.api_token_max_days", at)
    latest = at + timedelta(days=days.value)
    if requested is None:
        reason = cite("S5", f"No expiry asked for: the token expires in {days.value} days.", days)
        return Decision("token_expiry", True, (reason,), status="default", values={"expires_at": latest})
    require_aware(requested, name="expires_at")
    if requested > latest:
        reason = cite("S5", f"A token may be valid for at most {days.value} days.", days, satisfied=False)
        return Decision("token_expiry", False, (reason,), status="too_long", values={"expires_at": latest})
    reason = cite("S5", "The token expires when asked.", days)
    return Decision("token_expiry", True, (reason,), status="requested", values={"expires_at": requested})
