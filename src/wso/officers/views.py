"""What the officers services return: an officer's record with its steps and decisions, and a roster line.

Frozen dataclasses (wso.services.views.View): plain data, no ORM object escapes a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wso.rules.decision import Decision
from wso.services.views import DecisionBrief, View, native


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
