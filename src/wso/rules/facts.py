"""The facts rules decide on: plain frozen dataclasses, built by services or scenarios.

Every instant is a timezone-aware datetime (UTC or with an offset); a facility's local
calendar comes from its IANA zone name. Nothing here knows about a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Model = Literal["WSO", "JEM", "TFM"]
Template = Literal["MOA-2019", "MOA-2025"]
Party = Literal["ICE", "LEA"]
WarrantForm = Literal["I-200", "I-205", "I-247A"]

# The functions an officer may be asked to perform (O9): a WSO has only the first two.
Function = Literal[
    "serve_i200",
    "serve_i205",
    "interrogate",
    "process",
    "issue_detainer",
    "prepare_charging_documents",
    "warrantless_arrest",
    "transport",
]


@dataclass(frozen=True)
class DetentionAgreement:
    """A recorded agreement under which the facility detains people for ICE for a fee (H5, K2, K3).

    An IGSA (or a similar reimbursable detention agreement) can continue a detention past the WSO's
    48 hours; a BOA never does: it pays for holds of up to 48 hours (K2). Recorded with its number,
    parties and dates so the exception is checked against a real, dated agreement, never assumed.
    """

    kind: Literal["IGSA", "BOA"]
    number: str
    parties: tuple[str, ...] = ()
    effective_at: datetime | None = None  # None: the start date is not recorded, so never in force
    ends_at: datetime | None = None  # None: no end recorded

    def in_force_at(self, at: datetime) -> bool:
        """In force from its effective instant until (not including) its end."""
        if self.effective_at is None or at < self.effective_at:
            return False
        return self.ends_at is None or at < self.ends_at


@dataclass(frozen=True)
class Facility:
    name: str
    state: str
    timezone: str
    detention_agreements: tuple[DetentionAgreement, ...] = ()


@dataclass(frozen=True)
class ReleaseStandard:
    """The agency's written release-processing standard (H3): how long may pass between clearing a
    person for release and a warrant's service before the gap is a finding; `source` names the
    written policy. None recorded means zero minutes."""

    minutes: int
    source: str


@dataclass(frozen=True)
class Notice:
    """A written termination or suspension notice (A3); exigent circumstances may set another date."""

    kind: Literal["termination", "suspension"]
    by: Party
    received_at: datetime
    exigent_effective_at: datetime | None = None
    exigent_reason: str | None = None
    lifted_at: datetime | None = None  # a suspension ends when lifted in writing


@dataclass(frozen=True)
class Agreement:
    model: Model
    template: Template
    state: str
    timezone: str = "UTC"  # the LEA's IANA zone: day counts (A3, A6) run on its calendar
    lea_signed_at: datetime | None = None
    ice_signed_at: datetime | None = None
    notices: tuple[Notice, ...] = ()
    first_class_certified_at: datetime | None = None
    operational_at: datetime | None = None
    meetings_held: tuple[datetime, ...] = ()
    igsa_bed_rate_usd: float | None = None
    boa: bool = False


@dataclass(frozen=True)
class ExamAttempt:
    taken_at: datetime
    score_percent: float


@dataclass(frozen=True)
class Withdrawal:
    """ICE's written withdrawal (O5) or suspension (C4) of one officer's authorization.

    `by_termination`: the revocation recorded on the officer's record when the agreement's
    termination notice was received (A4). It is a fact about the record, not a second decision:
    whether the termination revokes the authorization, and from when, is decided in one place,
    `agreement_in_force`, from the agreement's own notices (so an officer nominated after the
    notice, who has no such row, is revoked all the same). The officer rules skip these rows.
    """

    kind: Literal["withdrawal", "suspension"]
    notice_at: datetime
    effective_at: datetime
    ended_at: datetime | None = None  # a suspension may be lifted; a withdrawal is final
    reason: str = ""
    by_termination: bool = False


@dataclass(frozen=True)
class Training:
    name: str
    completed_at: datetime


@dataclass(frozen=True)
class RequiredTraining:
    """Training ICE requires after its yearly review (O8), due by a given instant."""

    name: str
    due_at: datetime


@dataclass(frozen=True)
class Officer:
    name: str
    citizen_attested: bool = False
    experience_attested: bool = False
    facility_training_attested: bool = False
    inmate_conduct_attested: bool = False  # O1's fourth: "have enforced rules ... inmate accountability and conduct"
    background_check: Literal["not_requested", "pending", "cleared", "failed"] = "not_requested"
    exam_attempts: tuple[ExamAttempt, ...] = ()
    letter_signed_at: datetime | None = None
    form_70_006_at: datetime | None = None
    credentials_issued_at: datetime | None = None
    credentials_returned_at: datetime | None = None
    credentials_return_requested_at: datetime | None = None
    withdrawals: tuple[Withdrawal, ...] = ()
    departure_notice_at: datetime | None = None
    departed_at: datetime | None = None
    trainings: tuple[Training, ...] = ()
    required_trainings: tuple[RequiredTraining, ...] = ()
    under_ice_supervision: bool = True


@dataclass(frozen=True)
class Warrant:
    form: WarrantForm
    names_person: bool = True
    signed_by_authorized_officer: bool = True
    issued_at: datetime | None = None
    accompanied_by: tuple[WarrantForm, ...] = ()  # for an I-247A: the I-200/I-205 served with it


@dataclass(frozen=True)
class Service:
    """A WSO's service of a warrant on a person (H1, H3, H6)."""

    served_at: datetime
    scheduled_release_at: datetime
    in_own_facility: bool = True
    criminal_custody_complete: bool = True
    interpreter_used: bool = False
    interpreter_name: str | None = None
    cleared_for_release_at: datetime | None = None  # H3: release is a process; None: not recorded
    release_standard: ReleaseStandard | None = None


@dataclass(frozen=True)
class CitizenshipClaim:
    """One asserted or suspected claim of U.S. citizenship (H7), its report to ICE and ICE's answer.

    `exigency_reason`: the unforeseen exigent circumstances recorded for a late report (MOA-2019)."""

    claimed_at: datetime
    reported_at: datetime | None = None
    answered_at: datetime | None = None
    exigency_reason: str | None = None


@dataclass(frozen=True)
class Hold:
    """Everything recorded about one person's custody after (or without) a served warrant."""

    facility: Facility
    agreement: Agreement
    scheduled_release_at: datetime
    served_at: datetime | None = None
    ice_notified_at: datetime | None = None
    citizenship_claims: tuple[CitizenshipClaim, ...] = ()
    detainer_i247a: bool = False
    cfr_287_7_applies: bool = False
    transferred_at: datetime | None = None
    released_at: datetime | None = None
    cleared_for_release_at: datetime | None = None  # H3: when the person was cleared for release
    release_standard: ReleaseStandard | None = None  # H3: the agency's written standard, if recorded
    igsa_booked_at: datetime | None = None  # H5: booked as an ICE detainee under a detention agreement
    igsa_number: str | None = None  # the number of the agreement the booking names


@dataclass(frozen=True)
class Complaint:
    received_at: datetime
    about_designated_officer: bool = True
    ice_notified_at: datetime | None = None
    results_reported_at: datetime | None = None
    resolved_at: datetime | None = None
    subject_officer: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
