"""What services return: frozen views of a record with the rules' decisions about it.

Plain data (no ORM objects escape a unit of work), so the API serialises them with `to_dict()`
and pages render them directly. A view's decisions are computed "as of" the `at` of the call.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any

from wso.rules.decision import Decision, Reason

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset({str, int, float, bool, type(None)})
_NATIVE: set[type] = set()  # views made of scalars, instants and such views only (see `native`)


def plain(value: Any, *, instants: bool = False) -> Any:
    """A view, decision, instant or collection as JSON-ready values.

    `instants=True` keeps a view's own datetimes as they are, for a JSON encoder that writes them
    itself (the API's pydantic-core: "2026-11-02T15:15:00Z"); decisions render theirs as text.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, Decision):
        return value.to_dict()
    if instants and kind in _NATIVE:
        return value  # pydantic-core writes it as it is: same JSON, a tenth of the Python calls
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        # Field names once per class: a roster of 80 officers renders some 2,000 dataclasses.
        names = _FIELD_NAMES.setdefault(kind, tuple(f.name for f in fields(value)))
    if names is not None:
        return {name: plain(getattr(value, name), instants=instants) for name in names}
    if isinstance(value, datetime):
        return value if instants else value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v, instants=instants) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, instants=instants) for k, v in value.items()}
    return value


class View:
    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def native(kind: type) -> type:
    """Mark a view whose fields are only scalars, instants, tuples of them and other native views:
    `plain(..., instants=True)` hands it to pydantic-core as it is (no Decision to convert), which
    writes the same JSON without a Python call per field (a roster of 80 rows is some 6,000 values)."""
    _NATIVE.add(kind)
    return kind


@dataclass(frozen=True)
class FacilityView(View):
    id: str
    name: str
    state: str
    timezone: str


@dataclass(frozen=True)
class AgencyView(View):
    id: str
    name: str
    state: str
    timezone: str
    version: int
    facilities: tuple[FacilityView, ...] = ()


@dataclass(frozen=True)
class NoticeView(View):
    id: str
    kind: str
    by: str
    received_at: datetime
    effective_at: datetime
    exigent_effective_at: datetime | None
    exigent_reason: str | None
    lifted_at: datetime | None


@dataclass(frozen=True)
class AgreementView(View):
    """An agreement with its status (A2-A4), notices (A3), meetings (A6) and state-law flag (A8)."""

    id: str
    agency_id: str
    agency_name: str
    model: str
    template: str
    state: str
    lea_signed_at: datetime | None
    ice_signed_at: datetime | None
    first_class_certified_at: datetime | None
    operational_at: datetime | None
    notices: tuple[NoticeView, ...]
    meetings_held: tuple[datetime, ...]
    status: Decision  # agreement_in_force: "not_signed" | "not_yet_effective" | "in_force" | "suspended" | "terminated"
    meetings: Decision  # meetings_due (A6)
    state_law_status: str | None
    state_law: dict[str, Any] | None  # the A8 decision on the signing day and, while in force, on `at`
    version: int
    record_label: str = ""  # D1: "MOA record under ICE control" or "state record"


@dataclass(frozen=True)
class ExamAttemptView(View):
    id: str
    taken_at: datetime
    score_percent: float
    voided_at: datetime | None = None  # recorded in error (a correcting event): who, when, why
    voided_by: str | None = None
    void_reason: str | None = None


@dataclass(frozen=True)
class WithdrawalView(View):
    id: str
    kind: str  # "withdrawal" (O5, or A4 at termination) | "suspension" (C4)
    notice_at: datetime
    effective_at: datetime
    ended_at: datetime | None
    reason: str
    complaint_id: str | None
    notice_id: str | None = None  # A4: revoked by the agreement's termination notice
    voided_at: datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None


@dataclass(frozen=True)
class CredentialView(View):
    id: str
    number: str
    issued_at: datetime
    return_requested_at: datetime | None
    returned_at: datetime | None


@dataclass(frozen=True)
class TrainingView(View):
    id: str
    name: str
    completed_at: datetime


@dataclass(frozen=True)
class RequiredTrainingView(View):
    id: str
    name: str
    due_at: datetime


