"""Issue 10 (legal fidelity), the items owned outside custody holds: each test is named after the rule
it pins down and shows both sides of its line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.paths import SHARED
from tests.unit.factories import agreement
from wso.cli.main import app
from wso.params import default_params, load_params
from wso.params.catalog import default_catalog, load_catalog
from wso.params.loader import PARAMS_DIR
from wso.params.quotes import found_verbatim, quote_problems
from wso.rules import complaints, records
from wso.rules.agreements import appendix_change_allowed
from wso.rules.citing import cite
from wso.rules.clock import add_hours_excluding, weekends_and_holidays
from wso.rules.eligibility import agreement_state_law, state_law_eligibility
from wso.rules.facts import Complaint

UTC = UTC
MOA_DIR = SHARED / "data" / "ice" / "moa"
runner = CliRunner()
requires_moa = pytest.mark.skipif(not MOA_DIR.is_dir(), reason=f"agreement texts not at {MOA_DIR}")


# ---- item 7: modality -------------------------------------------------------------------------------


def test_item7_every_catalog_rule_has_a_modality_and_H7_differs_by_template() -> None:
    catalog = default_catalog()
    assert all(entry.modality in ("must", "should") for entry in catalog.values())
    assert catalog["H7"].modality_for("MOA-2019") == "must" and catalog["H7"].modality_for("MOA-2025") == "should"
    assert catalog["A6"].modality == "should" and catalog["O7"].modality == "should"


def test_item7_cite_takes_the_template_from_a_template_parameter() -> None:
    limit_2025 = default_params().for_template("hold.citizenship_report_hours", "MOA-2025")
    limit_2019 = default_params().for_template("hold.citizenship_report_hours", "MOA-2019")
    assert cite("H7", "late", limit_2025, satisfied=False).modality == "should"
    assert cite("H7", "late", limit_2019, satisfied=False).modality == "must"
    assert cite("H7", "late", template="MOA-2025").modality == "should"
    assert cite("H7", "late", limit_2025, modality="must").modality == "must"


def test_item7_rules_check_fails_on_a_catalog_rule_without_modality(tmp_path: Path) -> None:
    text = (PARAMS_DIR / "catalog.yaml").read_text()
    broken = tmp_path / "catalog.yaml"
    broken.write_text(text.replace("  modality: should\n", "", 1))
    entries = load_catalog(broken)
    assert [e.id for e in entries.values() if e.modality is None] == ["A6"]


def test_item7_wso_rules_shows_modality_in_json_and_markdown() -> None:
    import json

    rows = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    h7 = next(r for r in rows if r["id"] == "H7" and not r["value"])
    assert h7["modality"] == "must (MOA-2025: should)"
    markdown = runner.invoke(app, ["rules", "--markdown"]).stdout
    assert "| id | rule | value | source | confidence | modality | validity |" in markdown


# ---- item 8: template-only clauses -------------------------------------------------------------------


def test_item8_C3_resolution_time_C4_C5_A5_exist_only_in_moa_2019() -> None:
    params = default_params()
    assert params.for_template("complaints.resolution_days", "MOA-2019").value == 90
    assert params.for_template("complaints.resolution_days", "MOA-2025").value is None
    assert "PROGRAM.md" not in params.for_template("complaints.resolution_days", "MOA-2025").reference
    assert params.for_template("complaints.suspension_during_investigation", "MOA-2019").value is True
    assert params.for_template("complaints.suspension_during_investigation", "MOA-2025").value is False
    assert params.for_template("complaints.intake", "MOA-2019").value == "any_source"
    assert params.for_template("complaints.intake", "MOA-2025").value == "posters_english_spanish"


def test_C3_C4_a_2025_complaint_has_no_resolution_deadline_and_no_C4_reason() -> None:
    received = datetime(2026, 1, 15, 16, tzinfo=UTC)
    complaint = Complaint(
        received_at=received, about_designated_officer=True, ice_notified_at=received + timedelta(hours=1)
    )
    late_2025 = complaints.complaint_deadlines(
        complaint, template="MOA-2025", tz="America/New_York", at=received + timedelta(days=200)
    )
    assert (
        "C4" not in late_2025.rule_ids
        and "resolution" not in {d.name for d in late_2025.deadlines}
        and late_2025.allowed
    )
    late_2019 = complaints.complaint_deadlines(
        complaint, template="MOA-2019", tz="America/New_York", at=received + timedelta(days=200)
    )
    assert "C4" in late_2019.rule_ids and late_2019.allowed and [r.rule for r in late_2019.departures] == ["C3"]


def test_A5_ice_may_change_appendix_b_alone_only_under_moa_2019() -> None:
    assert appendix_change_allowed(agreement(template="MOA-2019"), part="Appendix B", by="ICE").allowed
    refused = appendix_change_allowed(agreement(template="MOA-2025"), part="Appendix B", by="ICE")
    assert not refused.allowed and [r.rule for r in refused.violations] == ["A5"]
    assert not appendix_change_allowed(agreement(template="MOA-2019"), part="Appendix A", by="ICE").allowed
    assert appendix_change_allowed(agreement(template="MOA-2025"), part="Appendix A", by="both").allowed


# ---- item 2: state law -------------------------------------------------------------------------------


def test_A8_california_cites_its_pinpoints_not_a5() -> None:
    decision = state_law_eligibility(state="CA", model="WSO", on=date(2018, 1, 1))
    assert decision.reasons[0].source == "Cal. Gov. Code § 7284.6(a)(1)(E), (a)(1)(G), (a)(4)"
    assert "(a)(5)" not in decision.reasons[0].source


def test_A8_maryland_keeps_signing_and_effective_dates_apart_and_shows_the_doubt() -> None:
    text = state_law_eligibility(state="MD", model="WSO", on=date(2026, 2, 18)).reasons[0].text
    assert "signed 2026-02-17" in text and "in force since 2026-02-18" in text and "Doubt:" in text


def test_H9_illinois_wso_hold_forbidden_from_2017_08_28_on_a_non_judicial_warrant() -> None:
    assert state_law_eligibility(state="IL", model="WSO", on=date(2017, 8, 27), rule="H9").allowed
    refused = state_law_eligibility(state="IL", model="WSO", on=date(2017, 8, 28), rule="H9")
    assert not refused.allowed and refused.reasons[0].source == "5 ILCS 805/15(a)"


def test_A8_judged_on_the_later_signature_in_the_agency_zone() -> None:
    late_evening = datetime(2026, 2, 18, 4, 59, tzinfo=UTC)  # 23:59 on the 17th in New York
    signed = agreement(
        state="MD",
        timezone="America/New_York",
        lea_signed_at=late_evening - timedelta(days=3),
        ice_signed_at=late_evening,
    )
    on_signing = agreement_state_law(signed, at=late_evening)
    assert on_signing.allowed and on_signing.values["signed_on"] == "2026-02-17"
    next_day = agreement_state_law(signed, at=late_evening + timedelta(days=1))
    assert not next_day.allowed and next_day.values["law_ids"] == ["MD-2026"]


# ---- item 11: citations ------------------------------------------------------------------------------


def test_item11_quotes_are_checked_after_normalising_ocr_noise_and_edits() -> None:
    text = "ICE will\n  review the train-\ning requirements annu-\nally. Then the PCSO' s facilities ofreceipt"
    assert found_verbatim("ICE will review the training requirements annually", text)
    assert found_verbatim("the [LEA]'s facilities of receipt", text)
    assert found_verbatim("ICE will ... annually", text)
    assert not found_verbatim("ICE will review the training requirements every year", text)


@requires_moa
def test_item11_every_shipped_quote_is_verbatim_and_a_dropped_clause_is_caught(tmp_path: Path) -> None:
    assert quote_problems(default_params(), moa_dir=MOA_DIR) == []
    params_dir = PARAMS_DIR
    copy = tmp_path / "params"
    import shutil

    shutil.copytree(params_dir, copy)
    quote = copy / "hold" / "citizenship_report_hours.yaml"
    quote.write_text(
        quote.read_text().replace(
            "immediately, but, absent unforeseen exigent circumstances, in no case", "immediately, and in no case"
        )
    )
    problems = quote_problems(load_params(copy), moa_dir=MOA_DIR)
    assert [(p.parameter, p.version) for p in problems] == [("hold.citizenship_report_hours", "MOA-2019")]


@requires_moa
def test_item11_wso_rules_check_passes_with_the_texts() -> None:
    result = runner.invoke(app, ["rules", "--check", "--moa-dir", str(MOA_DIR)])
    assert result.exit_code == 0, result.output


def test_H8_the_holiday_calendar_is_a_cited_parameter_and_the_clock_takes_it_as_an_argument() -> None:
    calendar = default_params().at("calendar.us_federal_holidays", date(2026, 7, 3))
    assert "5 U.S.C. § 6103" in calendar.reference and calendar.value["package"] == "holidays"
    friday_holiday = datetime(2026, 7, 3, 15, tzinfo=UTC)  # Independence Day observed
    skipped = add_hours_excluding(
        friday_holiday, 1, tz="America/Chicago", excluded=weekends_and_holidays(calendar.value)
    )
    assert skipped == datetime(2026, 7, 6, 6, tzinfo=UTC)  # Monday 01:00 CDT
    with pytest.raises(ValueError, match="package"):
        weekends_and_holidays({"package": "workalendar", "country": "US"})


def test_K2_K3_boa_cites_press_reports_and_igsa_the_facilitys_own_agreement() -> None:
    params = default_params()
    assert "Press reports" in params.at("costs.boa_per_hold_usd", date(2018, 1, 17)).reference
    assert default_catalog()["K3"].source == "the facility's IGSA"
    assert "SPLC" not in default_catalog()["K2"].source


# ---- item 12: D1-D3 ----------------------------------------------------------------------------------


def test_D1_moa_records_leave_the_agency_only_with_an_ice_coordination_reference() -> None:
    on = date(2026, 5, 1)
    refused = records.may_export_records(kinds=["agreement", "agency"], destination="media", on=on)
    assert not refused.allowed and [r.rule for r in refused.violations] == ["D1"]
    assert records.may_export_records(
        kinds=["agreement"], destination="media", on=on, ice_coordination_ref="OPA-77"
    ).allowed
    assert records.may_export_records(kinds=["agreement"], destination="within_agency", on=on).allowed
    assert records.may_export_records(kinds=["agency"], destination="other", on=on).allowed  # solely state records
    assert records.record_label("officer", on=on) == "moa" and records.record_label("facility", on=on) == "state"


def test_D1_D2_obligations_are_visible_in_wso_rules() -> None:
    import json

    rows = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    duties = {(r["id"], r["value"]) for r in rows if r["value"] == "obligation"}
    assert {r for r, _ in duties} == {"D1", "D2"}
    assert any(
        "ICE coordination reference" in r["rule"] for r in rows if r["id"] == "D1" and r["value"] == "obligation"
    )


def test_H7_a_late_citizenship_report_is_a_violation_under_moa_2019_and_a_departure_under_moa_2025() -> None:
    from tests.unit.factories import authorized_officer, facility, hold  # noqa: F401
    from wso.rules.facts import CitizenshipClaim
    from wso.rules.holds import hold_status

    release = datetime(2026, 6, 1, 16, tzinfo=UTC)
    claimed = release + timedelta(hours=1)
    for template, kind in (("MOA-2019", "violations"), ("MOA-2025", "departures")):
        case = hold(
            release=release,
            served_at=release,
            agreement=agreement(template=template),
            citizenship_claims=(CitizenshipClaim(claimed_at=claimed, reported_at=claimed + timedelta(minutes=61)),),
            ice_notified_at=release + timedelta(minutes=5),
        )
        decision = hold_status(case, at=claimed + timedelta(hours=2))
        assert [r.rule for r in getattr(decision, kind)] == ["H7"], (template, decision.to_dict())
        assert decision.allowed is (template == "MOA-2025")


def test_O7_a_late_departure_notice_is_a_departure_never_a_refusal() -> None:
    from tests.unit.factories import authorized_officer
    from wso.rules.officers import departure_notice

    leaving = datetime(2026, 9, 1, 16, tzinfo=UTC)
    late = departure_notice(
        authorized_officer(departure_notice_at=leaving - timedelta(days=30)),
        template="MOA-2025",
        departure_at=leaving,
        tz="America/New_York",
    )
    assert (
        late.allowed and late.status == "late" and [r.rule for r in late.departures] == ["O7"] and not late.violations
    )


def test_item7_the_rules_page_shows_modality() -> None:
    from fastapi.testclient import TestClient

    from wso.web.app import create_app

    page = TestClient(create_app("sqlite://")).get("/rules")
    assert page.status_code == 200 and ">Modality</th>" in page.text and "must (MOA-2025: should)" in page.text


@requires_moa
def test_item11_wso_rules_check_exits_1_naming_a_rule_without_modality_and_a_misquoted_parameter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import wso.cli.rules_cmd as rules_cmd
    import wso.params.catalog as catalog_module

    broken_catalog = tmp_path / "catalog.yaml"
    broken_catalog.write_text((PARAMS_DIR / "catalog.yaml").read_text().replace("  modality: should\n", "", 1))
    monkeypatch.setattr(catalog_module, "default_catalog", lambda: load_catalog(broken_catalog))
    copy = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, copy)
    meeting = copy / "agreement" / "meeting_interval_months.yaml"
    meeting.write_text(meeting.read_text().replace("shall make every effort to meet", "shall meet"))
    monkeypatch.setattr(rules_cmd, "default_params", lambda: load_params(copy))
    result = runner.invoke(app, ["rules", "--check", "--moa-dir", str(MOA_DIR)])
    assert result.exit_code == 1
    assert "rule A6: no modality" in result.output and "agreement.meeting_interval_months (MOA-2019)" in result.output
