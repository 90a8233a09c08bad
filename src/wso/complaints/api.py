"""Complaints and their clocks: ICE notification (C1, C2), results and resolution (C3)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.complaints import commands as c
from wso.complaints import queries as q
from wso.complaints.views import ComplaintView
from wso.http.api_routes import command, query

router = APIRouter(tags=["complaints"])
C = "/complaints/{complaint_id}"

query(router, "/agencies/{agency_id}/complaints", q.ListComplaints, view=ComplaintView, many=True)
command(router, "/complaints", c.ReceiveComplaint, view=ComplaintView, status_code=201)
query(router, C, q.ShowComplaint, view=ComplaintView)
command(router, C + "/ice-notification", c.NotifyIceOfComplaint, view=ComplaintView)
command(router, C + "/investigation-result", c.RecordInvestigationResult, view=ComplaintView)
command(router, C + "/resolution", c.ResolveComplaint, view=ComplaintView)
