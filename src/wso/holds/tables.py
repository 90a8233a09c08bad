"""The holds area's tables: the hold projection, the facility's detention agreements (IGSA / BOA) and
the agency's written release-processing standard. Migration branch `holds` (h0001).

DECIDE ON WRITE, READ ON THE BOARD. Every event on a hold's stream (and `refresh_hold`, which the
deadline worker calls when a due instant passes) folds the hold's events, asks `rules.holds.hold_status`
at that instant and stores the decision's summary in the `holds` row, so the board sorts, filters and
pages in SQL and calls no rule while rendering. The columns of `holds` (names are stable):

- identity: `id` (UUID), `version` (= seq of the last event on stream `hold:<id>`, checked on UPDATE),
  `created_at`, `agency_id`, `facility_id`, `agreement_id` (the agency's WSO agreement at booking),
  `booking_number` (unique per agency), `person_name`, `date_of_birth` (optional), `booking_date`.
- what the records state: `scheduled_release_at`, `warrant_form` / `warrant_number` (the authority, or
  the I-247A if that is all; None: no warrant or detainer yet), `served_at` (a valid service only).
- the stored decision, as of `decided_at`: `status` (hold_status's word: in_criminal_custody,
  release_processing, held_for_ice, release_required, transferred, released, igsa_detention), `allowed`,
  `binding_deadline_at` / `binding_deadline_name` / `binding_rule`, `next_action` / `next_action_role`
  (who may do it: clerk, wso, supervisor) / `next_action_due_at` / `next_action_rule`,
  the flags `flag_citizenship_open`, `flag_ice_not_notified`, `flag_past_deadline`, `rule_ids` (a
  space-separated list, in the decision's order), `active` (false once transferred, released or booked
  under an IGSA), `sort_at` (the board's urgency key: the earliest of the binding deadline and the next
  action's due time), `next_due_at` (the next instant after `decided_at` at which time alone changes
  the decision or an alert is due: what the worker waits for) and `decision` (the whole decision as
  JSON, reasons included, for the person page).

Privacy (PROGRAM.md D3): no column holds race, ethnicity, national origin, religion or an
immigration-status assessment of the person, and none may be added.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wso.store.base import Base, UTCDateTime


class Hold(Base):
    """One person's custody with an ICE warrant or detainer: the projection of stream `hold:<id>`."""

    __tablename__ = "holds"
    __table_args__ = (
        UniqueConstraint("agency_id", "booking_number", name="uq_holds_agency_booking_number"),
        Index("ix_holds_board", "agency_id", "active", "flag_past_deadline", "sort_at"),  # the board's order
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    booking_number: Mapped[str] = mapped_column(String(64))
    person_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    booking_date: Mapped[date] = mapped_column(Date)
    scheduled_release_at: Mapped[datetime] = mapped_column(UTCDateTime())
    warrant_form: Mapped[str | None] = mapped_column(String(8))
    warrant_number: Mapped[str | None] = mapped_column(String(64))
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(32), index=True)
    allowed: Mapped[bool] = mapped_column(Boolean)
    binding_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    binding_deadline_name: Mapped[str | None] = mapped_column(String(32))
    binding_rule: Mapped[str | None] = mapped_column(String(8))
    next_action: Mapped[str | None] = mapped_column(String(64))
    next_action_role: Mapped[str | None] = mapped_column(String(16))
    next_action_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_action_rule: Mapped[str | None] = mapped_column(String(8))
    flag_citizenship_open: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_ice_not_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_past_deadline: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_ids: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, index=True)
    sort_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)

    # The version is set by the service (= the stream's seq) and checked by the mapper on every UPDATE,
    # so two clerks who loaded the same hold cannot both write (the second gets ConcurrencyError).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class DetentionAgreement(Base):
    """An IGSA (or similar reimbursable detention agreement) or a BOA of a facility (H5, K2, K3)."""

    __tablename__ = "detention_agreements"
    __table_args__ = (UniqueConstraint("facility_id", "number", name="uq_detention_agreements_facility_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(64))
    parties: Mapped[list[str]] = mapped_column(JSON)
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bed_rate_usd_per_day: Mapped[float | None] = mapped_column(Float)
    reference: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReleaseStandard(Base):
    """The agency's written release-processing standard (H3), from `effective_at`, with its source."""

    __tablename__ = "release_standards"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agency_id: Mapped[str] = mapped_column(ForeignKey("agencies.id"), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
