"""What "what is due" returns: one action, by when, under which rule.

Frozen dataclasses (wso.services.views.View): plain data, no ORM object escapes a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wso.services.views import View


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
