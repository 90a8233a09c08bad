"""Officers through the services: the O4 path, refusals with their rules, O5, C4, O6, O7, O8."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.records_support import County, authorize, later, nominate
from wso.officers import service as officers
from wso.services.errors import InvalidInput, Refused
from wso.store.uow import Store


def roster_entry(store: Store, county: County, officer_id: str, at):  # noqa: ANN001, ANN201
    with store.unit_of_work() as uow:
        return next(
            o
            for o in officers.officer_roster(uow, actor=county.coordinator, agency_id=county.agency_id, at=at)
            if o.id == officer_id
        )


def test_O1_a_nomination_without_every_attestation_is_refused(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        officers.nominate_officer(
            uow,
            actor=county.coordinator,
            at=later(2),
            agreement_id=county.agreement_id,
            name="Officer N. Nobody",
            citizen_attested=False,
            experience_attested=True,
            facility_training_attested=True,
        )
    assert "O1" in exc.value.rule_ids and exc.value.field == "attestations"


def test_O1_the_fourth_attestation_inmate_accountability_and_conduct_is_required_and_stored(
    store: Store, county: County
) -> None:
    three = {"citizen_attested": True, "experience_attested": True, "facility_training_attested": True}
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        officers.nominate_officer(
            uow,
            actor=county.coordinator,
            at=later(2),
            agreement_id=county.agreement_id,
            name="Officer T. Three",
            **three,
        )
    assert "O1" in exc.value.rule_ids and "inmate accountability" in str(exc.value.decision.violations[0].text)
    with store.unit_of_work() as uow:
        view = officers.nominate_officer(
            uow,
            actor=county.coordinator,
            at=later(2),
            agreement_id=county.agreement_id,
            name="Officer F. Four",
            inmate_conduct_attested=True,
            **three,
        )
    with store.unit_of_work() as uow:
        again = officers.officer_view(uow, actor=county.coordinator, officer_id=view.id, at=later(3))
    assert again.inmate_conduct_attested is True


def test_the_issue_path_failed_exam_retake_letter_form_credentials_then_withdrawal(
    store: Store, county: County
) -> None:
    """The issue's browser scenario, at the service level: authorized with reasons, then O5."""
    oid = nominate(store, county)
    c = county.coordinator
    with store.unit_of_work() as uow:
        failed = officers.record_exam_attempt(
            uow, actor=c, at=later(10), officer_id=oid, taken_at=later(10), score_percent=64
        )
    assert failed.exam.status == "retake_allowed" and failed.authorization.status == "not_authorized"
    with store.unit_of_work() as uow, pytest.raises(Refused) as early:
        officers.record_authorization_letter(uow, actor=c, at=later(11), officer_id=oid, signed_at=later(11))
    assert "O3" in early.value.rule_ids
    with store.unit_of_work() as uow:
        officers.record_exam_attempt(uow, actor=c, at=later(12), officer_id=oid, taken_at=later(12), score_percent=81)
    with store.unit_of_work() as uow:
        officers.record_authorization_letter(uow, actor=c, at=later(13), officer_id=oid, signed_at=later(13))
    with store.unit_of_work() as uow:
        officers.record_form_70_006(uow, actor=c, at=later(14), officer_id=oid, signed_at=later(14))
    with store.unit_of_work() as uow:
        view = officers.issue_credentials(
            uow, actor=c, at=later(15), officer_id=oid, issued_at=later(15), number="WSO-7"
        )
    assert view.authorization.status == "authorized"
    assert {"O3", "O4"} <= set(view.authorization.rule_ids)
    assert view.version == 6  # nominated + 5 steps: the version is the officer stream's seq
    with store.unit_of_work() as uow:
        officers.withdraw_authorization(
            uow, actor=c, at=later(20), officer_id=oid, notice_at=later(20), effective_at=later(22), reason="FOD letter"
        )
    assert roster_entry(store, county, oid, later(21)).authorization.status == "authorized"  # effective later
    withdrawn = roster_entry(store, county, oid, later(22))
    assert withdrawn.authorization.status == "not_authorized" and "O5" in withdrawn.authorization.rule_ids
    assert withdrawn.credentials_status.status == "outstanding"
    with store.unit_of_work() as uow:
        returned = officers.return_credentials(uow, actor=c, at=later(23), officer_id=oid, returned_at=later(23))
    assert returned.credentials_status.status == "returned"


def test_O3_no_attempt_after_disqualification(store: Store, county: County) -> None:
    oid = nominate(store, county)
    for day, score in ((10, 50), (12, 69.9)):
        with store.unit_of_work() as uow:
            view = officers.record_exam_attempt(
                uow, actor=county.coordinator, at=later(day), officer_id=oid, taken_at=later(day), score_percent=score
            )
    assert view.exam.status == "disqualified"
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        officers.record_exam_attempt(
            uow, actor=county.coordinator, at=later(14), officer_id=oid, taken_at=later(14), score_percent=95
        )
    assert exc.value.decision.status == "disqualified"


