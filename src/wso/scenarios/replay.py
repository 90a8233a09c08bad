"""Folding a scenario's events into the rules' fact dataclasses, as of one instant.

Why a fold and not a stored state: a question asked at 10:00 must not see what happens at 10:01.
So every question gets its own facts, built from the static facts plus the events at or before
its instant (an event exactly at the question's instant counts: "at the moment of service").
Nothing here decides anything: which warrant service transfers custody is a legal question, so
the caller passes `service_counts`, which asks the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from wso.rules.facts import (
    Agreement,
    CitizenshipClaim,
    Complaint,
    DetentionAgreement,
    ExamAttempt,
    Facility,
    Hold,
    Notice,
    Officer,
    ReleaseStandard,
    RequiredTraining,
    Service,
    Training,
    Warrant,
    Withdrawal,
)
from wso.scenarios import model as m


@dataclass(frozen=True)
class ServiceRecord:
    """One warrant_served event, with the names it refers to, as the rules' `Service`."""

    index: int
    officer_id: str
    warrant_id: str
    service: Service


@dataclass(frozen=True)
class World:
    """Everything the rules need to answer one question at `at`."""

    at: datetime
    facility: Facility
    agreement: Agreement | None
    officers: dict[str, Officer]
    warrants: dict[str, Warrant]
    services: tuple[ServiceRecord, ...]
    hold: Hold | None
    complaints: dict[str, Complaint]


ServiceCounts = Callable[[ServiceRecord, "World"], bool]


def fold(scenario: m.Scenario, *, at: datetime, service_counts: ServiceCounts) -> World:
    """The facts as they stand at `at`: only events at or before it are applied."""
    facts = scenario.facts
    events = [(i, e) for i, e in enumerate(scenario.events) if e.at <= at]
    facility = _facility(facts)
    agreement = _agreement(facts, events) if facts.agreement is not None else None
    warrants = {key: _warrant(w) for key, w in facts.warrants.items()}
    officers = {key: _officer(key, o, events) for key, o in facts.officers.items()}
    services = tuple(_services(facts, events))
    world = World(
        at=at,
        facility=facility,
        agreement=agreement,
        officers=officers,
        warrants=warrants,
        services=services,
        hold=None,
        complaints=_complaints(events),
    )
    if facts.person is None or agreement is None:
        return world
    served = next((s for s in services if service_counts(s, world)), None)
    return replace(world, hold=_hold(facts, facility, agreement, events, served=served))


def _facility(facts: m.Facts) -> Facility:
    """The facility with its recorded detention agreements (H5). The old `reimbursable_agreement`
    flag becomes an agreement of that kind with no number or dates recorded: never in force, so it
    is shown but the 48-hour deadline binds."""
    f = facts.facility
    agreements = [
        DetentionAgreement(
            kind=a.kind, number=a.number, parties=tuple(a.parties), effective_at=a.effective_at, ends_at=a.ends_at
        )
        for a in f.detention_agreements
    ]
    if facts.person is not None and facts.person.reimbursable_agreement is not None:
        agreements.append(DetentionAgreement(kind=facts.person.reimbursable_agreement, number="(number not recorded)"))
    return Facility(name=f.name, state=f.state, timezone=f.timezone, detention_agreements=tuple(agreements))


def _release_standard(facts: m.Facts) -> ReleaseStandard | None:
    standard = facts.facility.release_standard
    return ReleaseStandard(minutes=standard.minutes, source=standard.source) if standard else None


def _cleared_before(events: list[tuple[int, m.Event]], at: datetime) -> datetime | None:
    """The latest clearance for release at or before `at` (H3)."""
    times = [e.at for _, e in events if isinstance(e, m.ClearedForRelease) and e.at <= at]
    return times[-1] if times else None


