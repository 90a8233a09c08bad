"""Complaints and their clocks: ICE notification (C1, C2), results and resolution (C3)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.api.v1.routes import command, query
from wso.services import complaints as s
from wso.services.views import ComplaintView

router = APIRouter(tags=["complaints"])
C = "/complaints/{complaint_id}"

query(router, "/agencies/{agency_id}/complaints", s.list_complaints, view=ComplaintView, many=True)
command(router, "/complaints", s.receive_complaint, view=ComplaintView, status_code=201)
query(router, C, s.complaint_view, view=ComplaintView)
command(router, C + "/ice-notification", s.notify_ice_of_complaint, view=ComplaintView)
command(router, C + "/investigation-result", s.record_investigation_result, view=ComplaintView)
command(router, C + "/resolution", s.resolve_complaint, view=ComplaintView)
