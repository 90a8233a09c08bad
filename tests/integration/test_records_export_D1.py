"""D1 through the CLI (SQLite and PostgreSQL): an agency's records exported with their labels, and an
export of MOA records outside the agency refused without a recorded ICE coordination reference."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from wso.cli.main import app

runner = CliRunner()
COORDINATOR = {"WSO_PASSWORD": "wso-demo-password"}


def test_D1_export_outside_the_agency_needs_an_ice_coordination_reference(database_url: str) -> None:
    db = ("--database", database_url)
    assert runner.invoke(app, ["demo", "load", *db]).exit_code == 0
    agency_id = json.loads(
        runner.invoke(
            app, ["records", "list-agencies", "--user", "demo-coordinator", "--json", *db], env=COORDINATOR
        ).output
    )[0]["id"]
    base = ["records", "export-agency-records", "--agency-id", agency_id, "--user", "demo-coordinator", *db]

    refused = runner.invoke(app, [*base, "--destination", "media", "--recipient", "Gazette"], env=COORDINATOR)
    assert refused.exit_code == 1
    assert "ice_coordination_ref" in refused.output + refused.stderr and "D1" in refused.output + refused.stderr

    inside = runner.invoke(app, [*base, "--destination", "within_agency"], env=COORDINATOR)
    assert inside.exit_code == 0, inside.output
    records = json.loads(inside.output)["records"]
    labels = {r["kind"]: r["label_text"] for r in records}
    assert labels["agreement"] == "MOA record under ICE control" and labels["agency"] == "state record"
    assert {"officer", "agreement"} <= set(labels)

    released = runner.invoke(
        app,
        [*base, "--destination", "other", "--recipient", "County counsel", "--ice-coordination-ref", "FOD-2026-0142"],
        env=COORDINATOR,
    )
    assert released.exit_code == 0, released.output
    body = json.loads(released.output)
    assert body["decision"]["allowed"] is True and body["ice_coordination_ref"] == "FOD-2026-0142"
    assert any("FOD-2026-0142" in r["text"] for r in body["decision"]["reasons"])
    assert runner.invoke(app, ["ledger", "verify", *db]).exit_code == 0


def test_D1_api_export_refused_without_reference_and_labels_each_record(client, world) -> None:  # noqa: ANN001, F811
    path = f"/api/v1/agencies/{world.agency['a']}/export"
    refused = client.post(
        path, json={"destination": "other", "recipient": "County board"}, headers=world.headers("coord_a")
    )
    assert (
        refused.status_code == 409
        and refused.json()["field"] == "ice_coordination_ref"
        and "D1" in refused.json()["rule_ids"]
    )
    done = client.post(
        path,
        json={"destination": "other", "recipient": "County board", "ice_coordination_ref": "ERO-88"},
        headers=world.headers("coord_a"),
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert {r["label_text"] for r in body["records"]} >= {"MOA record under ICE control", "state record"}
    page = client.get(f"/api/v1/agreements/{world.agreement['a']}", headers=world.headers("coord_a"))
    assert page.json()["record_label"] == "MOA record under ICE control"
