"""The public-data API and pages over a real database holding ICE's July sheets."""

from __future__ import annotations

import datetime as dt
import io

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from tests.paths import ICE_SHEETS, requires_ice_sheets
from wso.params import default_params
from wso.publicdata.importer import import_sheets
from wso.store.db import make_engine
from wso.web.app import create_app

SHEETS = ICE_SHEETS
JULY = [SHEETS / "participatingAgencies07182025pm.xlsx", SHEETS / "pendingAgencies07182025pm.xlsx"]

pytestmark = requires_ice_sheets


@pytest.fixture
def client(database_url: str) -> TestClient:
    engine = make_engine(database_url)
    try:
        import_sheets(engine=engine, paths=JULY, now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    return TestClient(create_app(database_url))


def test_api_and_pages_agree_with_the_sheet(client: TestClient) -> None:
    summary = client.get("/api/v1/public/summary").json()
    assert summary["agreements"] == 832 and summary["states"] == 40
    texas_wso = client.get("/api/v1/public/agreements", params={"state": "TX", "model": "WSO"}).json()
    by_state = {s["state"]: s for s in summary["by_state"]}
    assert len([a for a in texas_wso if a["status"] == "active"]) == by_state["TX"]["WSO"]
    parquet = pq.read_table(io.BytesIO(client.get("/api/v1/public/agreements.parquet").content), use_threads=False)
    assert parquet.num_rows == 832 + 26
    assert dt.date(5025, 7, 7) in parquet.column("signed_on").to_pylist()  # kept as read
    csv_lines = client.get("/api/v1/public/agreements.csv").text.strip().splitlines()
    assert len(csv_lines) == 1 + 832 + 26
    florida = client.get("/public/states/FL")
    assert florida.status_code == 200 and "Florida" in florida.text
    assert '<svg id="chart-state-growth" class="svg-chart wide" role="img"' in florida.text
    assert '<svg id="chart-state-growth-narrow" class="svg-chart narrow"' in florida.text
    assert "plotly" not in florida.text
    assert client.get("/public/states/ZZ").status_code == 404
    agency = client.get("/public/agencies/AL-colbert-county-sheriffs-office")
    assert agency.status_code == 200 and "Colbert County" in agency.text


def test_eligibility_cites_the_state_law(client: TestClient) -> None:
    california = client.get(
        "/api/v1/public/eligibility", params={"state": "CA", "model": "WSO", "on": "2020-01-01"}
    ).json()
    assert california["status"] == "forbids" and not california["allowed"]
    assert any("SB 54" in r["text"] for r in california["reasons"])
    before = client.get("/api/v1/public/eligibility", params={"state": "CA", "model": "WSO", "on": "2017-12-31"}).json()
    assert before["status"] == "silent"
    bad = client.get("/api/v1/public/eligibility", params={"state": "CA", "model": "XYZ"})
    assert bad.status_code == 422 and bad.json()["field"] == "model" and "XYZ" in bad.json()["reason"]


def test_cost_estimate_shows_each_program_and_its_assumptions(client: TestClient) -> None:
    body = client.get(
        "/api/v1/public/costs", params={"holds_per_month": 10, "hours_per_hold": 24, "igsa_bed_rate_usd": 80}
    ).json()
    assert set(body["programs"]) == {"WSO", "BOA", "IGSA"}
    assert body["programs"]["WSO"]["reimbursement_usd"] == 0
    boa_fee = default_params().at("costs.boa_per_hold_usd", dt.date.fromisoformat(body["on"])).value
    assert body["programs"]["BOA"]["reimbursement_usd"] == 120 * boa_fee
    assert body["assumptions"]["holds_per_year"] == 120
    assert client.get("/api/v1/public/costs", params={"officers": -1}).status_code == 422
    comparison = client.get("/api/v1/public/comparison").json()
    assert [r["aspect"] for r in comparison["rows"]] == [
        "powers",
        "training",
        "duration",
        "hold_limit",
        "costs",
        "sources",
    ]
    assert all(set(r["by_program"]) == {"WSO", "JEM", "TFM", "BOA"} and r["reference"] for r in comparison["rows"])
