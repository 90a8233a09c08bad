"""Agencies and their facilities; the records export (D1)."""

from __future__ import annotations

from wso.agencies import export as records_export
from wso.agencies import service as agencies
from wso.rules.records import Destination
from wso.services.commands import Command
from wso.services.commands.words import Words
from wso.services.fields import ExpectedVersion, Text
from wso.services.permissions import Actor, Permission


class CreateAgency(Command):
    service = agencies.create_agency
    words = {"name": Words("the agency's name")}
    permission = Permission.MANAGE_AGENCIES

    @classmethod
    def allowed(cls, actor: Actor) -> bool:
        """Agencies are created system-wide: only by an actor who sees every agency (issue 14, item 8)."""
        return actor.can(Permission.MANAGE_AGENCIES) and actor.all_agencies

    name: Text
    state: Text
    timezone: Text
    facility_name: Text | None = None


class AddFacility(Command):
    service = agencies.add_facility
    permission = Permission.MANAGE_FACILITIES
    ids = ("agency_id",)
    words = {"name": Words("the facility's name")}

    name: Text
    state: Text
    timezone: Text
    expected_version: ExpectedVersion = None


class ExportAgencyRecords(Command):
    service = records_export.export_agency_records
    permission = Permission.MANAGE_AGREEMENTS
    ids = ("agency_id",)

    destination: Destination
    recipient: Text = ""
    ice_coordination_ref: Text | None = None


ALL: tuple[type[Command], ...] = (CreateAgency, AddFacility, ExportAgencyRecords)
