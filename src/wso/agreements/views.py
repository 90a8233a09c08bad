"""What the agreements services return: an agreement (MOA) with its notices, meetings and whether it is in force.

Frozen dataclasses (wso.services.views.View): plain data, no ORM object escapes a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wso.rules.decision import Decision
from wso.services.views import View


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
class AgreementLink(View):
    """An agreement as a page that only points to it needs it (the roster's "nominate on ..." links)."""

    id: str
    model: str


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
