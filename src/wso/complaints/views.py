"""What the complaints services return: a complaint with its clocks (C1-C3).

Frozen dataclasses (wso.services.views.View): plain data, no ORM object escapes a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wso.rules.decision import Decision
from wso.services.views import View


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