def test_a_score_outside_0_to_100_names_the_field(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
        officers.record_exam_attempt(
            uow, actor=county.coordinator, at=later(10), officer_id=oid, taken_at=later(10), score_percent=140
        )
    assert exc.value.field == "score_percent"


def test_C4_a_suspension_pauses_authority_until_lifted(store: Store, county: County) -> None:
    oid = nominate(store, county)
    authorize(store, county, oid)
    with store.unit_of_work() as uow:
        view = officers.suspend_officer(
            uow,
            actor=county.coordinator,
            at=later(30),
            officer_id=oid,
            notice_at=later(30),
            effective_at=later(30),
            reason="Investigation",
        )
    suspension = view.withdrawals[0]
    assert roster_entry(store, county, oid, later(31)).authorization.status == "not_authorized"
    with store.unit_of_work() as uow:
        officers.lift_officer_suspension(
            uow, actor=county.coordinator, at=later(40), officer_id=oid, suspension_id=suspension.id, ended_at=later(40)
        )
    assert roster_entry(store, county, oid, later(41)).authorization.status == "authorized"


def test_O5_a_withdrawal_cannot_be_lifted(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        view = officers.withdraw_authorization(
            uow, actor=county.coordinator, at=later(5), officer_id=oid, notice_at=later(5), effective_at=later(5)
        )
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        officers.lift_officer_suspension(
            uow,
            actor=county.coordinator,
            at=later(6),
            officer_id=oid,
            suspension_id=view.withdrawals[0].id,
            ended_at=later(6),
        )
    assert exc.value.rule_ids == ("O5",)


def test_O7_a_late_departure_notice_is_recorded_and_flagged(store: Store, county: County) -> None:
    oid = nominate(store, county)
    authorize(store, county, oid)
    with store.unit_of_work() as uow:
        officers.record_departure_notice(
            uow, actor=county.coordinator, at=later(30), officer_id=oid, notice_at=later(30), departure_at=later(40)
        )
    gone = roster_entry(store, county, oid, later(41))
    assert gone.authorization.status == "not_authorized" and "O7" in gone.authorization.rule_ids
    assert gone.credentials_status.status == "outstanding"
    from wso.store.ledger import stream_events

    with store.unit_of_work() as uow:
        event = stream_events(uow.session, f"officer:{oid}")[-1]
        assert event.type == "officer.departure_notice_recorded" and event.data["notice_status"] == "late"


def test_O8_a_required_training_falls_due_then_is_done(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        officers.require_training(
            uow, actor=county.coordinator, at=later(5), officer_id=oid, name="Refresher", due_at=later(20)
        )
    assert roster_entry(store, county, oid, later(21)).training.status == "overdue"
    with store.unit_of_work() as uow:
        officers.record_training(
            uow, actor=county.coordinator, at=later(15), officer_id=oid, name="Refresher", completed_at=later(15)
        )
    assert roster_entry(store, county, oid, later(21)).training.status == "current"


def test_credentials_cannot_be_issued_twice_while_unreturned(store: Store, county: County) -> None:
    oid = nominate(store, county)
    authorize(store, county, oid)
    with store.unit_of_work() as uow, pytest.raises(Refused) as exc:
        officers.issue_credentials(uow, actor=county.coordinator, at=later(40), officer_id=oid, issued_at=later(40))
    assert "O6" in exc.value.rule_ids and exc.value.decision.status == "credentials_unreturned"
    assert [r.rule for r in exc.value.decision.violations] == ["O6"] and exc.value.field == "issued_at"


def test_reading_an_officer_is_logged(store: Store, county: County) -> None:
    from sqlalchemy import select

    from wso.store.tables import AccessLog

    oid = nominate(store, county)
    asked_about = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)  # an "as of" read of the past
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    with store.unit_of_work() as uow:
        officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=asked_about)
    with store.unit_of_work() as uow:
        rows = [
            (r.actor, r.entity, r.as_of, r.at)
            for r in uow.session.scalars(select(AccessLog).where(AccessLog.entity_id == oid))
        ]
    assert [row[:3] for row in rows] == [("clerk (clerk)", "officer", asked_about)]
    assert before <= rows[0][3] <= datetime.now(UTC) + timedelta(seconds=1)  # logged when it happened


def test_a_naive_instant_is_refused_naming_the_field(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
        officers.record_exam_attempt(
            uow,
            actor=county.coordinator,
            at=later(10),
            officer_id=oid,
            taken_at=later(10).replace(tzinfo=None) + timedelta(0),
            score_percent=80,
        )
    assert exc.value.field == "taken_at"
