"""Agencies and their facilities; what is due for an agency (ordered by deadline)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.agencies import commands as c
from wso.agencies import queries as q
from wso.agencies.export import RecordsExport
from wso.agencies.views import AgencyView
from wso.due.queries import WhatIsDue
from wso.due.views import DueItem
from wso.http.api_routes import command, query

router = APIRouter(tags=["agencies"])

query(router, "/agencies", q.ListAgencies, view=AgencyView, many=True)
command(router, "/agencies", c.CreateAgency, view=AgencyView, status_code=201)
query(router, "/agencies/{agency_id}", q.ShowAgency, view=AgencyView)
command(router, "/agencies/{agency_id}/facilities", c.AddFacility, view=AgencyView, status_code=201)
query(router, "/agencies/{agency_id}/due", WhatIsDue, view=DueItem, many=True)
command(router, "/agencies/{agency_id}/export", c.ExportAgencyRecords, view=RecordsExport)
