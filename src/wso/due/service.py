"""What is due: every open action the rules name for an agency's records, by deadline.

The coordinator's list (issue 3) gathers the actions of each decision a record's page shows
(agreement status and meetings, officers' credentials and trainings, complaints' clocks), so the
list and the pages can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select

from wso.agreements.service import list_agreements
from wso.complaints.service import complaint_list_views
from wso.due.views import DueItem
from wso.officers.service import roster_views
from wso.rules.decision import Decision
from wso.rules.eligibility import required_agreement_due
from wso.services.asking import ask
from wso.services.inputs import aware
from wso.services.lookup import load
from wso.services.permissions import Actor
from wso.store import tables
from wso.store.uow import UnitOfWork

_LAST = datetime.max.replace(tzinfo=UTC)


def _items(decisions: Iterable[Decision], *, at: datetime, entity: str, entity_id: str, label: str) -> list[DueItem]:
    return [
        DueItem(
            due=action.due,
            overdue=action.due is not None and action.due < at,
            rule=action.rule,
            name=action.name,
            description=action.description or action.name.replace("_", " "),
            entity=entity,
            entity_id=entity_id,
            label=label,
        )
        for decision in decisions
        for action in decision.actions
    ]


def what_is_due(uow: UnitOfWork, *, actor: Actor, agency_id: str, at: datetime) -> list[DueItem]:
    """Every open action for the agency as of `at`, earliest deadline first, undated ones last.

    One read: the roster's and the complaints' reads are logged once, together, when the entry point commits.
    """
    aware("at", at)
    items: list[DueItem] = []
    agreements = list_agreements(uow, actor=actor, agency_id=agency_id, at=at)
    for agreement in agreements:
        items += _items(
            (agreement.status, agreement.meetings),
            at=at,
            entity="agreement",
            entity_id=agreement.id,
            label=f"{agreement.model} agreement ({agreement.template})",
        )
    agency = load(uow, tables.Agency, agency_id, actor=actor)
    jail = select(tables.Facility.id).where(tables.Facility.agency_id == agency.id).limit(1)
    runs_jail = uow.session.scalar(jail) is not None
    required = ask(
        required_agreement_due,
        state=agency.state,
        tz=agency.timezone,
        runs_jail=runs_jail,
        models_in_force=[a.model for a in agreements if a.status.allowed],
        at=at,
    )
    items += _items((required,), at=at, entity="agency", entity_id=agency.id, label=f"{agency.name} (state law)")
    for officer in roster_views(uow, actor=actor, agency_id=agency_id, at=at):
        items += _items(
            (officer.exam, officer.credentials_status, officer.training),
            at=at,
            entity="officer",
            entity_id=officer.id,
            label=officer.name,
        )
    for complaint in complaint_list_views(uow, actor=actor, agency_id=agency_id, at=at, open_only=False):
        items += _items(
            (complaint.deadlines,),
            at=at,
            entity="complaint",
            entity_id=complaint.id,
            label=f"Complaint about {complaint.subject_name or 'unnamed personnel'}",
        )
    return sorted(items, key=lambda i: (i.due or _LAST, i.entity, i.label, i.name))