@dataclass(frozen=True)
class OfficerView(View):
    """An officer with every step of the path to authorization and the decisions on it."""

    id: str
    agency_id: str
    agreement_id: str
    name: str
    badge: str
    citizen_attested: bool
    experience_attested: bool
    facility_training_attested: bool
    inmate_conduct_attested: bool
    records_access_authorized: bool
    background_check: str
    exam_attempts: tuple[ExamAttemptView, ...]
    letter_signed_at: datetime | None
    form_70_006_at: datetime | None
    credentials: tuple[CredentialView, ...]
    withdrawals: tuple[WithdrawalView, ...]
    trainings: tuple[TrainingView, ...]
    required_trainings: tuple[RequiredTrainingView, ...]
    departure_notice_at: datetime | None
    departed_at: datetime | None
    under_ice_supervision: bool
    nomination: Decision  # nomination_valid (O1/O2)
    exam: Decision  # exam_outcome (O3): "not_taken" | "certified" | "retake_allowed" | "disqualified"
    authorization: Decision  # officer_authorized (O4/O5/O9/C4): "authorized" | "not_authorized"
    credentials_status: Decision  # credentials_outstanding (O6)
    training: Decision  # training_due (O8)
    version: int
    record_label: str = ""  # D1: "MOA record under ICE control" or "state record"


@native
@dataclass(frozen=True)
class ReasonBrief(View):
    """A reason as a list shows it: its rule and its sentence (source and parameters are on the record's page)."""

    rule: str
    text: str
    modality: str  # "must": a violation; "should": a departure, never a refusal


@native
@dataclass(frozen=True)
class DeadlineBrief(View):
    """The deadline that governs a decision (its binding one)."""

    name: str
    due: datetime
    rule: str


@native
@dataclass(frozen=True)
class DecisionBrief(View):
    """A decision as a list shows it: the answer, the rules that shaped it, what is unmet and by when.

    Why not the whole Decision: a list row carrying every reason with its source and parameters
    weighed 5.7 KB per officer (457 KB for a roster of 80) and its JSON cost more CPU than the
    rules themselves (issue 11, item 6). The full reasons stay on the record's own view
    (`GET /officers/{id}`, the officer's page); `rule_ids` says which rules to look up there.
    """

    question: str
    allowed: bool
    status: str
    rule_ids: tuple[str, ...]
    violations: int  # unsatisfied must reasons
    departures: int  # unsatisfied should reasons: shown and counted apart, never a refusal
    unmet: tuple[ReasonBrief, ...]  # the unsatisfied reasons: why the answer is no, or what is late
    deadline: DeadlineBrief | None  # the binding deadline, if the decision has one

    @classmethod
    def of(cls, decision: Decision) -> DecisionBrief:
        unmet = tuple(_brief(r) for r in decision.reasons if not r.satisfied)
        binding = decision.binding_deadline
        return cls(
            question=decision.question,
            allowed=decision.allowed,
            status=decision.status,
            rule_ids=decision.rule_ids,
            violations=sum(1 for r in unmet if r.modality == "must"),
            departures=sum(1 for r in unmet if r.modality == "should"),
            unmet=unmet,
            deadline=DeadlineBrief(name=binding.name, due=binding.due, rule=binding.rule) if binding else None,
        )


def _brief(reason: Reason) -> ReasonBrief:
    return ReasonBrief(rule=reason.rule, text=reason.text, modality=reason.modality)


@native
@dataclass(frozen=True)
class OfficerRowView(View):
    """One line of the officer roster: who, and each rule's answer about them as of the call, briefly.

    The same five decisions as OfficerView (each a DecisionBrief); the steps themselves (exam
    attempts, credentials, withdrawals, trainings) and the full reasons are the officer's own view.
    """

    id: str
    agency_id: str
    agreement_id: str
    name: str
    badge: str
    nomination: DecisionBrief  # nomination_valid (O1/O2)
    exam: DecisionBrief  # exam_outcome (O3)
    authorization: DecisionBrief  # officer_authorized (O4/O5/O9/C4): "authorized" | "not_authorized"
    credentials_status: DecisionBrief  # credentials_outstanding (O6)
    training: DecisionBrief  # training_due (O8)
    version: int
    record_label: str = ""  # D1: "MOA record under ICE control" or "state record"


@dataclass(frozen=True)
class ComplaintView(View):
    """A complaint with its clocks (C1-C3) as of the call."""

    id: str
    agency_id: str
    agreement_id: str
    facility_id: str | None
    officer_id: str | None
    subject_name: str
    about_designated_officer: bool
    source: str
    summary: str
    received_at: datetime
    ice_notified_at: datetime | None
    ice_notified_to: str
    investigation_result: str
    results_reported_at: datetime | None
    resolution: str
    resolved_at: datetime | None
    deadlines: Decision  # complaint_deadlines (C1-C3)
    version: int
    record_label: str = ""  # D1: "MOA record under ICE control" or "state record"


@dataclass(frozen=True)
class DueItem(View):
    """One thing the coordinator must do, by when, and under which rule."""

    due: datetime | None  # None: at once or no fixed time (listed after every dated item)
    overdue: bool
    rule: str
    name: str
    description: str
    entity: str  # "agreement" | "officer" | "complaint"
    entity_id: str
    label: str  # what to show: the agreement's model, the officer's or complaint's name
