"""Agencies and their facilities; the records export (D1)."""

from __future__ import annotations

from wso.agencies import export as records_export
from wso.agencies import service as agencies
from wso.rules.records import Destination
from wso.services.commands import Command
from wso.services.commands.words import Words
from wso.services.fields import ExpectedVersion, Text


class CreateAgency(Command):
    service = agencies.create_agency
    words = {"name": Words("the agency's name")}

    name: Text
    state: Text
    timezone: Text
    facility_name: Text | None = None


class AddFacility(Command):
    service = agencies.add_facility
    ids = ("agency_id",)
    words = {"name": Words("the facility's name")}

    name: Text
    state: Text
    timezone: Text
    expected_version: ExpectedVersion = None


class ExportAgencyRecords(Command):
    service = records_export.export_agency_records
    ids = ("agency_id",)

    destination: Destination
    recipient: Text = ""
    ice_coordination_ref: Text | None = None


ALL: tuple[type[Command], ...] = (CreateAgency, AddFacility, ExportAgencyRecords)
