"""Agencies and their facilities; what is due for an agency (ordered by deadline)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.agencies import commands as c
from wso.agencies import service as agencies
from wso.agencies.export import RecordsExport
from wso.agencies.views import AgencyView
from wso.due import service as due
from wso.due.views import DueItem
from wso.http.api_routes import command, query

router = APIRouter(tags=["agencies"])

query(router, "/agencies", agencies.list_agencies, view=AgencyView, many=True)
command(router, "/agencies", c.CreateAgency, view=AgencyView, status_code=201)
query(router, "/agencies/{agency_id}", agencies.agency_view, view=AgencyView)
command(router, "/agencies/{agency_id}/facilities", c.AddFacility, view=AgencyView, status_code=201)
query(router, "/agencies/{agency_id}/due", due.what_is_due, view=DueItem, many=True)
command(router, "/agencies/{agency_id}/export", c.ExportAgencyRecords, view=RecordsExport)