def _claims(events: list[tuple[int, m.Event]]) -> tuple[CitizenshipClaim, ...]:
    """Every citizenship claim (H7); a report or an answer belongs to the earliest claim still without one."""
    claims: list[CitizenshipClaim] = []
    for _, event in events:
        if isinstance(event, m.CitizenshipClaimed):
            claims.append(CitizenshipClaim(claimed_at=event.at))
        elif isinstance(event, m.CitizenshipReported):
            i = next((i for i, c in enumerate(claims) if c.reported_at is None), None)
            if i is not None:
                claims[i] = replace(claims[i], reported_at=event.at, exigency_reason=event.exigency_reason)
        elif isinstance(event, m.CitizenshipAnswered):
            i = next((i for i, c in enumerate(claims) if c.answered_at is None), None)
            if i is not None:
                claims[i] = replace(claims[i], answered_at=event.at)
    return tuple(claims)


def _of_type(events: list[tuple[int, m.Event]], kind: type) -> list:
    return [e for _, e in events if isinstance(e, kind)]


def _agreement(facts: m.Facts, events: list[tuple[int, m.Event]]) -> Agreement:
    a = facts.agreement
    assert a is not None
    notices: list[Notice] = []
    for _, event in events:
        if isinstance(event, (m.TerminationNotice, m.SuspensionNotice)):
            notices.append(
                Notice(
                    kind="termination" if isinstance(event, m.TerminationNotice) else "suspension",
                    by=event.by,
                    received_at=event.at,
                    exigent_effective_at=event.exigent_effective_at,
                    exigent_reason=event.exigent_reason,
                )
            )
        elif isinstance(event, m.SuspensionLifted):
            open_suspensions = [i for i, n in enumerate(notices) if n.kind == "suspension" and n.lifted_at is None]
            if open_suspensions:
                notices[open_suspensions[-1]] = replace(notices[open_suspensions[-1]], lifted_at=event.at)
    return Agreement(
        model=a.model,
        template=a.template,
        state=a.state or facts.facility.state,
        timezone=facts.facility.timezone,
        lea_signed_at=a.lea_signed_at,
        ice_signed_at=a.ice_signed_at,
        notices=tuple(notices),
        first_class_certified_at=a.first_class_certified_at,
        operational_at=a.operational_at,
        meetings_held=tuple(e.at for e in _of_type(events, m.MeetingHeld)),
        igsa_bed_rate_usd=a.igsa_bed_rate_usd,
        boa=a.boa,
    )


def _warrant(w: m.WarrantFacts) -> Warrant:
    return Warrant(
        form=w.form,
        names_person=w.names_person,
        signed_by_authorized_officer=w.signed,
        issued_at=w.issued_at,
        accompanied_by=tuple(w.accompanied_by),
    )


def _officer(key: str, o: m.OfficerFacts, events: list[tuple[int, m.Event]]) -> Officer:
    mine = [e for _, e in events if getattr(e, "officer", None) == key]

    def first_at(kind: type) -> datetime | None:
        return next((e.at for e in mine if isinstance(e, kind)), None)

    withdrawals = tuple(
        Withdrawal(
            kind="withdrawal" if isinstance(e, m.AuthorizationWithdrawn) else "suspension",
            notice_at=e.at,
            effective_at=e.effective_at,
            ended_at=getattr(e, "ends_at", None),
            reason=e.reason,
        )
        for e in mine
        if isinstance(e, (m.AuthorizationWithdrawn, m.AuthorizationSuspended))
    )
    return Officer(
        name=o.name,
        citizen_attested=o.attested.us_citizen,
        experience_attested=o.attested.experience,
        facility_training_attested=o.attested.facility_training,
        inmate_conduct_attested=o.attested.inmate_conduct,
        background_check=o.background_check,
        exam_attempts=tuple(ExamAttempt(taken_at=x.at, score_percent=x.score) for x in o.exams)
        + tuple(ExamAttempt(taken_at=e.at, score_percent=e.score) for e in mine if isinstance(e, m.ExamTaken)),
        letter_signed_at=o.letter_signed_at,
        form_70_006_at=o.form_70_006_at,
        credentials_issued_at=o.credentials_issued_at or first_at(m.CredentialsIssued),
        credentials_returned_at=first_at(m.CredentialsReturned),
        credentials_return_requested_at=first_at(m.CredentialsReturnRequested),
        withdrawals=withdrawals,
        departure_notice_at=first_at(m.DepartureNotice),
        departed_at=first_at(m.OfficerDeparted),
        trainings=tuple(Training(name=e.name, completed_at=e.at) for e in mine if isinstance(e, m.TrainingCompleted)),
        required_trainings=tuple(
            RequiredTraining(name=e.name, due_at=e.due_at) for e in mine if isinstance(e, m.TrainingRequired)
        ),
        under_ice_supervision=o.under_ice_supervision,
    )


