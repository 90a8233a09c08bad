"""Agreements (MOA): creation with its template (A7) and state-law flag (A8), signatures (A2),
termination and suspension notices (A3) with revocation of every authorization (A4), meetings (A6).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from wso.agreements.views import AgreementLink, AgreementView, NoticeView
from wso.params import TEMPLATES
from wso.rules import facts
from wso.rules.agreements import (
    agreement_in_force,
    may_create_agreement,
    may_lift_notice,
    may_record_notice,
    meetings_due,
)
from wso.rules.clock import local_date
from wso.rules.eligibility import agreement_state_law, state_law_eligibility
from wso.services.asking import ask
from wso.services.errors import InvalidInput, NotFound, Refused
from wso.services.inputs import aware, choice, jsonable, new_id, optional_aware, text
from wso.services.labels import label_text
from wso.services.lookup import load
from wso.services.permissions import Actor, Permission, require
from wso.services.to_facts import (
    AgreementChildren,
    agreement_children,
    agreement_fact,
    agreement_fact_of,
    agreement_facts,
    notice_fact,
    rows_by_id,
)
from wso.store import tables
from wso.store.uow import UnitOfWork

MODELS = ("WSO", "JEM", "TFM")
PARTIES = ("LEA", "ICE")
NOTICE_KINDS = ("termination", "suspension")
# The field to blame for each way may_record_notice (A3) refuses a notice.
_NOTICE_REFUSAL_FIELD = {
    "exigent_reason_missing": "exigent_reason",
    "not_in_force": "agreement_id",
    "terminated_already": "kind",
}


def agreement_view(uow: UnitOfWork, *, actor: Actor, agreement_id: str, at: datetime) -> AgreementView:
    """The agreement as of `at`: in force or not and why, its notices, and the meetings due."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    return _view(uow, load(uow, tables.Agreement, agreement_id, actor=actor), at=at)


