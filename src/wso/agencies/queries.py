"""The agencies' reads: the agencies the actor may see, and one agency with its facilities."""

from __future__ import annotations

from wso.agencies import service as agencies
from wso.services.commands.queries import Query


class ListAgencies(Query):
    service = agencies.list_agencies


class ShowAgency(Query):
    service = agencies.agency_view
    ids = ("agency_id",)


ALL: tuple[type[Query], ...] = (ListAgencies, ShowAgency)
