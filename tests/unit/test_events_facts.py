"""Issue 11 item 1: one pure fold, `facts_as_of(events, at)`. What is recorded after `at` never
changes the facts at `at`; what is recorded by then does. The scenarios run through it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wso.events import holds as h
from wso.events import records as r
from wso.events.base import CatalogEvent, Event
from wso.events.catalog import payload_of
from wso.events.facts import facts_as_of
from wso.scenarios import load_scenario, run_file
from wso.scenarios import replay as replay_module
from wso.scenarios.to_events import AGREEMENT, HOLD, scenario_events

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
BASE = load_scenario(SCENARIOS / "h1_service_two_hours_before_scheduled_release.yaml")
EVENTS = scenario_events(BASE)
START = min(q.at for q in BASE.questions) - timedelta(days=3)
OFFICER = next(iter(BASE.facts.officers))


def _later(kind: str, *, recorded: datetime, happened: datetime, n: int) -> Event:
    """One event of `kind`, recorded at `recorded`, about something that happened at `happened`."""
    stream, typed = {
        "withdrawal": (
            f"officer:{OFFICER}",
            lambda: r.AuthorizationWithdrawn(withdrawal_id=f"w{n}", notice_at=happened, effective_at=happened),
        ),
        "exam": (
            f"officer:{OFFICER}",
            lambda: r.ExamAttemptRecorded(attempt_id=f"x{n}", taken_at=happened, score_percent=10),
        ),
        "termination": (
            f"agreement:{AGREEMENT}",
            lambda: r.NoticeReceived(notice_id=f"n{n}", kind="termination", by="ICE", received_at=happened),
        ),
        "meeting": (f"agreement:{AGREEMENT}", lambda: r.MeetingHeld(meeting_id=f"m{n}", held_at=happened)),
        "released": (f"hold:{HOLD}", lambda: h.Released(at=happened, reason="other")),
        "claim": (f"hold:{HOLD}", lambda: h.CitizenshipClaimed(at=happened)),
    }[kind]
    event: CatalogEvent = typed()
    return Event(10_000 + n, stream, 0, event.type, recorded, "test", payload_of(event))  # type: ignore[attr-defined]


KINDS = st.sampled_from(["withdrawal", "exam", "termination", "meeting", "released", "claim"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    minutes=st.integers(min_value=0, max_value=10 * 24 * 60),
    extra=st.lists(st.tuples(KINDS, st.integers(1, 10**6), st.integers(0, 10**6)), max_size=6),
)
def test_item1_facts_at_an_instant_ignore_every_event_recorded_later(minutes: int, extra: list) -> None:
    """Events recorded after `at`, even about earlier moments (backdated), change nothing at `at`."""
    at = START + timedelta(minutes=minutes)
    later = [
        _later(kind, recorded=at + timedelta(seconds=after), happened=at - timedelta(seconds=back), n=i)
        for i, (kind, after, back) in enumerate(extra)
    ]
    assert facts_as_of(EVENTS + later, at) == facts_as_of(EVENTS, at)


@pytest.mark.parametrize("kind", ["withdrawal", "exam", "termination", "meeting", "released", "claim"])
def test_item1_the_same_event_recorded_by_then_does_change_the_facts(kind: str) -> None:
    """The property above is not vacuous: each of those events, recorded at or before `at`, is seen."""
    at = max(q.at for q in BASE.questions)
    event = _later(kind, recorded=at, happened=at - timedelta(minutes=5), n=1)
    assert facts_as_of([*EVENTS, event], at) != facts_as_of(EVENTS, at)


def test_item1_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        facts_as_of(EVENTS, datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test


def test_item1_every_scenario_is_answered_through_facts_as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenario suite folds through the core's facts_as_of, once per question (no fold of its own)."""
    calls: list[datetime] = []

    def counting(events: list, at: datetime, **kwargs: object) -> object:
        calls.append(at)
        return facts_as_of(events, at, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(replay_module, "facts_as_of", counting)
    files = sorted(SCENARIOS.glob("*.yaml"))
    questions = 0
    for path in files:
        run = run_file(path)
        assert run.passed, path.name
        questions += len(run.answers)
    assert len(calls) == questions > 100
