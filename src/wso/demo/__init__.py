"""The demo county: a synthetic agency with an agreement, officers at every stage and open complaints.

Every name is invented (PROGRAM.md D3: no real person, no sensitive attribute). Dates are set
relative to the instant of loading, so the clocks a new user sees are running. The demo goes
through the same services as any user (as the `system` actor), in ONE transaction: it is loaded
entirely or not at all, and loading it again changes nothing (it is found by name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from wso.agencies import service as agencies
from wso.agreements import service as agreements
from wso.complaints import service as complaints
from wso.holds.demo import populate_holds
from wso.officers import service as officers
from wso.services.errors import DomainError
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.account_tables import UserMfa
from wso.store.uow import Store, UnitOfWork
from wso.users import mfa
from wso.users import service as users

AGENCY_NAME = "Demo County Sheriff's Office"
DEMO_ACTOR = Actor.system("demo")
# Demo sign-in accounts; the password is for a demo database only (override with WSO_DEMO_PASSWORD).
DEMO_USERS = (
    ("demo-admin", "admin"),
    ("demo-coordinator", "coordinator"),
    ("demo-clerk", "clerk"),
    ("demo-supervisor", "supervisor"),
    ("demo-wso", "wso"),
    ("demo-auditor", "auditor"),
)
DEFAULT_DEMO_PASSWORD = "wso-demo-password"


class DemoRefused(DomainError):
    """The database holds real records: the demo's published-password users must never see them."""

    error = "refused"
    field = "database"


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool  # False: it was there already, nothing changed
    agency_id: str
    agreement_id: str | None
    officers: int
    complaints: int
    users: tuple[str, ...]


