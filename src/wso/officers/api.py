"""Officers from nomination to authorization (O1-O8), withdrawal (O5) and suspension (C4)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.http.api_routes import command, query
from wso.officers import commands as c
from wso.officers import queries as q
from wso.officers.operations import OFFICER_COMMANDS, OFFICER_PATH
from wso.officers.views import OfficerRowView, OfficerView

router = APIRouter(tags=["officers"])

query(router, "/agencies/{agency_id}/officers", q.OfficerRoster, view=OfficerRowView, many=True)
command(router, "/agreements/{agreement_id}/officers", c.NominateOfficer, view=OfficerView, status_code=201)
query(router, OFFICER_PATH, q.ShowOfficer, view=OfficerView)
for suffix, body in OFFICER_COMMANDS:
    command(router, OFFICER_PATH + suffix, body, view=OfficerView)
