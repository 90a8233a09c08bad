"""Agreements through the services, on SQLite and PostgreSQL: A1-A4, A6-A8, concurrency."""

from __future__ import annotations

import pytest

from tests.integration.records_support import SYSTEM, County, authorize, later, make_county, nominate
from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.officers import service as officers
from wso.services.errors import ConcurrencyError, InvalidInput, Refused
from wso.store.uow import Store


def test_A2_in_force_only_from_the_later_signature(store: Store) -> None:
    with store.unit_of_work() as uow:
        agency = agencies.create_agency(
            uow, actor=SYSTEM, at=later(0), name="Signing County SO", state="AL", timezone="America/Chicago"
        )
    with store.unit_of_work() as uow:
        agreement = agreements.create_agreement(
            uow, actor=SYSTEM, at=later(0), agency_id=agency.id, model="WSO", template="MOA-2025"
        )
    assert agreement.status.status == "not_signed" and agreement.version == 1
    with store.unit_of_work() as uow:
        agreements.record_signature(
            uow, actor=SYSTEM, at=later(1), agreement_id=agreement.id, party="LEA", signed_at=later(1)
        )
    with store.unit_of_work() as uow:
        view = agreements.record_signature(
            uow, actor=SYSTEM, at=later(9), agreement_id=agreement.id, party="ICE", signed_at=later(9)
        )
    assert view.status.status == "in_force" and view.version == 3
    with store.unit_of_work() as uow:
        assert (
            agreements.agreement_view(uow, actor=SYSTEM, agreement_id=agreement.id, at=later(8)).status.status
            == "not_yet_effective"
        )
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as signed_twice:
        agreements.record_signature(
            uow, actor=SYSTEM, at=later(10), agreement_id=agreement.id, party="ICE", signed_at=later(10)
        )
    assert signed_twice.value.field == "party"


def test_A1_one_live_agreement_per_model(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        agreements.create_agreement(
            uow, actor=county.coordinator, at=later(3), agency_id=county.agency_id, model="WSO", template="MOA-2025"
        )
    assert exc.value.rule_ids == ("A1",) and exc.value.field == "model"
    assert exc.value.decision.status == "one_per_model" and exc.value.decision.reasons[0].source
    with store.unit_of_work() as uow:
        jem = agreements.create_agreement(
            uow, actor=county.coordinator, at=later(3), agency_id=county.agency_id, model="JEM", template="MOA-2025"
        )
    assert jem.model == "JEM"


def test_A3_a_termination_takes_effect_after_the_notice_period_and_A4_revokes_every_authorization(
    store: Store, county: County
) -> None:
    first, second = nominate(store, county, "Officer One"), nominate(store, county, "Officer Two")
    authorize(store, county, first)
    authorize(store, county, second)
    with store.unit_of_work() as uow:
        view = agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(30),
            agreement_id=county.agreement_id,
            kind="termination",
            by="ICE",
            received_at=later(30),
        )
    effective = view.notices[0].effective_at
    assert effective > later(30)  # the notice period comes from the template's parameter, not from here
    with store.unit_of_work() as uow:
        before = officers.officer_roster(
            uow, actor=county.coordinator, agency_id=county.agency_id, at=effective - (effective - later(30)) / 2
        )
    assert [o.authorization.status for o in before] == ["authorized", "authorized"]
    with store.unit_of_work() as uow:
        after = officers.officer_roster(uow, actor=county.coordinator, agency_id=county.agency_id, at=effective)
        status = agreements.agreement_view(
            uow, actor=county.coordinator, agreement_id=county.agreement_id, at=effective
        ).status
    assert status.status == "terminated"
    for officer in after:
        assert officer.authorization.status == "not_authorized"
        assert "A4" in officer.authorization.rule_ids
        assert officer.credentials_status.status == "outstanding"  # O6: credentials go back to ICE
        # The roster's rows are brief (issue 11 item 6); the withdrawal rows are on the officer's own view.
        with store.unit_of_work() as uow:
            full = officers.officer_view(uow, actor=county.coordinator, officer_id=officer.id, at=effective)
        assert any(w.reason.startswith("A4") for w in full.withdrawals)


