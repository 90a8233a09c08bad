"""The officers' reads: an agency's roster and one officer's record, as of an instant."""

from __future__ import annotations

from wso.officers import service as officers
from wso.services.commands.queries import AsOf, Query


class OfficerRoster(AsOf):
    service = officers.officer_roster
    ids = ("agency_id",)


class ShowOfficer(AsOf):
    service = officers.officer_view
    ids = ("officer_id",)


ALL: tuple[type[Query], ...] = (OfficerRoster, ShowOfficer)
