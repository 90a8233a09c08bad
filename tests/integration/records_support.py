"""Shared set-up for the records tests (store, services): a county with a signed WSO agreement.

Helpers imported by the test modules; the fixtures `store` and `county` are in tests/integration/conftest.py,
the database itself comes from tests/conftest.py's `database_url` (a fresh SQLite file and PostgreSQL database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.officers import service as officers
from wso.services.permissions import Actor
from wso.store.uow import Store

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # a Monday
SYSTEM = Actor.system("test")


def later(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


@dataclass(frozen=True)
class County:
    agency_id: str
    facility_id: str
    agreement_id: str
    coordinator: Actor
    clerk: Actor
    auditor: Actor


def make_county(
    store: Store, *, name: str = "Test County Sheriff's Office", state: str = "FL", template: str = "MOA-2025"
) -> County:
    with store.unit_of_work() as uow:
        agency = agencies.create_agency(
            uow, actor=SYSTEM, at=T0, name=name, state=state, timezone="America/New_York", facility_name=f"{name} Jail"
        )
    with store.unit_of_work() as uow:
        agreement = agreements.create_agreement(
            uow, actor=SYSTEM, at=T0, agency_id=agency.id, model="WSO", template=template
        )
    with store.unit_of_work() as uow:
        agreements.record_signature(uow, actor=SYSTEM, at=T0, agreement_id=agreement.id, party="LEA", signed_at=T0)
    with store.unit_of_work() as uow:
        agreements.record_signature(
            uow, actor=SYSTEM, at=later(1), agreement_id=agreement.id, party="ICE", signed_at=later(1)
        )
    return County(
        agency_id=agency.id,
        facility_id=agency.facilities[0].id,
        agreement_id=agreement.id,
        coordinator=Actor(user_id=None, username="coord", role="coordinator", agency_id=agency.id),
        clerk=Actor(user_id=None, username="clerk", role="clerk", agency_id=agency.id),
        auditor=Actor(user_id=None, username="audit", role="auditor", agency_id=None),
    )


def nominate(store: Store, county: County, name: str = "Officer A. Rivera", *, at: datetime | None = None) -> str:
    with store.unit_of_work() as uow:
        view = officers.nominate_officer(
            uow,
            actor=county.coordinator,
            at=at or later(2),
            agreement_id=county.agreement_id,
            name=name,
            citizen_attested=True,
            experience_attested=True,
            facility_training_attested=True,
            inmate_conduct_attested=True,
            records_access_authorized=True,
        )
    return view.id


def authorize(store: Store, county: County, officer_id: str, *, start: datetime | None = None) -> None:
    """Exam passed, letter, Form 70-006 and credentials: the whole O4 path, one day apart."""
    t = start or later(10)
    c = county.coordinator
    with store.unit_of_work() as uow:
        officers.record_exam_attempt(uow, actor=c, at=t, officer_id=officer_id, taken_at=t, score_percent=85)
    with store.unit_of_work() as uow:
        officers.record_authorization_letter(
            uow, actor=c, at=t + timedelta(days=1), officer_id=officer_id, signed_at=t + timedelta(days=1)
        )
    with store.unit_of_work() as uow:
        officers.record_form_70_006(
            uow, actor=c, at=t + timedelta(days=2), officer_id=officer_id, signed_at=t + timedelta(days=2)
        )
    with store.unit_of_work() as uow:
        officers.issue_credentials(
            uow,
            actor=c,
            at=t + timedelta(days=3),
            officer_id=officer_id,
            issued_at=t + timedelta(days=3),
            number="WSO-0001",
        )
