"""Officers: nomination (O1/O2) to authorization (O4), and what ends it (O5, C4, O6, O7, O8).

Every step is recorded as it happened, with the instant the document names; whether the officer
may act is never stored: the roster asks the rules at the instant it is viewed (O4 "at the moment
of the act"), so a withdrawal effective next Monday shows as authorized until then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, literal, select

from wso.officers.views import (
    CredentialView,
    ExamAttemptView,
    OfficerRowView,
    OfficerView,
    RequiredTrainingView,
    TrainingView,
    WithdrawalView,
)
from wso.rules import facts
from wso.rules.decision import Decision
from wso.rules.officers import (
    credentials_outstanding,
    departure_notice,
    exam_outcome,
    may_issue_credentials,
    may_lift_officer_suspension,
    may_nominate,
    may_record_authorization_document,
    may_record_exam_attempt,
    nomination_valid,
    officer_authorized,
    training_due,
)
from wso.services import memo
from wso.services.asking import ask
from wso.services.errors import InvalidInput, NotFound, Refused
from wso.services.inputs import aware, choice, jsonable, new_id, not_before, percent, record_id, text
from wso.services.labels import label_text
from wso.services.lookup import load, log_read, log_reads
from wso.services.permissions import Actor, Permission, require, require_agency
from wso.services.to_facts import (
    OfficerChildren,
    agreement_fact,
    agreement_facts,
    children,
    nominee_fact,
    officer_children,
    officer_fact,
    officer_fact_of,
    rows_by_id,
    withdrawal_fact,
)
from wso.services.views import DecisionBrief
from wso.store import tables
from wso.store.ledger import LedgerEvent
from wso.store.uow import UnitOfWork

BACKGROUND_CHECK = ("not_requested", "pending", "cleared", "failed")


# ---- reads -----------------------------------------------------------------------------------


def officer_view(uow: UnitOfWork, *, actor: Actor, officer_id: str, at: datetime) -> OfficerView:
    """One officer's record and the path to authorization as of `at`; the read is logged."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    row = load(uow, tables.Officer, officer_id, actor=actor)
    log_read(uow, actor=actor, at=at, entity="officer", entity_id=row.id, agency_id=row.agency_id)
    view = _view(uow, row, at=at)
    return view


