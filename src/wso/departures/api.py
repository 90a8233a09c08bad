"""Departures' reasons (issue 10 item 7): one POST records why a `should` rule of an agreement,
officer or complaint was not met; the answer lists the record's departures with their reasons."""

from __future__ import annotations

from fastapi import APIRouter

from wso.departures import commands as c
from wso.departures import queries as q
from wso.departures.service import DeparturesView
from wso.http.api_routes import command, query

router = APIRouter(tags=["departures"])

command(router, "/departures", c.RecordDepartureReason, view=DeparturesView, status_code=201)
query(router, "/departures", q.ShowDepartures, view=DeparturesView)