def load_demo(store: Store, *, at: datetime, password: str | None = None) -> DemoSummary:
    """Load the demo county as of `at`, unless it is there already (idempotent)."""
    password = password or os.environ.get("WSO_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    with store.unit_of_work() as uow:  # the demo is loaded whole or not at all: one commit at the end
        others = uow.session.scalar(
            select(func.count()).select_from(tables.Agency).where(tables.Agency.name != AGENCY_NAME)
        )
        if others:
            raise DemoRefused(
                f"this database holds {others} agencies besides the demo county: the demo adds an admin and an "
                "auditor with a published password who could read them; load the demo into an empty database only"
            )
        existing = agencies.agency_by_name(uow, actor=DEMO_ACTOR, name=AGENCY_NAME)
        if existing is not None:
            return DemoSummary(False, existing.id, None, 0, 0, ())
        return _populate(uow, at=at, password=password)


def _populate(uow: UnitOfWork, *, at: datetime, password: str) -> DemoSummary:
    a = DEMO_ACTOR

    def ago(days: float) -> datetime:
        return at - timedelta(days=days)

    agency = agencies.create_agency(
        uow,
        actor=a,
        at=ago(300),
        name=AGENCY_NAME,
        state="FL",
        timezone="America/New_York",
        facility_name="Demo County Jail",
    )
    agreement = agreements.create_agreement(
        uow, actor=a, at=ago(290), agency_id=agency.id, model="WSO", template="MOA-2025"
    )
    agreements.record_signature(uow, actor=a, at=ago(280), agreement_id=agreement.id, party="LEA", signed_at=ago(280))
    agreements.record_signature(uow, actor=a, at=ago(270), agreement_id=agreement.id, party="ICE", signed_at=ago(270))
    agreements.record_program_dates(uow, actor=a, at=ago(240), agreement_id=agreement.id, operational_at=ago(240))

    def nominate(name: str, badge: str, day: float) -> str:
        return officers.nominate_officer(
            uow,
            actor=a,
            at=ago(day),
            agreement_id=agreement.id,
            name=name,
            badge=badge,
            citizen_attested=True,
            experience_attested=True,
            facility_training_attested=True,
            inmate_conduct_attested=True,
            records_access_authorized=True,
        ).id

    def exam(oid: str, day: float, score: float) -> None:
        officers.record_exam_attempt(uow, actor=a, at=ago(day), officer_id=oid, taken_at=ago(day), score_percent=score)

    def authorize(oid: str, day: float, number: str) -> None:
        exam(oid, day, 88)
        officers.record_authorization_letter(uow, actor=a, at=ago(day - 5), officer_id=oid, signed_at=ago(day - 5))
        officers.record_form_70_006(uow, actor=a, at=ago(day - 6), officer_id=oid, signed_at=ago(day - 6))
        officers.issue_credentials(uow, actor=a, at=ago(day - 7), officer_id=oid, issued_at=ago(day - 7), number=number)

    rivera = nominate("Officer A. Rivera", "D-101", 250)
    authorize(rivera, 230, "WSO-DC-0001")
    okafor = nominate("Officer B. Okafor", "D-102", 60)
    exam(okafor, 20, 62)  # failed once: one review and one retake allowed (O3)
    lindqvist = nominate("Officer C. Lindqvist", "D-103", 10)
    officers.record_background_check(uow, actor=a, at=ago(9), officer_id=lindqvist, status="pending")
    marchetti = nominate("Officer D. Marchetti", "D-104", 200)
    exam(marchetti, 180, 55)
    exam(marchetti, 160, 64)  # the retake failed too: disqualified (O3)
    nakamura = nominate("Officer E. Nakamura", "D-105", 40)
    exam(nakamura, 15, 91)
    officers.record_authorization_letter(uow, actor=a, at=ago(5), officer_id=nakamura, signed_at=ago(5))
    adeyemi = nominate("Officer F. Adeyemi", "D-106", 250)
    authorize(adeyemi, 228, "WSO-DC-0002")
    officers.withdraw_authorization(
        uow,
        actor=a,
        at=ago(12),
        officer_id=adeyemi,
        notice_at=ago(12),
        effective_at=ago(12),
        reason="Withdrawn by the Field Office Director's letter",
    )
    kowalczyk = nominate("Officer G. Kowalczyk", "D-107", 250)
    authorize(kowalczyk, 226, "WSO-DC-0003")
    brennan = nominate("Officer H. Brennan", "D-108", 250)
    authorize(brennan, 224, "WSO-DC-0004")
    officers.record_departure_notice(
        uow, actor=a, at=ago(3), officer_id=brennan, notice_at=ago(3), departure_at=at + timedelta(days=45)
    )
    officers.require_training(
        uow, actor=a, at=ago(30), officer_id=rivera, name="WSO annual refresher", due_at=at + timedelta(days=20)
    )
    officers.record_training(
        uow, actor=a, at=ago(25), officer_id=kowalczyk, name="WSO annual refresher", completed_at=ago(25)
    )

    # Complaints: a fresh one (C1 clock running), one under investigation with the officer suspended (C4),
    # one about non-designated personnel (C2), and one resolved (C3).
    complaints.receive_complaint(
        uow,
        actor=a,
        at=ago(1),
        received_at=ago(1),
        source="inmate",
        officer_id=rivera,
        summary="Says the warrant was served without an interpreter being offered.",
    )
    serious = complaints.receive_complaint(
        uow,
        actor=a,
        at=ago(30),
        received_at=ago(30),
        source="public",
        officer_id=kowalczyk,
        summary="Alleged excessive force during a transfer to ICE custody.",
    )
    complaints.notify_ice_of_complaint(
        uow,
        actor=a,
        at=ago(29),
        complaint_id=serious.id,
        notified_at=ago(29),
        notified_to="ICE ERO Field Office duty officer",
    )
    officers.suspend_officer(
        uow,
        actor=a,
        at=ago(27),
        officer_id=kowalczyk,
        notice_at=ago(27),
        effective_at=ago(27),
        reason="Under investigation",
        complaint_id=serious.id,
    )
    complaints.receive_complaint(
        uow,
        actor=a,
        at=ago(4),
        received_at=ago(4),
        source="lea",
        agreement_id=agreement.id,
        about_designated_officer=False,
        subject_name="Booking Deputy J. Castellano",
        summary="Non-designated deputy asked a detained person about immigration status.",
    )
    old = complaints.receive_complaint(
        uow,
        actor=a,
        at=ago(150),
        received_at=ago(150),
        source="officer",
        officer_id=rivera,
        summary="Paperwork for a served warrant was filed late.",
    )
    complaints.notify_ice_of_complaint(
        uow, actor=a, at=ago(149), complaint_id=old.id, notified_at=ago(149), notified_to="ICE supervisory officer"
    )
    complaints.record_investigation_result(
        uow,
        actor=a,
        at=ago(100),
        complaint_id=old.id,
        result="Sustained: filing delay, no rights impact.",
        reported_at=ago(100),
    )
    complaints.resolve_complaint(
        uow, actor=a, at=ago(99), complaint_id=old.id, resolution="Counselled; procedure reissued.", resolved_at=ago(99)
    )

    populate_holds(uow, actor=a, at=at, agency_id=agency.id, facility_id=agency.facilities[0].id, officer_id=rivera)

    names = []
    for username, role in DEMO_USERS:
        agency_id = None if role in ("admin", "auditor") else agency.id
        created = users.create_user(
            uow, actor=a, at=ago(300), username=username, password=password, role=role, agency_id=agency_id
        )
        # A demo-only TOTP key per user (S2), so `make run` can sign in: `wso demo codes` prints the codes.
        mfa.enrol_confirmed(uow, user_id=created.id, at=ago(300))
        names.append(username)
    return DemoSummary(True, agency.id, agreement.id, 8, 4, tuple(names))


def demo_totp_secrets(uow: UnitOfWork) -> dict[str, str]:
    """The demo users' TOTP keys (demo accounts only: they exist for `make run` and nothing else)."""
    found: dict[str, str] = {}
    for username, _role in DEMO_USERS:
        user = users.user_by_username(uow, username=username)
        if user is None:
            continue
        row = uow.session.get(UserMfa, user.id)
        if row is not None and row.confirmed_at is not None:
            found[username] = row.totp_secret
    return found
