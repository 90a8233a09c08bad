"""A scenario as ledger events: its facts and its events mapped onto the one event catalog.

Why: a scenario is evidence about the rules only if its facts are built the way the application's
are. So the YAML's vocabulary (kept as it is: existing files keep working) is translated into catalog
events (wso.events.catalog), each checked like any append, and `wso.events.facts.facts_as_of` folds
them, the same fold the audit uses.

How the translation keeps the YAML's meaning:
- The static `facts:` are true from the start: recorded at `ORIGIN`, long before any question, with
  their own instants in the payload (a signature's `signed_at`, an exam's `at`).
- Each event of `events:` is recorded at its `at`, and its envelope id is its index in `events:`, so a
  question's `event:` index finds its warrant service. Static events have negative ids.
- Names in the YAML (an officer's key, a warrant's key, a complaint's key) become record ids.
- What the YAML does not say and a catalog field needs gets a plain placeholder ("(not recorded)").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wso.events import holds as h
from wso.events import records as r
from wso.events.base import CatalogEvent, Event
from wso.events.catalog import payload_of
from wso.scenarios import model as m

ORIGIN = datetime(1900, 1, 1, tzinfo=UTC)
AGENCY, FACILITY, AGREEMENT, HOLD = "scenario-agency", "scenario-facility", "scenario-agreement", "scenario-hold"
ACTOR = "scenario"
NOT_RECORDED = "(not recorded)"
_CHANNELS = {"phone", "email", "fax", "in_person", "electronic_system", "other"}


class _Ledger:
    """Envelopes in the order written; static events get ids -1, -2, ..."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._static = 0

    def add(self, stream: str, event: CatalogEvent, *, at: datetime = ORIGIN, index: int | None = None) -> None:
        if index is None:
            self._static += 1
            index = -self._static
        payload = payload_of(event)
        self.events.append(Event(index, stream, 0, event.type, at, ACTOR, payload))  # type: ignore[attr-defined]


def scenario_events(scenario: m.Scenario) -> list[Event]:
    """Every fact and event of `scenario` as catalog events, in the order recorded."""
    ledger = _Ledger()
    facts = scenario.facts
    _static_facts(ledger, facts)
    suspensions: list[str] = []
    for index, event in enumerate(scenario.events):
        _event(ledger, facts, event, index, suspensions)
    return ledger.events


def _static_facts(ledger: _Ledger, facts: m.Facts) -> None:
    fac = facts.facility
    agency = f"agency:{AGENCY}"
    ledger.add(agency, r.AgencyCreated(name=fac.name, state=fac.state, timezone=fac.timezone))
    ledger.add(agency, r.FacilityAdded(facility_id=FACILITY, name=fac.name, state=fac.state, timezone=fac.timezone))
    agreements = list(fac.detention_agreements)
    for a in agreements:
        ledger.add(
            f"facility:{FACILITY}",
            h.DetentionAgreementRecorded(
                facility_id=FACILITY,
                kind=a.kind,
                number=a.number,
                parties=list(a.parties),
                effective_at=a.effective_at,
                ends_at=a.ends_at,
            ),
        )
    if facts.person is not None and facts.person.reimbursable_agreement is not None:
        # The old open-ended flag: an agreement of that kind with no number or dates recorded,
        # never in force, so it is shown but the 48-hour deadline binds (H5).
        ledger.add(
            f"facility:{FACILITY}",
            h.DetentionAgreementRecorded(
                facility_id=FACILITY,
                kind=facts.person.reimbursable_agreement,
                number="(number not recorded)",
                parties=[],
            ),
        )
    if fac.release_standard is not None:
        ledger.add(
            f"agency:{AGENCY}:release-standard",
            h.ReleaseStandardRecorded(
                agency_id=AGENCY,
                minutes=fac.release_standard.minutes,
                source=fac.release_standard.source,
                effective_at=ORIGIN,
            ),
        )
    if facts.agreement is not None:
        _agreement(ledger, facts)
    for key, officer in facts.officers.items():
        _officer(ledger, key, officer)
    for key, warrant in facts.warrants.items():
        issued = warrant.issued_at or (facts.person.booking_at if facts.person else ORIGIN)
        ledger.add(
            f"hold:{HOLD}",
            h.WarrantReceived(
                at=ORIGIN,
                form=warrant.form,
                number=key,
                issuing_officer=NOT_RECORDED,
                issued_on=issued.date(),
                names_person=warrant.names_person,
                signed=warrant.signed,
                accompanied_by=tuple(warrant.accompanied_by),
            ),
        )
    if facts.person is not None:
        person = facts.person
        ledger.add(
            f"hold:{HOLD}",
            h.Booked(
                at=person.booking_at,
                booking_number="scenario",
                person_name="(the person in the scenario)",
                facility_id=FACILITY,
                booking_date=person.booking_at.date(),
                scheduled_release_at=person.scheduled_release_at,
            ),
        )