def officer_roster(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> list[OfficerRowView]:
    """Every officer of the agency, by name, with each rule's answer about them as of `at`, briefly.

    Each row carries the five decisions' status, rule ids, unmet reasons and binding deadline
    (DecisionBrief); the full reasons with their sources are on the officer's own record
    (`GET /officers/{officer_id}`). A constant number of queries whatever the number of officers:
    the agency, its officers and their agreements in one query, then one per child table, only for
    the officers and agreements whose facts are not remembered at their stream's head (wso.services.memo).
    """
    return roster_rows(uow, actor=actor, agency_id=agency_id, at=at)


def roster_rows(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> list[OfficerRowView]:
    """The roster's rows; their reads are noted on the unit of work and logged once, when the entry
    point commits (what is due shows several lists in one read).

    The rows need only the rules' facts, not the child rows: the facts are remembered by each
    stream's head hash (wso.services.memo), read in the list's own query, so a roster whose officers
    and agreements have not changed since the last one runs no child-table query at all.
    """
    aware("at", at)
    agency, listed = _listed(uow, actor=actor, agency_id=agency_id, at=at)
    agreement_of = memo.agreement_facts(
        uow,
        {each.agreement.id: memo.Headed(each.agreement, each.agreement_head) for each in listed}.values(),
        agencies=rows_by_id(uow, tables.Agency, (each.agreement.agency_id for each in listed)),  # held: no query
    )
    officer_of = memo.officer_facts(uow, [memo.Headed(each.officer, each.officer_head) for each in listed])
    roster = [
        _row_of(each.officer, officer_of[each.officer.id], agreement_of[each.agreement.id], at=at) for each in listed
    ]
    # One access-log row per officer shown (CJIS: each record read), written in one INSERT.
    log_reads(uow, actor=actor, at=at, entity="officer", entity_ids=[o.id for o in roster], agency_id=agency.id)
    return roster


def roster_views(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> list[OfficerView]:
    """Every officer's full view (steps and whole decisions) with the read logged, not committed:
    for what is due (every deadline and action) and the records export (the whole record)."""
    aware("at", at)
    agency, listed = _listed(uow, actor=actor, agency_id=agency_id, at=at)
    agreements = {each.agreement.id: each.agreement for each in listed}
    roster = _views(uow, [each.officer for each in listed], at=at, agreements=agreements)
    log_reads(uow, actor=actor, at=at, entity="officer", entity_ids=[o.id for o in roster], agency_id=agency.id)
    return roster


class Listed(NamedTuple):
    """An officer of a roster, its agreement, and the hashes of their ledger streams' heads."""

    officer: tables.Officer
    agreement: tables.Agreement
    officer_head: str | None
    agreement_head: str | None


def _head(prefix: str, id: Any, outer: type) -> Any:
    """The hash of the last event of the stream `prefix` + id, correlated to the outer query's row:
    one index probe of (stream, seq) per row, inside the list's own statement."""
    return (
        select(LedgerEvent.hash)
        .where(LedgerEvent.stream == literal(prefix) + id)
        .order_by(LedgerEvent.seq.desc())
        .limit(1)
        .correlate(outer)
        .scalar_subquery()
    )


@cache
def _listed_statement() -> Select:
    """`_listed`'s one statement, built once (the agency and `at` are parameters): building it per request
    cost more CPU than running it for a roster of eight (issue 11 item 6)."""
    nominated_later = (
        select(LedgerEvent.id)
        .where(
            LedgerEvent.stream == literal("officer:") + tables.Officer.id,
            LedgerEvent.type == "officer.nominated",
            LedgerEvent.at > bindparam("at", type_=LedgerEvent.at.type),
        )
        .correlate(tables.Officer)
        .exists()
    )
    return (
        select(
            tables.Agency,
            tables.Officer,
            tables.Agreement,
            _head("officer:", tables.Officer.id, tables.Officer).label("officer_head"),
            _head("agreement:", tables.Agreement.id, tables.Agreement).label("agreement_head"),
        )
        .select_from(tables.Agency)
        .outerjoin(tables.Officer, (tables.Officer.agency_id == tables.Agency.id) & ~nominated_later)
        .outerjoin(tables.Agreement, tables.Agreement.id == tables.Officer.agreement_id)
        .where(tables.Agency.id == bindparam("agency_id"))
        .order_by(tables.Officer.name, tables.Officer.id)
        # Rows the session already held from an earlier statement take this statement's values, so each
        # row is as of its head hash (its memo key), never older (READ COMMITTED: a write may land between).
        .execution_options(populate_existing=True)
    )


def _listed(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> tuple[tables.Agency, list[Listed]]:
    """The agency and the officers nominated by `at`, by name, each with its agreement and both streams'
    head hashes (the memo's keys; read before any child row, see wso.services.memo): one query.

    An officer nominated after `at` is left out, so the roster as of an earlier instant is the roster as
    it stood then; the nomination's instant is its ledger event's (officer rows keep no creation time),
    found through the ledger's (stream, seq) index.
    """
    require(actor, Permission.READ_RECORDS)
    key = record_id("agency_id", agency_id)
    require_agency(actor, key, entity="agency", id=key)
    rows = uow.session.execute(_listed_statement(), {"agency_id": key, "at": at}).all()
    if not rows:
        raise NotFound("agency", key)
    listed = [
        Listed(row.Officer, row.Agreement, row.officer_head, row.agreement_head)
        for row in rows
        if row.Officer is not None
    ]
    return rows[0].Agency, listed


def _view(uow: UnitOfWork, row: tables.Officer, *, at: datetime) -> OfficerView:
    return _views(uow, [row], at=at)[0]


def _views(
    uow: UnitOfWork, rows: list[tables.Officer], *, at: datetime, agreements: dict[str, tables.Agreement] | None = None
) -> list[OfficerView]:
    """Views of many officers with their decisions; each child table is read once for all of them."""
    if agreements is None:
        agreements = rows_by_id(uow, tables.Agreement, (row.agreement_id for row in rows))
    agreement_of = agreement_facts(uow, agreements.values())
    kids = officer_children(uow, [row.id for row in rows])
    return [_view_of(row, kids[row.id], agreement_of[row.agreement_id], at=at) for row in rows]


def _view_of(row: tables.Officer, kids: OfficerChildren, agreement: facts.Agreement, *, at: datetime) -> OfficerView:
    return OfficerView(
        id=row.id,
        agency_id=row.agency_id,
        agreement_id=row.agreement_id,
        name=row.name,
        badge=row.badge,
        citizen_attested=row.citizen_attested,
        experience_attested=row.experience_attested,
        facility_training_attested=row.facility_training_attested,
        inmate_conduct_attested=bool(row.inmate_conduct_attested),
        records_access_authorized=row.records_access_authorized,
        background_check=row.background_check,
        exam_attempts=tuple(
            ExamAttemptView(
                id=a.id,
                taken_at=a.taken_at,
                score_percent=a.score_percent,
                voided_at=a.voided_at,
                voided_by=a.voided_by,
                void_reason=a.void_reason,
            )
            for a in kids.exam_attempts
        ),
        letter_signed_at=row.letter_signed_at,
        form_70_006_at=row.form_70_006_at,
        credentials=tuple(
            CredentialView(
                id=c.id,
                number=c.number,
                issued_at=c.issued_at,
                return_requested_at=c.return_requested_at,
                returned_at=c.returned_at,
            )
            for c in kids.credentials
        ),
        withdrawals=tuple(
            WithdrawalView(
                id=w.id,
                kind=w.kind,
                notice_at=w.notice_at,
                effective_at=w.effective_at,
                ended_at=w.ended_at,
                reason=w.reason,
                complaint_id=w.complaint_id,
                notice_id=w.notice_id,
                voided_at=w.voided_at,
                voided_by=w.voided_by,
                void_reason=w.void_reason,
            )
            for w in kids.withdrawals
        ),
        trainings=tuple(TrainingView(id=t.id, name=t.name, completed_at=t.completed_at) for t in kids.trainings),
        required_trainings=tuple(
            RequiredTrainingView(id=r.id, name=r.name, due_at=r.due_at) for r in kids.required_trainings
        ),
        departure_notice_at=row.departure_notice_at,
        departed_at=row.departed_at,
        under_ice_supervision=row.under_ice_supervision,
        **_decisions(officer_fact_of(row, kids), agreement, at=at),
        record_label=label_text("officer", at=at, tz=agreement.timezone),
        version=row.version,
    )


def _row_of(row: tables.Officer, officer: facts.Officer, agreement: facts.Agreement, *, at: datetime) -> OfficerRowView:
    decisions = _decisions(officer, agreement, at=at)
    return OfficerRowView(
        id=row.id,
        agency_id=row.agency_id,
        agreement_id=row.agreement_id,
        name=row.name,
        badge=row.badge,
        **{name: DecisionBrief.of(decision) for name, decision in decisions.items()},
        version=row.version,
        record_label=label_text("officer", at=at, tz=agreement.timezone),
    )


def _decisions(officer: facts.Officer, agreement: facts.Agreement, *, at: datetime) -> dict[str, Decision]:
    """The five questions a roster and an officer's page answer about one officer, as of `at`."""
    return {
        "nomination": ask(nomination_valid, officer, template=agreement.template),
        "exam": ask(exam_outcome, [a for a in officer.exam_attempts if a.taken_at <= at], template=agreement.template),
        "authorization": ask(officer_authorized, officer, agreement, at=at),
        "credentials_status": ask(credentials_outstanding, officer, agreement, at=at),
        "training": ask(training_due, officer, agreement, at=at),
    }


# ---- the shared shape of every officer change -------------------------------------------------


def _change(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    permission: Permission,
    type: str,
    expected_version: int | None,
    apply: Callable[[tables.Officer], dict[str, Any]],
    commutative: bool = False,
) -> OfficerView:
    """Load (in scope, at the expected version), apply the change, append its event, commit once.

    `apply` validates, asks the rules (raising Refused), mutates the projection and returns the
    event's payload. A `commutative` change (one that adds a row and reads nothing another writer
    could change meanwhile) is retried on a lost race instead of refused, unless the caller named
    the version it expects.
    """
    require(actor, permission)
    aware("at", at)

    def step() -> OfficerView:
        row = load(uow, tables.Officer, officer_id, actor=actor, expected_version=expected_version)
        payload = apply(row)
        uow.append(
            stream=f"officer:{row.id}", actor=actor.label, at=at, type=type, payload=jsonable(payload), aggregate=row
        )
        return _view(uow, row, at=at)

    if commutative and expected_version is None:
        return uow.retrying(step)
    return step()


def _template(uow: UnitOfWork, row: tables.Officer) -> str:
    return uow.session.get(tables.Agreement, row.agreement_id).template


def _exam(uow: UnitOfWork, row: tables.Officer, *, as_of: datetime) -> Decision:
    officer = officer_fact(uow, row)
    return ask(exam_outcome, [a for a in officer.exam_attempts if a.taken_at <= as_of], template=_template(uow, row))


def _agreement_of(uow: UnitOfWork, row: tables.Officer) -> facts.Agreement:
    return agreement_fact(uow, uow.session.get(tables.Agreement, row.agreement_id))


# ---- nomination --------------------------------------------------------------------------------


def nominate_officer(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agreement_id: str,
    name: str,
    citizen_attested: bool,
    experience_attested: bool,
    facility_training_attested: bool,
    inmate_conduct_attested: bool = False,
    records_access_authorized: bool = False,
    badge: str = "",
) -> OfficerView:
    """Nominate an officer under an agreement, with the LEA's four O1 attestations; refused (O1) if one
    is missing (`inmate_conduct_attested`, "has enforced rules and regulations governing inmate
    accountability and conduct", defaults to not attested: the LEA must say so, never the
    software). `records_access_authorized` is the candidate's written authorization for ICE's
    continuous access to disciplinary records (O2)."""
    require(actor, Permission.MANAGE_OFFICERS)
    aware("at", at)
    agreement_row = load(uow, tables.Agreement, agreement_id, actor=actor)
    name = text("name", name)
    row = tables.Officer(
        id=new_id(),
        agency_id=agreement_row.agency_id,
        agreement_id=agreement_row.id,
        name=name,
        badge=text("badge", badge, max_length=64, required=False),
        citizen_attested=bool(citizen_attested),
        experience_attested=bool(experience_attested),
        facility_training_attested=bool(facility_training_attested),
        inmate_conduct_attested=bool(inmate_conduct_attested),
        records_access_authorized=bool(records_access_authorized),
        background_check="not_requested",
        under_ice_supervision=True,
        created_at=at,
    )
    decision = ask(may_nominate, nominee_fact(row), agreement_fact(uow, agreement_row), at=at)
    if not decision.allowed:
        raise Refused(decision, field="attestations" if decision.status == "invalid_nomination" else "agreement_id")
    uow.session.add(row)
    uow.append(
        stream=f"officer:{row.id}",
        actor=actor.label,
        at=at,
        type="officer.nominated",
        payload={
            "agreement_id": agreement_row.id,
            "agency_id": row.agency_id,
            "name": name,
            "badge": row.badge,
            "citizen_attested": row.citizen_attested,
            "experience_attested": row.experience_attested,
            "facility_training_attested": row.facility_training_attested,
            "inmate_conduct_attested": row.inmate_conduct_attested,
            "records_access_authorized": row.records_access_authorized,
        },
        aggregate=row,
    )
    return _view(uow, row, at=at)


def record_background_check(
    uow: UnitOfWork, *, actor: Actor, at: datetime, officer_id: str, status: str, expected_version: int | None = None
) -> OfficerView:
    """ICE's background check (O2): not_requested, pending, cleared or failed (a failure ends the nomination)."""
    choice("status", status, BACKGROUND_CHECK)

    def apply(row: tables.Officer) -> dict[str, Any]:
        row.background_check = status
        return {"status": status}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.MANAGE_OFFICERS,
        type="officer.background_check_recorded",
        expected_version=expected_version,
        apply=apply,
    )


# ---- training, exam and the documents of authorization -----------------------------------------


def record_exam_attempt(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    taken_at: datetime,
    score_percent: float,
    expected_version: int | None = None,
) -> OfficerView:
    """A final exam attempt (O3); refused once the officer is certified or disqualified."""
    aware("taken_at", taken_at)
    percent("score_percent", score_percent)

    def apply(row: tables.Officer) -> dict[str, Any]:
        before = ask(may_record_exam_attempt, officer_fact(uow, row), template=_template(uow, row), taken_at=taken_at)
        if not before.allowed:
            raise Refused(before, field="score_percent")
        last = uow.session.scalar(
            select(tables.ExamAttempt.taken_at)
            .where(tables.ExamAttempt.officer_id == row.id, tables.ExamAttempt.voided_at.is_(None))
            .order_by(tables.ExamAttempt.taken_at.desc())
            .limit(1)
        )
        if last is not None:
            not_before("taken_at", taken_at, earliest=last, what="the previous attempt")
        if taken_at > at:
            raise InvalidInput("taken_at", "an exam is recorded once taken")
        attempt = tables.ExamAttempt(
            id=new_id(), officer_id=row.id, taken_at=taken_at, score_percent=float(score_percent)
        )
        uow.session.add(attempt)
        uow.session.flush()
        after = _exam(uow, row, as_of=taken_at)
        return {
            "attempt_id": attempt.id,
            "taken_at": taken_at,
            "score_percent": float(score_percent),
            "outcome": after.status,
        }

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.exam_attempt_recorded",
        expected_version=expected_version,
        apply=apply,
    )


def _record_document(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    signed_at: datetime,
    expected_version: int | None,
    column: str,
    type: str,
) -> OfficerView:
    aware("signed_at", signed_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        if signed_at > at:
            raise InvalidInput("signed_at", "cannot be later than the moment it is recorded")
        allowed = ask(
            may_record_authorization_document, officer_fact(uow, row), _agreement_of(uow, row), signed_at=signed_at
        )
        if not allowed.allowed:
            raise Refused(allowed, field="signed_at")
        if getattr(row, column) is not None:
            raise InvalidInput("signed_at", f"recorded already, on {getattr(row, column).isoformat()}")
        setattr(row, column, signed_at)
        return {"signed_at": signed_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type=type,
        expected_version=expected_version,
        apply=apply,
    )


def record_authorization_letter(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    signed_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """The FOD-signed authorization letter (O4); refused before certification (O3)."""
    return _record_document(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        signed_at=signed_at,
        expected_version=expected_version,
        column="letter_signed_at",
        type="officer.authorization_letter_recorded",
    )


def record_form_70_006(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    signed_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """ICE Form 70-006 (Designated Immigration Officer) executed (O4); refused before certification (O3)."""
    return _record_document(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        signed_at=signed_at,
        expected_version=expected_version,
        column="form_70_006_at",
        type="officer.form_70_006_recorded",
    )


def issue_credentials(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    issued_at: datetime,
    number: str = "",
    expected_version: int | None = None,
) -> OfficerView:
    """ICE credentials issued (O4); refused before certification or while an earlier set is unreturned."""
    aware("issued_at", issued_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        if issued_at > at:
            raise InvalidInput("issued_at", "cannot be later than the moment it is recorded")
        allowed = ask(may_issue_credentials, officer_fact(uow, row), _agreement_of(uow, row), issued_at=issued_at)
        if not allowed.allowed:
            raise Refused(allowed, field="issued_at")
        credential = tables.Credential(
            id=new_id(),
            officer_id=row.id,
            number=text("number", number, max_length=64, required=False),
            issued_at=issued_at,
        )
        uow.session.add(credential)
        return {"credential_id": credential.id, "issued_at": issued_at, "number": credential.number}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.credentials_issued",
        expected_version=expected_version,
        apply=apply,
    )


def _held_credential(uow: UnitOfWork, row: tables.Officer, *, field: str) -> tables.Credential:
    held = [
        c
        for c in children(uow, tables.Credential, parent="officer_id", id=row.id, order="issued_at")
        if c.returned_at is None
    ]
    if not held:
        raise InvalidInput(field, f"{row.name} holds no unreturned credentials")
    return held[-1]


def request_credentials_return(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    requested_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """The FOD asks for the credentials back (O6): from then they are an open obligation."""
    aware("requested_at", requested_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        credential = _held_credential(uow, row, field="requested_at")
        not_before("requested_at", requested_at, earliest=credential.issued_at, what="their issue")
        credential.return_requested_at = requested_at
        return {"credential_id": credential.id, "requested_at": requested_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.credentials_return_requested",
        expected_version=expected_version,
        apply=apply,
    )


def return_credentials(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    returned_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """Credentials returned to ICE (O6); the officer is no longer authorized to act (O4)."""
    aware("returned_at", returned_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        credential = _held_credential(uow, row, field="returned_at")
        not_before("returned_at", returned_at, earliest=credential.issued_at, what="their issue")
        if returned_at > at:
            raise InvalidInput("returned_at", "cannot be later than the moment it is recorded")
        credential.returned_at = returned_at
        return {"credential_id": credential.id, "returned_at": returned_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.MANAGE_OFFICERS,
        type="officer.credentials_returned",
        expected_version=expected_version,
        apply=apply,
    )


# ---- what ends or pauses an authorization --------------------------------------------------------


def withdraw_authorization(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    notice_at: datetime,
    effective_at: datetime,
    reason: str = "",
    expected_version: int | None = None,
) -> OfficerView:
    """ICE withdraws the officer's authorization by written notice naming the effective date,
    which may be immediate (O5). Final: a new authorization would be a new nomination."""
    aware("notice_at", notice_at)
    aware("effective_at", effective_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        not_before("effective_at", effective_at, earliest=notice_at, what="the notice")
        withdrawal = tables.Withdrawal(
            id=new_id(),
            officer_id=row.id,
            kind="withdrawal",
            notice_at=notice_at,
            effective_at=effective_at,
            reason=text("reason", reason, max_length=2000, required=False),
        )
        uow.session.add(withdrawal)
        return {
            "withdrawal_id": withdrawal.id,
            "notice_at": notice_at,
            "effective_at": effective_at,
            "reason": withdrawal.reason,
        }

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.authorization_withdrawn",
        expected_version=expected_version,
        apply=apply,
    )


def suspend_officer(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    notice_at: datetime,
    effective_at: datetime,
    reason: str = "",
    complaint_id: str | None = None,
    expected_version: int | None = None,
) -> OfficerView:
    """ICE suspends the officer's authority while under investigation (C4), until lifted."""
    aware("notice_at", notice_at)
    aware("effective_at", effective_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        not_before("effective_at", effective_at, earliest=notice_at, what="the notice")
        complaint = (
            load(uow, tables.Complaint, complaint_id, actor=actor, field="complaint_id") if complaint_id else None
        )
        if complaint is not None and complaint.officer_id != row.id:
            raise InvalidInput("complaint_id", "that complaint is not about this officer")
        suspension = tables.Withdrawal(
            id=new_id(),
            officer_id=row.id,
            kind="suspension",
            notice_at=notice_at,
            effective_at=effective_at,
            reason=text("reason", reason, max_length=2000, required=False),
            complaint_id=complaint.id if complaint else None,
        )
        uow.session.add(suspension)
        return {
            "withdrawal_id": suspension.id,
            "notice_at": notice_at,
            "effective_at": effective_at,
            "reason": suspension.reason,
            "complaint_id": suspension.complaint_id,
        }

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.suspended",
        expected_version=expected_version,
        apply=apply,
    )


def lift_officer_suspension(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    suspension_id: str,
    ended_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """A suspension (C4) lifted by ICE; a withdrawal (O5) cannot be lifted."""
    aware("ended_at", ended_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        item = uow.session.get(tables.Withdrawal, suspension_id)
        if item is None or item.officer_id != row.id:
            raise NotFound("suspension", suspension_id)
        allowed = ask(may_lift_officer_suspension, withdrawal_fact(item))
        if not allowed.allowed:
            raise Refused(allowed, field="suspension_id")
        if item.ended_at is not None:
            raise InvalidInput("suspension_id", f"lifted already, on {item.ended_at.isoformat()}")
        not_before("ended_at", ended_at, earliest=item.effective_at, what="the suspension took effect")
        item.ended_at = ended_at
        return {"withdrawal_id": item.id, "ended_at": ended_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.suspension_lifted",
        expected_version=expected_version,
        apply=apply,
    )


# ---- correcting a mistaken entry -------------------------------------------------------------------

VOIDABLE = ("withdrawal", "exam_attempt")


def void_officer_entry(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    entry: str,
    entry_id: str,
    reason: str,
    expected_version: int | None = None,
) -> OfficerView:
    """Mark a withdrawal, a suspension (O5, C4) or an exam attempt (O3) as recorded in error, with the
    reason: a correcting event, since the ledger is append-only. The entry stays on the record, struck
    through with who voided it, when and why; the rules ignore it from then on. By a role that may
    record those acts (CERTIFY_OFFICERS). A revocation by the agreement's termination (A4) is not an
    entry of this officer's: it is corrected on the agreement's notice, and is refused here."""
    choice("entry", entry, VOIDABLE)
    why = text("reason", reason, max_length=2000)

    def apply(row: tables.Officer) -> dict[str, Any]:
        table = tables.Withdrawal if entry == "withdrawal" else tables.ExamAttempt
        item = uow.session.get(table, entry_id)
        if item is None or item.officer_id != row.id:
            raise NotFound(entry.replace("_", " "), entry_id)
        if item.voided_at is not None:
            raise InvalidInput("entry_id", f"marked recorded in error already, on {item.voided_at.isoformat()}")
        if isinstance(item, tables.Withdrawal) and item.notice_id is not None:
            raise InvalidInput(
                "entry_id", "a revocation by the agreement's termination (A4) follows the notice: correct the notice"
            )
        item.voided_at, item.voided_by, item.void_reason = at, actor.label, why
        return {"entry": entry, "entry_id": item.id, "reason": why}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.CERTIFY_OFFICERS,
        type="officer.entry_voided",
        expected_version=expected_version,
        apply=apply,
    )


def record_departure_notice(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    notice_at: datetime,
    departure_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """The LEA's notice to ICE that an officer will leave the program (O7). A late notice is
    recorded and flagged by the rules (the MOA asks it "where practicable"), not refused."""
    aware("notice_at", notice_at)
    aware("departure_at", departure_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        if row.departure_notice_at is not None:
            raise InvalidInput(
                "notice_at", f"a departure notice is recorded already ({row.departure_notice_at.isoformat()})"
            )
        row.departure_notice_at = notice_at
        row.departed_at = departure_at
        agency = uow.session.get(tables.Agency, row.agency_id)
        decision = ask(
            departure_notice,
            officer_fact(uow, row),
            template=_template(uow, row),
            departure_at=departure_at,
            tz=agency.timezone,
        )
        return {"notice_at": notice_at, "departure_at": departure_at, "notice_status": decision.status}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.MANAGE_OFFICERS,
        type="officer.departure_notice_recorded",
        expected_version=expected_version,
        apply=apply,
    )


def require_training(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    name: str,
    due_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """A training ICE requires of the officer, due by `due_at` (O8: ICE may require more)."""
    aware("due_at", due_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        item = tables.RequiredTraining(
            id=new_id(), officer_id=row.id, name=text("name", name), due_at=due_at, required_at=at
        )
        uow.session.add(item)
        return {"required_training_id": item.id, "name": item.name, "due_at": due_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.MANAGE_OFFICERS,
        type="officer.training_required",
        expected_version=expected_version,
        apply=apply,
        commutative=True,
    )


def record_training(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    officer_id: str,
    name: str,
    completed_at: datetime,
    expected_version: int | None = None,
) -> OfficerView:
    """A training the officer completed (initial, refresher or one ICE required: O8)."""
    aware("completed_at", completed_at)

    def apply(row: tables.Officer) -> dict[str, Any]:
        if completed_at > at:
            raise InvalidInput("completed_at", "a training is recorded once completed")
        item = tables.Training(id=new_id(), officer_id=row.id, name=text("name", name), completed_at=completed_at)
        uow.session.add(item)
        return {"training_id": item.id, "name": item.name, "completed_at": completed_at}

    return _change(
        uow,
        actor=actor,
        at=at,
        officer_id=officer_id,
        permission=Permission.MANAGE_OFFICERS,
        type="officer.training_completed",
        expected_version=expected_version,
        apply=apply,
        commutative=True,
    )


__all__ = [
    "issue_credentials",
    "lift_officer_suspension",
    "nominate_officer",
    "officer_roster",
    "officer_view",
    "record_authorization_letter",
    "record_background_check",
    "record_departure_notice",
    "record_exam_attempt",
    "record_form_70_006",
    "record_training",
    "request_credentials_return",
    "require_training",
    "return_credentials",
    "suspend_officer",
    "withdraw_authorization",
]
