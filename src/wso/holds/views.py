"""What hold services return: plain Pydantic views built from the projection row (no rule is called)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from wso.holds import tables as t


class HoldSummary(BaseModel):
    """One row of the board: the hold and its stored decision summary (tables.py explains each field)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    version: int
    agency_id: str
    facility_id: str
    booking_number: str
    person_name: str
    date_of_birth: date | None
    booking_date: date
    scheduled_release_at: datetime
    warrant_form: str | None
    warrant_number: str | None
    served_at: datetime | None
    decided_at: datetime
    status: str
    allowed: bool
    binding_deadline_at: datetime | None
    binding_deadline_name: str | None
    binding_rule: str | None
    next_action: str | None
    next_action_role: str | None
    next_action_due_at: datetime | None
    next_action_rule: str | None
    flag_citizenship_open: bool
    flag_ice_not_notified: bool
    flag_past_deadline: bool
    rule_ids: list[str]
    active: bool
    next_due_at: datetime | None

    @classmethod
    def of(cls, row: t.Hold) -> HoldSummary:
        data = {name: getattr(row, name) for name in cls.model_fields if name != "rule_ids"}
        return cls(**data, rule_ids=row.rule_ids.split() if row.rule_ids else [])

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class HoldEventView(BaseModel):
    seq: int
    type: str
    at: datetime  # when it happened
    recorded_at: datetime
    actor: str
    data: dict[str, Any]


class HoldDetail(HoldSummary):
    """The person page: the summary, the stored decision with every reason, and the whole timeline."""

    decision: dict[str, Any]
    events: list[HoldEventView]
    facility_timezone: str


class DetentionAgreementView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    facility_id: str
    kind: str
    number: str
    parties: list[str]
    effective_at: datetime
    ends_at: datetime | None
    bed_rate_usd_per_day: float | None
    reference: str

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class ReleaseStandardView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    agency_id: str
    minutes: int
    source: str
    effective_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class RowProblem(BaseModel):
    line: int
    field: str | None
    reason: str


class ImportReport(BaseModel):
    """A booking feed's outcome: what was booked, changed or already known, and each bad row."""

    booked: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = []

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
