"""The complaints' reads: an agency's complaints (all, or the open ones) and one complaint, as of an instant."""

from __future__ import annotations

from pydantic import Field

from wso.complaints import service as complaints
from wso.services.commands.queries import AsOf, Query


class ListComplaints(AsOf):
    service = complaints.list_complaints
    ids = ("agency_id",)

    open_only: bool = Field(False, description="only the complaints not yet resolved")


class ShowComplaint(AsOf):
    service = complaints.complaint_view
    ids = ("complaint_id",)


ALL: tuple[type[Query], ...] = (ListComplaints, ShowComplaint)
