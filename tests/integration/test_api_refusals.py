"""A refusal the law sets reaches the API and the pages as the rule's Decision (issue 11, item 3): 409,
the field, the rule ids and every reason with its source, in the one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.web_support import World, ago, sign_in


def test_A1_a_second_WSO_agreement_is_refused_with_the_rule_and_its_source(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/agreements",
        json={"agency_id": world.agency["a"], "model": "WSO", "template": "MOA-2025"},
        headers=world.headers("coord_a"),
    )
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["error"] == "refused" and body["field"] == "model" and body["rule_ids"] == ["A1"]
    assert set(body) == {"error", "field", "reason", "rule_ids", "reasons"}
    (reason,) = body["reasons"]
    assert reason["rule"] == "A1" and reason["satisfied"] is False and reason["source"] and reason["confidence"]
    assert "one per model" in body["reason"]


def test_A3_an_exigent_notice_without_its_reason_is_refused_on_the_page_with_the_rule_and_source(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, world, "coord_a")
    page = f"/agreements/{world.agreement['a']}"
    refused = client.post(
        page + "/notices",
        data={
            "csrf_token": csrf,
            "kind": "suspension",
            "by": "ICE",
            "received_at": "2026-01-05T10:00",
            "exigent_effective_at": "2026-01-05T12:00-05:00",  # optional instants: see the report (no zone applied)
        },
    )
    assert refused.status_code == 409, refused.text[refused.text.find("data-error") - 200 :][:800]
    assert 'data-error="refused"' in refused.text and "exigent_reason" in refused.text and ">A3<" in refused.text
    assert "§VIII" in refused.text  # the reason's source, shown beside it
    stored = client.get(f"/api/v1/agreements/{world.agreement['a']}", headers=world.headers("coord_a")).json()
    assert stored["notices"] == []  # nothing recorded


def test_O5_a_withdrawal_cannot_be_lifted_through_the_api(client: TestClient, world: World) -> None:
    officer = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers",
        json={
            "name": "Dana Ortiz",
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
        headers=world.headers("coord_a"),
    ).json()
    withdrawn = client.post(
        f"/api/v1/officers/{officer['id']}/withdrawals",
        json={"notice_at": ago(days=2), "effective_at": ago(days=2)},
        headers=world.headers("coord_a"),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    withdrawal_id = withdrawn.json()["withdrawals"][0]["id"]
    lifted = client.post(
        f"/api/v1/officers/{officer['id']}/suspensions/{withdrawal_id}/lift",
        json={"ended_at": ago(days=1)},
        headers=world.headers("coord_a"),
    )
    assert lifted.status_code == 409, lifted.text
    assert lifted.json()["rule_ids"] == ["O5"] and lifted.json()["field"] == "suspension_id"
