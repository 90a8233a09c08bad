"""Shared set-up for the holds tests: a Florida county with a signed WSO agreement, an authorized WSO,
and actors for every role (the database comes from tests/conftest.py's `database_url`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.integration.records_support import County, authorize, make_county, nominate
from wso.holds import commands as c
from wso.holds import service as s
from wso.holds.views import HoldSummary
from wso.services.permissions import Actor
from wso.store.uow import Store

NEW_YORK = ZoneInfo("America/New_York")


def ny(*parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=NEW_YORK, fold=fold)


@dataclass(frozen=True)
class Jail:
    county: County
    officer_id: str
    clerk: Actor
    wso: Actor
    supervisor: Actor
    auditor: Actor
    coordinator: Actor

    @property
    def facility_id(self) -> str:
        return self.county.facility_id


def make_jail(store: Store, *, name: str = "Test County Sheriff's Office", state: str = "FL") -> Jail:
    county = make_county(store, name=name, state=state)
    officer_id = nominate(store, county, "Deputy L. Okafor")
    authorize(store, county, officer_id)
    agency = county.agency_id
    return Jail(
        county=county,
        officer_id=officer_id,
        clerk=county.clerk,
        wso=Actor(user_id=None, username="wso", role="wso", agency_id=agency),
        supervisor=Actor(user_id=None, username="sup", role="supervisor", agency_id=agency),
        auditor=county.auditor,
        coordinator=county.coordinator,
    )


def book(
    store: Store, jail: Jail, *, number: str, release: datetime, now: datetime, name: str = "Pat Example"
) -> HoldSummary:
    with store.unit_of_work() as uow:
        view = s.book_person(
            uow,
            actor=jail.clerk,
            now=now,
            command=c.BookPerson(
                facility_id=jail.facility_id,
                booking_number=number,
                person_name=name,
                booking_date=(now - timedelta(days=3)).date(),
                scheduled_release_at=release,
            ),
        )
        uow.commit()
    return view


def run(store: Store, operation, *, actor: Actor, hold_id: str, command, now: datetime) -> HoldSummary:
    """One entry point: one unit of work, committed once."""
    with store.unit_of_work() as uow:
        view = operation(uow, actor=actor, hold_id=hold_id, command=command, now=now)
        uow.commit()
    return view


def i200(number: str = "W-1") -> c.ReceiveWarrant:
    return c.ReceiveWarrant(
        form="I-200", number=number, issuing_officer="SDDO R. Vance", issued_on=datetime(2026, 3, 1).date()
    )
