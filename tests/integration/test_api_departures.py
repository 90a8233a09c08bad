"""POST /api/v1/departures (issue 10 item 7): a late O7 notice's reason recorded and shown apart from
violations; a must rule or a rule with no departure is a 422 naming `rule`; the auditor gets 403."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.integration.test_api_officers import nominate
from tests.integration.web_support import World, ago


def test_O7_a_late_departure_notice_s_reason_through_the_api(client: TestClient, world: World) -> None:
    officer = nominate(client, world)
    soon = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    notice = client.post(
        f"/api/v1/officers/{officer['id']}/departure-notice",
        json={"notice_at": ago(hours=1), "departure_at": soon},
        headers=world.headers("coord_a"),
    )
    assert notice.status_code == 200, notice.text
    body = {"entity": "officer", "entity_id": officer["id"], "rule": "O7", "reason": "Resigned with five days' notice."}
    refused = client.post("/api/v1/departures", json=body, headers=world.headers("auditor"))
    assert refused.status_code == 403, refused.text
    done = client.post("/api/v1/departures", json=body, headers=world.headers("coord_a"))
    assert done.status_code == 201, done.text
    shown = [d for d in done.json()["departures"] if d["rule"] == "O7"]
    assert shown[0]["reason"] == "Resigned with five days' notice." and shown[0]["recorded_by"].startswith("coord_a")


def test_A6_with_no_missed_meeting_and_C1_style_must_rules_are_422_naming_rule(
    client: TestClient, world: World
) -> None:
    body = {"entity": "agreement", "entity_id": world.agreement["a"], "rule": "A6", "reason": "x"}
    none_now = client.post("/api/v1/departures", json=body, headers=world.headers("coord_a"))
    assert none_now.status_code == 422 and none_now.json()["field"] == "rule"
    must = client.post("/api/v1/departures", json={**body, "rule": "A2"}, headers=world.headers("coord_a"))
    assert must.status_code == 422 and must.json()["field"] == "rule" and "must" in must.json()["reason"]
    blank = client.post("/api/v1/departures", json={**body, "reason": ""}, headers=world.headers("coord_a"))
    assert blank.status_code == 422
