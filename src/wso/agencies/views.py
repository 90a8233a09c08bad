"""What the agencies services return: an agency with its facilities and the program's decisions about it.

Frozen dataclasses (wso.services.views.View): plain data, no ORM object escapes a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from wso.services.views import View


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