def test_A3_an_exigent_termination_needs_its_reason_and_takes_effect_on_its_date(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(30),
            agreement_id=county.agreement_id,
            kind="termination",
            by="LEA",
            received_at=later(30),
            exigent_effective_at=later(31),
        )
    assert exc.value.field == "exigent_reason" and exc.value.rule_ids == ("A3",)
    with store.unit_of_work() as uow:
        view = agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(30),
            agreement_id=county.agreement_id,
            kind="termination",
            by="LEA",
            received_at=later(30),
            exigent_effective_at=later(31),
            exigent_reason="Jail evacuated after flood",
        )
    assert view.notices[0].effective_at == later(31)


def test_A3_a_notice_on_an_unsigned_agreement_is_refused_with_the_rule(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        jem = agreements.create_agreement(
            uow, actor=county.coordinator, at=later(3), agency_id=county.agency_id, model="JEM", template="MOA-2025"
        )
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(4),
            agreement_id=jem.id,
            kind="suspension",
            by="ICE",
            received_at=later(4),
        )
    assert "A2" in exc.value.rule_ids and exc.value.decision.status == "not_in_force"
    assert exc.value.decision.values["agreement_status"] == "not_signed" and exc.value.field == "agreement_id"


def test_A3_a_lifted_suspension_restores_the_agreement(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        view = agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(10),
            agreement_id=county.agreement_id,
            kind="suspension",
            by="ICE",
            received_at=later(10),
            exigent_effective_at=later(10),
            exigent_reason="Audit finding",
        )
    assert view.status.status == "suspended"
    with store.unit_of_work() as uow:
        lifted = agreements.lift_suspension(
            uow,
            actor=county.coordinator,
            at=later(20),
            agreement_id=county.agreement_id,
            notice_id=view.notices[0].id,
            lifted_at=later(20),
        )
    assert lifted.status.status == "in_force"


def test_A6_meetings_due_and_held(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        view = agreements.agreement_view(uow, actor=county.coordinator, agreement_id=county.agreement_id, at=later(30))
    annual = [d for d in view.meetings.deadlines if d.name == "annual_meeting"][0]
    with store.unit_of_work() as uow:
        held = agreements.record_meeting(
            uow, actor=county.coordinator, at=later(200), agreement_id=county.agreement_id, held_at=later(200)
        )
    assert held.meetings_held == (later(200),)
    assert [d for d in held.meetings.deadlines if d.name == "annual_meeting"][0].due > annual.due


def test_A7_the_template_version_is_kept(store: Store) -> None:
    county = make_county(store, name="Old Template County SO", template="MOA-2019")
    with store.unit_of_work() as uow:
        assert (
            agreements.agreement_view(
                uow, actor=county.coordinator, agreement_id=county.agreement_id, at=later(5)
            ).template
            == "MOA-2019"
        )


def test_A8_an_agreement_in_a_forbidding_state_is_flagged_with_its_citation(store: Store) -> None:
    county = make_county(store, name="Pacific County SO", state="CA")
    with store.unit_of_work() as uow:
        view = agreements.agreement_view(uow, actor=county.coordinator, agreement_id=county.agreement_id, at=later(5))
    assert view.state_law_status == "forbids"
    assert "A8" in view.state_law["rule_ids"]


def test_a_stale_form_cannot_overwrite_a_newer_record(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        seen = agreements.agreement_view(uow, actor=county.coordinator, agreement_id=county.agreement_id, at=later(5))
    with store.unit_of_work() as uow:
        agreements.record_meeting(
            uow,
            actor=county.coordinator,
            at=later(6),
            agreement_id=county.agreement_id,
            held_at=later(6),
            expected_version=seen.version,
        )
    with store.unit_of_work() as uow, pytest.raises(ConcurrencyError):
        agreements.record_meeting(
            uow,
            actor=county.coordinator,
            at=later(7),
            agreement_id=county.agreement_id,
            held_at=later(7),
            expected_version=seen.version,
        )
