"""Every API read answers exactly what its OpenAPI schema promises.

The routes serialise views straight to JSON without validating them again (wso.http.api_routes
`_render`, for speed), so this test does it instead: every GET under /api/v1 is called on real
records (officers in each profile, complaints, an agreement) and its body validated against the
200 response of /openapi.json, with every object's `additionalProperties` set to false, so neither
a wrong type nor a field missing from or added to the schema goes unseen.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import jsonschema_rs  # schemathesis's JSON Schema validator
from fastapi.testclient import TestClient

from tests.integration.web_support import World
from wso.demo.crowd import add_officers
from wso.store.uow import Store


def closed(schema: Any) -> Any:
    """The schema with every object that lists its properties closed to any other."""
    if isinstance(schema, dict):
        out = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    return schema


def test_every_api_read_matches_its_schema(client: TestClient, world: World, database_url: str) -> None:
    store = Store(database_url)
    try:
        officer_ids = add_officers(store, agreement_id=world.agreement["a"], count=4, at=datetime.now(UTC))
    finally:
        store.dispose()
    headers = world.headers("coord_a")
    complaints = client.get(f"/api/v1/agencies/{world.agency['a']}/complaints", headers=headers).json()
    ids = {
        "agency_id": world.agency["a"],
        "agreement_id": world.agreement["a"],
        "complaint_id": complaints[0]["id"],
        "user_id": world.user_ids["coord_a"],
    }
    required_query = {"/api/v1/departures": {"entity": "agreement", "entity_id": world.agreement["a"]}}
    openapi = client.get("/openapi.json").json()
    components = closed(openapi["components"])
    checked = []
    for template, operations in openapi["paths"].items():
        if "get" not in operations or not template.startswith("/api/v1") or template.startswith("/api/v1/public"):
            continue  # the public-data reads render their own tables with their own views
        content = operations["get"]["responses"]["200"].get("content", {})
        if "application/json" not in content:
            continue  # a download (CSV, Parquet), not a JSON body
        if any(name not in ids and name != "officer_id" for name in re.findall(r"{(\w+)}", template)):
            continue  # a record this world does not make (a hold, a token); its own area's tests read it
        response = content["application/json"]["schema"]
        validator = jsonschema_rs.validator_for({**closed(response), "components": components})
        for officer_id in officer_ids if "{officer_id}" in template else [None]:
            path = re.sub(
                r"{(\w+)}", lambda m, one=officer_id: one if m.group(1) == "officer_id" else ids[m.group(1)], template
            )
            admin_only = template.startswith("/api/v1/users")  # user management is the admin's (item 4)
            answer = client.get(
                path, params=required_query.get(template), headers=world.headers("admin") if admin_only else headers
            )
            assert answer.status_code == 200, (path, answer.text[:300])
            errors = [f"{list(e.instance_path)}: {e}"[:300] for e in validator.iter_errors(answer.json())]
            assert not errors, (template, errors[:5])
            checked.append(template)
    assert {
        "/api/v1/agencies/{agency_id}/officers",
        "/api/v1/officers/{officer_id}",
        "/api/v1/agencies/{agency_id}/complaints",
        "/api/v1/complaints/{complaint_id}",
        "/api/v1/agencies/{agency_id}/due",
        "/api/v1/agreements/{agreement_id}",
        "/api/v1/departures",
    } <= set(checked)
