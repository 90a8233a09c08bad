"""schemathesis against the app's own /openapi.json: no input may cause a server error (5xx).

Every operation of the schema is run, on SQLite and on PostgreSQL, with cases that fit the schema
(positive) and cases that do not (negative), authenticated as agency A's coordinator (the role
that may change the most). Ids in the path are, for positive cases, those of real records, so the
generated bodies reach the services and the rules instead of stopping at "no such record".
Examples per operation are bounded to keep the whole run well under 90 seconds.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.integration.web_support import World

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}


def known_records(world: World) -> dict[str, str]:
    """A nominated officer and a complaint about them in agency A, beside its agency and agreement."""
    with TestClient(world.app) as client:
        headers = world.headers("coord_a")
        officer = client.post(
            f"/api/v1/agreements/{world.agreement['a']}/officers",
            json={
                "name": "Fuzz Target",
                "citizen_attested": True,
                "experience_attested": True,
                "facility_training_attested": True,
                "inmate_conduct_attested": True,
            },
            headers=headers,
        ).json()
        complaint = client.post(
            "/api/v1/complaints",
            json={
                "received_at": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
                "source": "public",
                "summary": "seed",
                "officer_id": officer["id"],
            },
            headers=headers,
        ).json()
    return {
        "agency_id": world.agency["a"],
        "agreement_id": world.agreement["a"],
        "officer_id": officer["id"],
        "complaint_id": complaint["id"],
    }


def test_no_generated_request_causes_a_server_error(world: World) -> None:
    ids = known_records(world)
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    auth = world.headers("coord_a")
    server_errors: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label == "DELETE /api/v1/tokens/current":
            continue  # it would revoke the token the run uses (tested in test_api_officers)
        operations += 1
        names = {p.name for p in operation.path_parameters}
        for mode, examples in EXAMPLES.items():
            fixed = {k: v for k, v in ids.items() if k in names} if mode is GenerationMode.POSITIVE else None
            strategy = operation.as_strategy(mode, path_parameters=fixed or None)

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case: schemathesis.Case) -> None:
                response = case.call(headers=auth)
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    server_errors.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}: {case.body!r}"
                    )

            try:
                run()
            except Unsatisfiable:
                # An operation with nothing to get wrong (no parameters, no body) has no negative case.
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert operations >= 30
    # Some generated requests got through to a successful change or read, so the run went past validation.
    assert sum(n for code, n in statuses.items() if code < 300) >= 40, statuses
    assert not server_errors, "\n".join(server_errors[:20])


HOSTILE = {"string": "\ud800", "date-time": 12345, "number": True, "integer": True}
SHAPE = {"error", "field", "reason", "rule_ids"}


def test_item9_schemathesis_hostile_cases_get_4xx_in_the_documented_shape(world: World) -> None:
    """Issue 14, item 9, through schemathesis' own cases: for every POST of the records API, each body
    field in turn gets what the probe sent (a lone surrogate for text, 12345 for an instant, true for a
    number); plus the unauthenticated token endpoint and the public comparison before the programs'
    data. None may be a 5xx, and every answer has the documented error shape."""
    import uuid

    from tests.integration.test_api_permissions import records_of, valid_body

    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    spec = world.app.openapi()
    auth = world.headers("coord_a")
    with TestClient(world.app) as client:
        ids = {**records_of(client, world, "a"), "token_id": str(uuid.uuid4())}
    tried = 0
    problems: list[str] = []
    for path, operations in spec["paths"].items():
        post = operations.get("post")
        if not path.startswith("/api/v1/") or post is None or "requestBody" not in post:
            continue
        body_schema = post["requestBody"]["content"]["application/json"]["schema"]
        if "$ref" not in body_schema:
            continue  # a free-form body (the booking feed): its rows are checked one by one (test_holds_api)
        body = valid_body(world, post, ids)
        ref = body_schema["$ref"].rsplit("/", 1)[1]
        properties = spec["components"]["schemas"][ref]["properties"]
        for name, prop in properties.items():
            kinds = [prop.get("format"), prop.get("type")] + [
                a.get("format") or a.get("type") for a in prop.get("anyOf", [])
            ]
            kind = next((k for k in kinds if k in HOSTILE), None)
            if kind is None:
                continue
            case = schema[path]["POST"].Case(
                body={**body, name: HOSTILE[kind]},
                path_parameters={k: ids[k] for k in ids if "{" + k + "}" in path},
                media_type="application/json",
            )
            response = case.call(headers=auth)
            tried += 1
            if (
                response.status_code >= 500
                or not 400 <= response.status_code < 500
                or not set(response.json()) >= SHAPE
            ):
                problems.append(f"POST {path} {name}={HOSTILE[kind]!r} -> {response.status_code} {response.text[:200]}")
    public = schema["/api/v1/public/comparison"]["GET"].Case(query={"on": "1899-01-01"}).call()
    assert public.status_code == 422 and set(public.json()) >= SHAPE
    assert tried >= 40, tried
    assert not problems, "\n".join(problems[:20])