def _agreement(ledger: _Ledger, facts: m.Facts) -> None:
    a = facts.agreement
    assert a is not None
    stream = f"agreement:{AGREEMENT}"
    ledger.add(
        stream,
        r.AgreementCreated(
            agency_id=AGENCY,
            model=a.model,
            template=a.template,
            state=a.state or facts.facility.state,
            igsa_bed_rate_usd=a.igsa_bed_rate_usd,
            boa=a.boa,
        ),
    )
    for party, signed_at in (("LEA", a.lea_signed_at), ("ICE", a.ice_signed_at)):
        if signed_at is not None:
            ledger.add(stream, r.AgreementSigned(party=party, signed_at=signed_at))
    if a.first_class_certified_at is not None or a.operational_at is not None:
        ledger.add(
            stream,
            r.ProgramDatesRecorded(
                first_class_certified_at=a.first_class_certified_at, operational_at=a.operational_at
            ),
        )


def _officer(ledger: _Ledger, key: str, o: m.OfficerFacts) -> None:
    stream = f"officer:{key}"
    ledger.add(
        stream,
        r.OfficerNominated(
            agreement_id=AGREEMENT,
            agency_id=AGENCY,
            name=o.name,
            citizen_attested=o.attested.us_citizen,
            experience_attested=o.attested.experience,
            facility_training_attested=o.attested.facility_training,
            inmate_conduct_attested=o.attested.inmate_conduct,
            records_access_authorized=False,
            under_ice_supervision=o.under_ice_supervision,
        ),
    )
    if o.background_check != "not_requested":
        ledger.add(stream, r.BackgroundCheckRecorded(status=o.background_check))
    for i, exam in enumerate(o.exams):
        ledger.add(
            stream, r.ExamAttemptRecorded(attempt_id=f"{key}-exam-{i:04d}", taken_at=exam.at, score_percent=exam.score)
        )
    if o.letter_signed_at is not None:
        ledger.add(stream, r.AuthorizationLetterRecorded(signed_at=o.letter_signed_at))
    if o.form_70_006_at is not None:
        ledger.add(stream, r.Form70006Recorded(signed_at=o.form_70_006_at))
    if o.credentials_issued_at is not None:
        ledger.add(
            stream,
            r.CredentialsIssued(credential_id=f"{key}-credential", issued_at=o.credentials_issued_at, number="static"),
        )