def list_agreements(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> list[AgreementView]:
    """The agency's agreements recorded by `at`, oldest first; their notices and meetings in one query
    each. An agreement recorded after `at` is not listed: the list as of an earlier instant is the list
    as it stood then."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    agency = load(uow, tables.Agency, agency_id, actor=actor)
    rows = list(
        uow.session.scalars(
            select(tables.Agreement)
            .where(tables.Agreement.agency_id == agency.id, tables.Agreement.created_at <= at)
            .order_by(tables.Agreement.created_at)
        )
    )
    return _views(uow, rows, at=at)


def agreement_links(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> list[AgreementLink]:
    """The agency's agreements recorded by `at`, oldest first, as links: one query and no rules, for a page
    that only points to them (the roster page decided every agreement it linked to: in a profile, about a quarter
    of its handler's time)."""
    require(actor, Permission.READ_RECORDS)
    aware("at", at)
    agency = load(uow, tables.Agency, agency_id, actor=actor)
    rows = uow.session.execute(
        select(tables.Agreement.id, tables.Agreement.model)
        .where(tables.Agreement.agency_id == agency.id, tables.Agreement.created_at <= at)
        .order_by(tables.Agreement.created_at)
    )
    return [AgreementLink(id=row.id, model=row.model) for row in rows]


def _view(uow: UnitOfWork, row: tables.Agreement, *, at: datetime) -> AgreementView:
    return _views(uow, [row], at=at)[0]


def _views(uow: UnitOfWork, rows: list[tables.Agreement], *, at: datetime) -> list[AgreementView]:
    agencies = rows_by_id(uow, tables.Agency, (row.agency_id for row in rows))
    kids = agreement_children(uow, [row.id for row in rows])
    return [_view_of(row, kids[row.id], agency=agencies[row.agency_id], at=at) for row in rows]


def _view_of(row: tables.Agreement, kids: AgreementChildren, *, agency: tables.Agency, at: datetime) -> AgreementView:
    fact = agreement_fact_of(row, kids, timezone=agency.timezone)
    # A8 is computed when read, from the agreement's own dates: on the later signature's local day,
    # and again on `at` while in force, so a law's effective date re-judges it with nothing to run.
    state_law = ask(agreement_state_law, fact, at=at)
    return AgreementView(
        id=row.id,
        agency_id=row.agency_id,
        agency_name=agency.name,
        model=row.model,
        template=row.template,
        state=row.state,
        lea_signed_at=row.lea_signed_at,
        ice_signed_at=row.ice_signed_at,
        first_class_certified_at=row.first_class_certified_at,
        operational_at=row.operational_at,
        notices=tuple(
            NoticeView(
                id=n.id,
                kind=n.kind,
                by=n.by,
                received_at=n.received_at,
                effective_at=n.effective_at,
                exigent_effective_at=n.exigent_effective_at,
                exigent_reason=n.exigent_reason,
                lifted_at=n.lifted_at,
            )
            for n in kids.notices
        ),
        meetings_held=fact.meetings_held,
        status=ask(agreement_in_force, fact, at=at),
        meetings=ask(meetings_due, fact, at=at),
        state_law_status=state_law.status or None,
        state_law=state_law.to_dict(),
        record_label=label_text("agreement", at=at, tz=agency.timezone),
        version=row.version,
    )


def create_agreement(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agency_id: str,
    model: str,
    template: str,
) -> AgreementView:
    """Record an agreement of one model (A1) following one template version (A7).

    A8: if the agency's state forbids or restricts this model on that day, the agreement is still
    recorded (the agency may be challenging the law, or the law may be wrong here) but flagged,
    with the state-law decision and its citation kept on the record.
    """
    require(actor, Permission.MANAGE_AGREEMENTS)
    aware("at", at)
    agency = load(uow, tables.Agency, agency_id, actor=actor)
    choice("model", model, MODELS)
    choice("template", template, TEMPLATES)
    existing = uow.session.scalars(
        select(tables.Agreement).where(tables.Agreement.agency_id == agency.id, tables.Agreement.model == model)
    )
    allowed = ask(may_create_agreement, model, list(agreement_facts(uow, existing).values()), at=at)
    if not allowed.allowed:
        raise Refused(allowed, field="model")
    # Recorded with the creation event: state law on the agency's local day of creation. What counts
    # for A8 is the signing day, judged when the agreement is read (agreement_state_law).
    eligibility = ask(state_law_eligibility, state=agency.state, model=model, on=local_date(at, tz=agency.timezone))
    row = tables.Agreement(
        id=new_id(),
        agency_id=agency.id,
        model=model,
        template=template,
        state=agency.state,
        created_at=at,
        state_law_status=eligibility.status or None,
        state_law_decision=eligibility.to_dict(),
    )
    uow.session.add(row)
    uow.append(
        stream=f"agreement:{row.id}",
        actor=actor.label,
        at=at,
        type="agreement.created",
        payload={
            "agency_id": agency.id,
            "model": model,
            "template": template,
            "state": agency.state,
            "state_law_status": eligibility.status,
            "state_law_rule_ids": list(eligibility.rule_ids),
        },
        aggregate=row,
    )
    return _view(uow, row, at=at)


def record_signature(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agreement_id: str,
    party: str,
    signed_at: datetime,
    expected_version: int | None = None,
) -> AgreementView:
    """Record one party's signature; the agreement takes effect at the later of the two (A2)."""
    require(actor, Permission.MANAGE_AGREEMENTS)
    aware("at", at)
    aware("signed_at", signed_at)
    choice("party", party, PARTIES)
    if signed_at > at:
        raise InvalidInput("signed_at", "a signature cannot be recorded before it is made")
    row = load(uow, tables.Agreement, agreement_id, actor=actor, expected_version=expected_version)
    column = "lea_signed_at" if party == "LEA" else "ice_signed_at"
    if getattr(row, column) is not None:
        raise InvalidInput("party", f"{party} signed already, on {getattr(row, column).isoformat()}")
    setattr(row, column, signed_at)
    uow.append(
        stream=f"agreement:{row.id}",
        actor=actor.label,
        at=at,
        type="agreement.signed",
        payload=jsonable({"party": party, "signed_at": signed_at}),
        aggregate=row,
    )
    return _view(uow, row, at=at)


def record_notice(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agreement_id: str,
    kind: str,
    by: str,
    received_at: datetime,
    exigent_effective_at: datetime | None = None,
    exigent_reason: str | None = None,
    expected_version: int | None = None,
) -> AgreementView:
    """Record a written termination or suspension notice (A3), with the date it takes effect.

    A termination also revokes every officer authorization under the agreement from that date
    (A4): each officer's stream gets its own revocation event, so each record says why.
    """
    require(actor, Permission.MANAGE_AGREEMENTS)
    aware("at", at)
    aware("received_at", received_at)
    optional_aware("exigent_effective_at", exigent_effective_at)
    choice("kind", kind, NOTICE_KINDS)
    choice("by", by, PARTIES)
    exigent_reason = text("exigent_reason", exigent_reason, max_length=2000, required=False) or None
    row = load(uow, tables.Agreement, agreement_id, actor=actor, expected_version=expected_version)
    fact = agreement_fact(uow, row)
    asked = facts.Notice(
        kind=kind,  # type: ignore[arg-type]  # checked by choice() above
        by=by,  # type: ignore[arg-type]
        received_at=received_at,
        exigent_effective_at=exigent_effective_at,
        exigent_reason=exigent_reason,
    )
    allowed = ask(may_record_notice, fact, asked)
    if not allowed.allowed:
        raise Refused(allowed, field=_NOTICE_REFUSAL_FIELD[allowed.status])
    notice = tables.Notice(
        id=new_id(),
        agreement_id=row.id,
        kind=kind,
        by=by,
        received_at=received_at,
        exigent_effective_at=exigent_effective_at,
        exigent_reason=exigent_reason,
        lifted_at=None,
    )
    notice.effective_at = allowed.values["effective_at"]
    uow.session.add(notice)
    uow.append(
        stream=f"agreement:{row.id}",
        actor=actor.label,
        at=at,
        type="agreement.notice_received",
        payload=jsonable(
            {
                "notice_id": notice.id,
                "kind": kind,
                "by": by,
                "received_at": received_at,
                "effective_at": notice.effective_at,
                "exigent_effective_at": exigent_effective_at,
                "exigent_reason": exigent_reason,
            }
        ),
        aggregate=row,
    )
    if kind == "termination":
        _revoke_all_authorizations(uow, actor=actor, at=at, agreement=row, notice=notice)
    return _view(uow, row, at=at)


def _revoke_all_authorizations(
    uow: UnitOfWork, *, actor: Actor, at: datetime, agreement: tables.Agreement, notice: tables.Notice
) -> None:
    """A4: "termination ... shall constitute revocation of all ... authorizations" at once.

    These rows and events are the record on each officer's file that the revocation happened and
    why; they decide nothing. Whether an officer is revoked, and from when, is decided in one place,
    `rules.agreements.agreement_in_force`, from the agreement's notices: the officer rules skip these
    rows (facts.Withdrawal.by_termination), so an officer nominated after the notice, who has none,
    is revoked all the same, and no row can contradict the rule."""
    officers = uow.session.scalars(select(tables.Officer).where(tables.Officer.agreement_id == agreement.id))
    reason = f"A4: the agreement is terminated by {notice.by} notice (effective {notice.effective_at.isoformat()})"
    for officer in officers:
        withdrawal = tables.Withdrawal(
            id=new_id(),
            officer_id=officer.id,
            kind="withdrawal",
            notice_at=notice.received_at,
            effective_at=notice.effective_at,
            ended_at=None,
            reason=reason,
            notice_id=notice.id,
        )
        uow.session.add(withdrawal)
        uow.append(
            stream=f"officer:{officer.id}",
            actor=actor.label,
            at=at,
            type="officer.authorization_revoked",
            payload=jsonable(
                {
                    "withdrawal_id": withdrawal.id,
                    "notice_id": notice.id,
                    "effective_at": notice.effective_at,
                    "rule": "A4",
                    "reason": reason,
                }
            ),
            aggregate=officer,
        )


def lift_suspension(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agreement_id: str,
    notice_id: str,
    lifted_at: datetime,
    expected_version: int | None = None,
) -> AgreementView:
    """A suspension ends when lifted in writing; a termination cannot be lifted."""
    require(actor, Permission.MANAGE_AGREEMENTS)
    aware("at", at)
    aware("lifted_at", lifted_at)
    row = load(uow, tables.Agreement, agreement_id, actor=actor, expected_version=expected_version)
    notice = uow.session.get(tables.Notice, notice_id)
    if notice is None or notice.agreement_id != row.id:
        raise NotFound("notice", notice_id)
    allowed = ask(may_lift_notice, notice_fact(notice))
    if not allowed.allowed:
        raise Refused(allowed, field="notice_id")
    if notice.lifted_at is not None:
        raise InvalidInput("notice_id", f"lifted already, on {notice.lifted_at.isoformat()}")
    if lifted_at < notice.received_at:
        raise InvalidInput("lifted_at", "cannot be before the notice was received")
    notice.lifted_at = lifted_at
    uow.append(
        stream=f"agreement:{row.id}",
        actor=actor.label,
        at=at,
        type="agreement.suspension_lifted",
        payload=jsonable({"notice_id": notice.id, "lifted_at": lifted_at}),
        aggregate=row,
    )
    return _view(uow, row, at=at)


def record_meeting(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agreement_id: str,
    held_at: datetime,
    note: str = "",
    expected_version: int | None = None,
) -> AgreementView:
    """A meeting of ICE's Field Office Director and the LEA (A6: at least once a year)."""
    require(actor, Permission.MANAGE_AGREEMENTS)
    aware("at", at)
    aware("held_at", held_at)
    if held_at > at:
        raise InvalidInput("held_at", "a meeting is recorded once held")
    row = load(uow, tables.Agreement, agreement_id, actor=actor, expected_version=expected_version)
    meeting = tables.Meeting(
        id=new_id(), agreement_id=row.id, held_at=held_at, note=text("note", note, max_length=2000, required=False)
    )
    uow.session.add(meeting)
    uow.append(
        stream=f"agreement:{row.id}",
        actor=actor.label,
        at=at,
        type="agreement.meeting_held",
        payload=jsonable({"meeting_id": meeting.id, "held_at": held_at, "note": meeting.note}),
        aggregate=row,
    )
    return _view(uow, row, at=at)


def record_program_dates(
    uow: UnitOfWork,
    *,
    actor: Actor,
    at: datetime,
    agreement_id: str,
    first_class_certified_at: datetime | None = None,
    operational_at: datetime | None = None,
    expected_version: int | None = None,
) -> AgreementView:
    """The dates the first review is counted from (A6): 2019 template from the first class's
    certification, 2025 template from the operational date."""
    require(actor, Permission.MANAGE_AGREEMENTS)
    aware("at", at)
    optional_aware("first_class_certified_at", first_class_certified_at)
    optional_aware("operational_at", operational_at)
    if first_class_certified_at is None and operational_at is None:
        raise InvalidInput("first_class_certified_at", "give at least one of the two dates")
    row = load(uow, tables.Agreement, agreement_id, actor=actor, expected_version=expected_version)
    changes = {}
    if first_class_certified_at is not None:
        row.first_class_certified_at = changes["first_class_certified_at"] = first_class_certified_at
    if operational_at is not None:
        row.operational_at = changes["operational_at"] = operational_at
    uow.append(
        stream=f"agreement:{row.id}",
        actor=actor.label,
        at=at,
        type="agreement.program_dates_recorded",
        payload=jsonable(changes),
        aggregate=row,
    )
    return _view(uow, row, at=at)
