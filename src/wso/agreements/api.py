"""Agreements (MOA): signatures (A2), notices (A3, A4), meetings (A6), template (A7), state law (A8)."""

from __future__ import annotations

from fastapi import APIRouter

from wso.agreements import commands as c
from wso.agreements import queries as q
from wso.agreements.views import AgreementView
from wso.http.api_routes import command, query

router = APIRouter(tags=["agreements"])

query(router, "/agencies/{agency_id}/agreements", q.ListAgreements, view=AgreementView, many=True)
command(router, "/agreements", c.CreateAgreement, view=AgreementView, status_code=201)
query(router, "/agreements/{agreement_id}", q.ShowAgreement, view=AgreementView)
command(router, "/agreements/{agreement_id}/signatures", c.RecordSignature, view=AgreementView)
command(router, "/agreements/{agreement_id}/notices", c.RecordNotice, view=AgreementView)
command(router, "/agreements/{agreement_id}/notices/{notice_id}/lift", c.LiftSuspension, view=AgreementView)
command(router, "/agreements/{agreement_id}/meetings", c.RecordMeeting, view=AgreementView)
command(router, "/agreements/{agreement_id}/program-dates", c.RecordProgramDates, view=AgreementView)
