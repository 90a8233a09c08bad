"""Projection tables: the current state of every record, rebuilt from the ledger's events.

Each aggregate (agency, agreement, officer, complaint, user) has a `version` equal to the seq of
the last event of its ledger stream. The mapper checks it on every UPDATE (`WHERE version = old`),
so two clerks who loaded the same record cannot both write: the second gets ConcurrencyError.
Child rows (notices, exam attempts, withdrawals, credentials, trainings, meetings) belong to their
aggregate and change only with it.

Privacy (PROGRAM.md D3): no column holds race, ethnicity, national origin, religion or an
immigration-status assessment, and none may be added.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from wso.store.base import Base, UTCDateTime


class _Aggregate:
    """Columns every aggregate root shares: a UUID id, its stream version, when it was created."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @declared_attr.directive
    @classmethod
    def __mapper_args__(cls) -> dict[str, Any]:
        # The version is set by the service (= the stream's seq), and checked by the mapper.
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


class Agency(_Aggregate, Base):
    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))


class Facility(Base):
    """A jail or correctional facility of an agency; its IANA zone sets its local calendar."""

    __tablename__ = "facilities"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Agreement(_Aggregate, Base):
    __tablename__ = "agreements"

    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    model: Mapped[str] = mapped_column(String(3))
    template: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(2))
    lea_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ice_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_class_certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    operational_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A8: the state-law decision at signing time, kept as rendered (status, rule ids, reasons).
    state_law_status: Mapped[str | None] = mapped_column(String(32))
    state_law_decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Notice(Base):
    """A written termination or suspension notice of an agreement (A3)."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(3))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    exigent_effective_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    exigent_reason: Mapped[str | None] = mapped_column(Text)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())  # as the rules computed it


class Meeting(Base):
    """A meeting of ICE's Field Office Director and the LEA (A6)."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")


class Officer(_Aggregate, Base):
    __tablename__ = "officers"

    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    badge: Mapped[str] = mapped_column(String(64), default="")
    citizen_attested: Mapped[bool] = mapped_column(Boolean)
    experience_attested: Mapped[bool] = mapped_column(Boolean)
    facility_training_attested: Mapped[bool] = mapped_column(Boolean)
    # O1's fourth requirement (migration r0003); rows nominated before it say "not attested".
    inmate_conduct_attested: Mapped[bool] = mapped_column(Boolean, server_default=sa_false(), default=False)
    records_access_authorized: Mapped[bool] = mapped_column(Boolean, default=False)
    background_check: Mapped[str] = mapped_column(String(16), default="not_requested")
    letter_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    form_70_006_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    departure_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    under_ice_supervision: Mapped[bool] = mapped_column(Boolean, default=True)


class ExamAttempt(Base):
    __tablename__ = "exam_attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    score_percent: Mapped[float] = mapped_column(Float)
    # A correcting event (officer.entry_voided) marks an entry recorded in error; the rules then ignore it.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    voided_by: Mapped[str | None] = mapped_column(String(200), default=None)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class Withdrawal(Base):
    """ICE's withdrawal (O5), a suspension (C4) or a revocation by termination (A4)."""

    __tablename__ = "withdrawals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    notice_at: Mapped[datetime] = mapped_column(UTCDateTime())
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    complaint_id: Mapped[str | None] = mapped_column(ForeignKey("complaints.id"))
    notice_id: Mapped[str | None] = mapped_column(ForeignKey("notices.id"))
    # A correcting event (officer.entry_voided) marks an entry recorded in error; the rules then ignore it.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    voided_by: Mapped[str | None] = mapped_column(String(200), default=None)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class Credential(Base):
    """ICE credentials (O6): ICE property, an open obligation until returned."""

    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)
    number: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    return_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Training(Base):
    __tablename__ = "trainings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RequiredTraining(Base):
    """A training ICE requires of an officer, due by a date (O8: ICE may require more training)."""

    __tablename__ = "required_trainings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    required_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Complaint(_Aggregate, Base):
    """A complaint or allegation (C1-C5); about a designated officer or other personnel."""

    __tablename__ = "complaints"

    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"))
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("officers.id"), index=True)
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    about_designated_officer: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ice_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ice_notified_to: Mapped[str] = mapped_column(String(200), default="")
    investigation_result: Mapped[str] = mapped_column(Text, default="")
    results_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class User(_Aggregate, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is kept, so a database leak yields no usable token."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccessLog(Base):
    """Who read or was refused which record, or tried to sign in: when, from where, with what outcome.

    Kept out of the ledger (a chain per read would make every page view contend for a stream head)
    but chained on its own (`seq`, `prev_hash`, `hash`; wso.store.access), append-only on
    PostgreSQL and covered by `wso ledger verify` (CJIS Security Policy 5.4: audit and accountability).
    """

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # when the read happened (database clock)
    as_of: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # the instant the reader asked about
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))  # read, refused, sign_in
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    agency_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str] = mapped_column(String(32))  # shown, forbidden, not_found, success, failure, locked
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class DepartureReason(Base):
    """Why a `should` rule was not met on a record (PROGRAM.md, Modality): the room to record the
    reason for a departure. Projection of `departure.reason_recorded` events on the record's stream."""

    __tablename__ = "departure_reasons"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    rule: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(200))
