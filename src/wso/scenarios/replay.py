"""A scenario's facts as of one instant: its events mapped onto the catalog and folded by the core.

Why no fold of its own: the scenarios are evidence about the rules only if their facts are built the
way the application's are. So the scenario is translated into catalog events (scenarios/to_events.py)
and folded by `wso.events.facts.facts_as_of`, the one fold the audit also uses. A question asked at
10:00 sees only what is recorded at or before 10:00 (an event exactly at the instant counts: "at the
moment of service"). Which warrant service transfers custody is a legal question, so the caller passes
`service_counts`, which asks the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from wso.events.facts import Facts, ServiceRecord, facts_as_of
from wso.rules.facts import Agreement, Complaint, Facility, Hold, Officer, Warrant
from wso.scenarios import model as m
from wso.scenarios.to_events import AGREEMENT, FACILITY, HOLD, scenario_events

__all__ = ["ServiceRecord", "World", "fold"]


@dataclass(frozen=True)
class World:
    """Everything the rules need to answer one question at `at`, by the scenario's own names."""

    at: datetime
    facility: Facility
    agreement: Agreement | None
    officers: dict[str, Officer]
    warrants: dict[str, Warrant]
    services: tuple[ServiceRecord, ...]
    hold: Hold | None
    complaints: dict[str, Complaint]


ServiceCounts = Callable[[ServiceRecord, World], bool]


def fold(scenario: m.Scenario, *, at: datetime, service_counts: ServiceCounts) -> World:
    """The facts as they stand at `at`: only events recorded at or before it are folded."""

    def counts(record: ServiceRecord, snapshot: Facts) -> bool:
        return service_counts(record, _world(snapshot))

    return _world(facts_as_of(scenario_events(scenario), at, service_counts=counts))


def _world(snapshot: Facts) -> World:
    return World(
        at=snapshot.at,
        facility=snapshot.facilities[FACILITY],
        agreement=snapshot.agreements.get(AGREEMENT),
        officers=dict(snapshot.officers),
        warrants=dict(snapshot.warrants),
        services=snapshot.services,
        hold=snapshot.holds.get(HOLD),
        complaints=dict(snapshot.complaints),
    )
