"""The roster's work grows at most linearly with the officers shown (issue 11 item 6).

Not a timed test (speed is measured in bench/roster.py): it counts what a request does per officer.
With 8 and then 80 officers (wso.demo.crowd, every one with child rows) through the API:
- the per-officer decision function runs exactly once per officer shown, never per pair or per query;
- the rules themselves (officer_authorized, the most expensive) run once per officer too;
- the response's bytes per officer stay flat (a list row is brief: DecisionBrief, no full reasons),
  and bounded, so the body grows linearly and a roster of 80 is not the 457 KB it used to be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.web_support import World
from wso.demo.crowd import add_officers
from wso.officers import service
from wso.rules import officers as rules
from wso.store.uow import Store

# A row with five brief decisions: about 1.3 KB with the crowd's histories; the full view was 5.7 KB.
MAX_BYTES_PER_OFFICER = 2_000


def counted(calls: Counter[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return function(*args, **kwargs)

    return wrapper


def roster(client: TestClient, world: World, calls: Counter[str]) -> tuple[int, int, Counter[str]]:
    """(officers listed, response bytes, calls made) for one GET of the roster."""
    calls.clear()
    response = client.get(f"/api/v1/agencies/{world.agency['a']}/officers", headers=world.headers("coord_a"))
    assert response.status_code == 200, response.text[:500]
    return len(response.json()), len(response.content), Counter(calls)


def test_roster_work_grows_linearly_with_the_officers_shown(
    client: TestClient, world: World, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    monkeypatch.setattr(service, "_decisions", counted(calls, "decisions", service._decisions))
    monkeypatch.setattr(service, "officer_authorized", counted(calls, "officer_authorized", rules.officer_authorized))
    store = Store(database_url)
    now = datetime.now(UTC)
    try:
        add_officers(store, agreement_id=world.agreement["a"], count=8, at=now)
        n8, bytes8, calls8 = roster(client, world, calls)
        add_officers(store, agreement_id=world.agreement["a"], count=72, at=now, first=8)
        n80, bytes80, calls80 = roster(client, world, calls)
    finally:
        store.dispose()
    assert (n8, n80) == (8, 80)
    assert calls8 == {"decisions": 8, "officer_authorized": 8}
    assert calls80 == {"decisions": 80, "officer_authorized": 80}
    per8, per80 = bytes8 / n8, bytes80 / n80
    assert per80 <= per8 * 1.25, (per8, per80)  # same profiles cycled: flat, give or take the names
    assert per80 <= MAX_BYTES_PER_OFFICER, per80