def _services(facts: m.Facts, events: list[tuple[int, m.Event]]) -> list[ServiceRecord]:
    person = facts.person
    if person is None:
        return []
    return [
        ServiceRecord(
            index=index,
            officer_id=event.officer,
            warrant_id=event.warrant,
            service=Service(
                served_at=event.at,
                scheduled_release_at=person.scheduled_release_at,
                in_own_facility=person.in_own_facility,
                criminal_custody_complete=person.criminal_custody_complete,
                interpreter_used=event.interpreter_used,
                interpreter_name=event.interpreter_name,
                cleared_for_release_at=_cleared_before(events, event.at),
                release_standard=_release_standard(facts),
            ),
        )
        for index, event in events
        if isinstance(event, m.WarrantServed)
    ]


def _hold(
    facts: m.Facts,
    facility: Facility,
    agreement: Agreement,
    events: list[tuple[int, m.Event]],
    *,
    served: ServiceRecord | None,
) -> Hold:
    """The person's custody: the service that counts, and the first of each later record."""
    person = facts.person
    assert person is not None
    served_at = served.service.served_at if served else None

    def first_at(kind: type, *, after: datetime | None = None) -> datetime | None:
        return next((e.at for e in _of_type(events, kind) if after is None or e.at >= after), None)

    detainer = any(w.form == "I-247A" for w in facts.warrants.values())
    booking = next((e for e in _of_type(events, m.IgsaBooked)), None)
    return Hold(
        facility=facility,
        agreement=agreement,
        scheduled_release_at=person.scheduled_release_at,
        served_at=served_at,
        ice_notified_at=first_at(m.IceNotified, after=served_at) if served_at else None,
        citizenship_claims=_claims(events),
        detainer_i247a=detainer,
        cfr_287_7_applies=detainer,
        transferred_at=first_at(m.Transferred),
        released_at=first_at(m.Released),
        cleared_for_release_at=_cleared_before(events, served_at) if served_at else first_at(m.ClearedForRelease),
        release_standard=_release_standard(facts),
        igsa_booked_at=booking.at if booking else None,
        igsa_number=booking.agreement if booking else None,
    )


def _complaints(events: list[tuple[int, m.Event]]) -> dict[str, Complaint]:
    complaints: dict[str, Complaint] = {}
    for _, event in events:
        if isinstance(event, m.ComplaintReceived):
            complaints[event.complaint] = Complaint(
                received_at=event.at,
                about_designated_officer=event.about_designated,
                subject_officer=event.subject_officer,
            )
            continue
        key = getattr(event, "complaint", None)
        field = _COMPLAINT_FIELD.get(type(event))
        if key is not None and field is not None and getattr(complaints[key], field) is None:
            complaints[key] = replace(complaints[key], **{field: event.at})
    return complaints


_COMPLAINT_FIELD: dict[type, str] = {
    m.ComplaintIceNotified: "ice_notified_at",
    m.ComplaintResultsReported: "results_reported_at",
    m.ComplaintResolved: "resolved_at",
}
