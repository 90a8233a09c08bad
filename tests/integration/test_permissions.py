"""Roles and agency scope, enforced inside the services (so CLI, API and pages agree)."""

from __future__ import annotations

import pytest

from tests.integration.records_support import SYSTEM, County, later, make_county, nominate
from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.complaints import service as complaints
from wso.officers import service as officers
from wso.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from wso.services.permissions import Actor
from wso.store.uow import Store
from wso.users import auth
from wso.users import service as users


def test_a_clerk_cannot_certify_an_officer(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        officers.record_exam_attempt(
            uow, actor=county.clerk, at=later(10), officer_id=oid, taken_at=later(10), score_percent=90
        )
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        officers.issue_credentials(uow, actor=county.clerk, at=later(10), officer_id=oid, issued_at=later(10))
    with store.unit_of_work() as uow:  # nothing was written by the refused calls
        assert officers.officer_view(uow, actor=county.clerk, officer_id=oid, at=later(11)).exam_attempts == ()


def test_a_clerk_may_receive_a_complaint_but_not_resolve_it(store: Store, county: County) -> None:
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        view = complaints.receive_complaint(
            uow, actor=county.clerk, at=later(3), received_at=later(3), source="inmate", summary="x", officer_id=oid
        )
    with store.unit_of_work() as uow, pytest.raises(Forbidden):
        complaints.resolve_complaint(
            uow, actor=county.clerk, at=later(4), complaint_id=view.id, resolution="done", resolved_at=later(4)
        )


def test_an_auditor_reads_every_agency_and_changes_nothing(store: Store, county: County) -> None:
    other = make_county(store, name="Other County SO")
    oid = nominate(store, county)
    with store.unit_of_work() as uow:
        seen = {a.id for a in agencies.list_agencies(uow, actor=county.auditor)}
    assert {county.agency_id, other.agency_id} <= seen
    with store.unit_of_work() as uow:
        assert officers.officer_view(uow, actor=county.auditor, officer_id=oid, at=later(3)).name == "Officer A. Rivera"
    attempts = [
        lambda uow: officers.record_background_check(
            uow, actor=county.auditor, at=later(3), officer_id=oid, status="cleared"
        ),
        lambda uow: agreements.record_meeting(
            uow, actor=county.auditor, at=later(3), agreement_id=county.agreement_id, held_at=later(3)
        ),
        lambda uow: complaints.receive_complaint(
            uow, actor=county.auditor, at=later(3), received_at=later(3), source="ice", summary="x", officer_id=oid
        ),
        lambda uow: agencies.create_agency(
            uow, actor=county.auditor, at=later(3), name="New SO", state="TX", timezone="America/Chicago"
        ),
        lambda uow: users.create_user(
            uow,
            actor=county.auditor,
            at=later(3),
            username="someone",
            password="long enough pw",
            role="clerk",
            agency_id=county.agency_id,
        ),
    ]
    for attempt in attempts:
        with store.unit_of_work() as uow, pytest.raises(Forbidden):
            attempt(uow)


def test_a_user_of_agency_A_sees_nothing_of_agency_B(store: Store, county: County) -> None:
    other = make_county(store, name="Other County SO")
    theirs = nominate(store, other)
    stranger = county.coordinator
    with store.unit_of_work() as uow:
        assert [a.id for a in agencies.list_agencies(uow, actor=stranger)] == [county.agency_id]
    reads = [
        lambda uow: officers.officer_view(uow, actor=stranger, officer_id=theirs, at=later(3)),
        lambda uow: officers.officer_roster(uow, actor=stranger, agency_id=other.agency_id, at=later(3)),
        lambda uow: agreements.agreement_view(uow, actor=stranger, agreement_id=other.agreement_id, at=later(3)),
        lambda uow: complaints.list_complaints(uow, actor=stranger, agency_id=other.agency_id, at=later(3)),
        lambda uow: officers.record_background_check(
            uow, actor=stranger, at=later(3), officer_id=theirs, status="failed"
        ),
        lambda uow: officers.nominate_officer(
            uow,
            actor=stranger,
            at=later(3),
            agreement_id=other.agreement_id,
            name="Planted",
            citizen_attested=True,
            experience_attested=True,
            facility_training_attested=True,
            inmate_conduct_attested=True,
        ),
    ]
    for read in reads:
        with store.unit_of_work() as uow, pytest.raises(NotFound):  # not Forbidden: existence stays hidden
            read(uow)


def test_users_passwords_and_tokens(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        admin = users.create_user(
            uow, actor=SYSTEM, at=later(1), username="first-admin", password="correct horse battery", role="admin"
        )
    with store.unit_of_work() as uow:
        stored = uow.session.get(__import__("wso.store.tables", fromlist=["User"]).User, admin.id).password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    with store.unit_of_work() as uow, pytest.raises(NotAuthenticated):
        auth.authenticate(uow, username="first-admin", password="wrong password")
    with store.unit_of_work() as uow:
        actor = auth.authenticate(uow, username="first-admin", password="correct horse battery")
    assert actor.role == "admin" and actor.all_agencies
    with store.unit_of_work() as uow:
        clerk = users.create_user(
            uow,
            actor=actor,
            at=later(2),
            username="clerk.one",
            password="another long one",
            role="clerk",
            agency_id=county.agency_id,
        )
    with store.unit_of_work() as uow:
        token = auth.issue_api_token(
            uow, actor=Actor(clerk.id, clerk.username, clerk.role, clerk.agency_id), at=later(2), purpose="test"
        )
    with store.unit_of_work() as uow:
        assert auth.actor_for_token(uow, token=token, at=later(3)).username == "clerk.one"
    with store.unit_of_work() as uow:
        from sqlalchemy import select

        from wso.store.tables import ApiToken

        assert token not in {t.token_sha256 for t in uow.session.scalars(select(ApiToken))}  # only the digest is kept
    with store.unit_of_work() as uow:
        auth.revoke_api_token(uow, token=token, at=later(4))
    with store.unit_of_work() as uow, pytest.raises(NotAuthenticated):
        auth.actor_for_token(uow, token=token, at=later(5))


def test_a_deactivated_user_loses_every_token(store: Store, county: County) -> None:
    with store.unit_of_work() as uow:
        clerk = users.create_user(
            uow,
            actor=SYSTEM,
            at=later(1),
            username="leaver",
            password="a long password",
            role="clerk",
            agency_id=county.agency_id,
        )
    with store.unit_of_work() as uow:
        token = auth.issue_api_token(
            uow, actor=SYSTEM.__class__(clerk.id, clerk.username, clerk.role, clerk.agency_id), at=later(1)
        )
    with store.unit_of_work() as uow:
        users.deactivate_user(uow, actor=SYSTEM, at=later(2), user_id=clerk.id)
    with store.unit_of_work() as uow, pytest.raises(NotAuthenticated):
        auth.actor_for_token(uow, token=token, at=later(3))


def test_every_role_but_auditor_and_admin_needs_an_agency(store: Store, county: County) -> None:
    with store.unit_of_work() as uow, pytest.raises(InvalidInput) as exc:
        users.create_user(
            uow, actor=SYSTEM, at=later(1), username="lost", password="a long password", role="coordinator"
        )
    assert exc.value.field == "agency"