def _event(ledger: _Ledger, facts: m.Facts, event: Any, index: int, suspensions: list[str]) -> None:
    """One YAML event as the catalog event(s) the application would have recorded."""
    at, note = event.at, event.note or ""

    def add(stream: str, typed: CatalogEvent) -> None:
        ledger.add(stream, typed, at=at, index=index)

    hold = f"hold:{HOLD}"
    agreement = f"agreement:{AGREEMENT}"
    officer = f"officer:{getattr(event, 'officer', '')}"
    complaint = f"complaint:{getattr(event, 'complaint', '')}"
    own = f"{getattr(event, 'officer', '')}-{index:04d}"
    match event:
        case m.WarrantServed():
            person = facts.person
            assert person is not None
            add(
                hold,
                h.WarrantServed(
                    at=at,
                    note=note,
                    officer_id=event.officer,
                    officer_name=facts.officers[event.officer].name,
                    warrant_number=event.warrant,
                    interpreter_used=event.interpreter_used,
                    interpreter_name=event.interpreter_name,
                    valid=False,  # which service counts is the rules' answer, asked at each question
                    in_own_facility=person.in_own_facility,
                    criminal_custody_complete=person.criminal_custody_complete,
                ),
            )
        case m.IceNotified():
            how = event.how if event.how in _CHANNELS else "other"
            add(hold, h.IceNotified(at=at, note=note, how=how, to=event.to or NOT_RECORDED))  # type: ignore[arg-type]
        case m.CitizenshipClaimed():
            add(hold, h.CitizenshipClaimed(at=at, note=note))
        case m.CitizenshipReported():
            add(
                hold,
                h.CitizenshipReported(
                    at=at, note=note, to=NOT_RECORDED, how="other", exigency_reason=event.exigency_reason
                ),
            )
        case m.CitizenshipAnswered():
            add(hold, h.CitizenshipAnswered(at=at, note=note, reference=NOT_RECORDED))
        case m.ClearedForRelease():
            add(hold, h.ClearedForRelease(at=at, note=note))
        case m.IgsaBooked():
            add(hold, h.IgsaBooked(at=at, note=note, agreement_number=event.agreement))
        case m.Transferred():
            add(hold, h.TransferredToIce(at=at, note=note, received_by=NOT_RECORDED))
        case m.Released():
            add(hold, h.Released(at=at, note=note, reason="other"))
        case m.ComplaintReceived():
            add(
                complaint,
                r.ComplaintReceived(
                    agency_id=AGENCY,
                    agreement_id=AGREEMENT,
                    facility_id=FACILITY,
                    subject_name=event.subject_officer or "",
                    about_designated_officer=event.about_designated,
                    source="scenario",
                    summary=note,
                    received_at=at,
                ),
            )
        case m.ComplaintIceNotified():
            add(complaint, r.ComplaintIceNotified(notified_at=at, notified_to=NOT_RECORDED))
        case m.ComplaintResultsReported():
            add(complaint, r.InvestigationResultRecorded(result=note, reported_at=at))
        case m.ComplaintResolved():
            add(complaint, r.ComplaintResolved(resolution=note, resolved_at=at))
        case m.TerminationNotice() | m.SuspensionNotice():
            kind = "termination" if isinstance(event, m.TerminationNotice) else "suspension"
            notice_id = f"notice-{index:04d}"
            if kind == "suspension":
                suspensions.append(notice_id)
            add(
                agreement,
                r.NoticeReceived(
                    notice_id=notice_id,
                    kind=kind,
                    by=event.by,
                    received_at=at,
                    exigent_effective_at=event.exigent_effective_at,
                    exigent_reason=event.exigent_reason,
                ),
            )
        case m.SuspensionLifted():
            if suspensions:  # the latest suspension still open is the one lifted
                add(agreement, r.AgreementSuspensionLifted(notice_id=suspensions.pop(), lifted_at=at))
        case m.MeetingHeld():
            add(agreement, r.MeetingHeld(meeting_id=f"meeting-{index:04d}", held_at=at, note=note))
        case m.ExamTaken():
            add(officer, r.ExamAttemptRecorded(attempt_id=f"{own}-exam", taken_at=at, score_percent=event.score))
        case m.AuthorizationWithdrawn():
            add(
                officer,
                r.AuthorizationWithdrawn(
                    withdrawal_id=own, notice_at=at, effective_at=event.effective_at, reason=event.reason
                ),
            )
        case m.AuthorizationSuspended():
            add(
                officer,
                r.OfficerSuspended(
                    withdrawal_id=own, notice_at=at, effective_at=event.effective_at, reason=event.reason
                ),
            )
            if event.ends_at is not None:  # its end is known when it is written
                add(officer, r.OfficerSuspensionLifted(withdrawal_id=own, ended_at=event.ends_at))
        case m.EntryVoided():
            add(officer, _voided_entry(ledger, officer, f"{event.officer}-{event.voids:04d}", event.reason))
        case m.CredentialsIssued():
            add(officer, r.CredentialsIssued(credential_id=f"{own}-credential", issued_at=at, number=NOT_RECORDED))
        case m.CredentialsReturnRequested() | m.CredentialsReturned():
            credential = _latest_credential(ledger, officer)
            if credential is not None:
                if isinstance(event, m.CredentialsReturned):
                    add(officer, r.CredentialsReturned(credential_id=credential, returned_at=at))
                else:
                    add(officer, r.CredentialsReturnRequested(credential_id=credential, requested_at=at))
        case m.DepartureNotice():
            add(officer, r.DepartureNoticeRecorded(notice_at=at))
        case m.OfficerDeparted():
            add(officer, r.OfficerDeparted(departed_at=at))
        case m.TrainingRequired():
            add(officer, r.TrainingRequired(required_training_id=own, name=event.name, due_at=event.due_at))
        case m.TrainingCompleted():
            add(officer, r.TrainingCompleted(training_id=own, name=event.name, completed_at=at))
        case _:
            raise TypeError(f"no catalog mapping for scenario event type {event.type!r}")


def _voided_entry(ledger: _Ledger, stream: str, own: str, reason: str) -> r.OfficerEntryVoided:
    """The correcting event for the officer's entry written by event `own`: an exam or a withdrawal/suspension."""
    for e in ledger.events:
        if e.stream != stream:
            continue
        if e.data.get("attempt_id") == f"{own}-exam":
            return r.OfficerEntryVoided(entry="exam_attempt", entry_id=f"{own}-exam", reason=reason)
        if e.data.get("withdrawal_id") == own:
            return r.OfficerEntryVoided(entry="withdrawal", entry_id=own, reason=reason)
    raise ValueError(f"entry_voided: event {own} of this officer is no exam, withdrawal or suspension")


def _latest_credential(ledger: _Ledger, stream: str) -> str | None:
    """The credential a request or return is about: the officer's latest one issued."""
    issued = [
        e.data["credential_id"] for e in ledger.events if e.stream == stream and e.type == "officer.credentials_issued"
    ]
    return issued[-1] if issued else None
