"""Complaints and their clocks: received, ICE notified (C1, C2), investigation result and resolution (C3)."""

from __future__ import annotations

from typing import Literal

from wso.complaints import service as complaints
from wso.services.commands import Command
from wso.services.fields import ExpectedVersion, Instant, Text
from wso.services.permissions import Permission

Source = Literal[complaints.SOURCES]  # type: ignore[valid-type]


class ReceiveComplaint(Command):
    service = complaints.receive_complaint
    permission = Permission.RECEIVE_COMPLAINTS

    received_at: Instant
    source: Source
    summary: Text
    officer_id: Text | None = None
    agreement_id: Text | None = None
    about_designated_officer: bool | None = None
    subject_name: Text = ""
    facility_id: Text | None = None


class NotifyIceOfComplaint(Command):
    service = complaints.notify_ice_of_complaint
    permission = Permission.HANDLE_COMPLAINTS
    ids = ("complaint_id",)

    notified_at: Instant
    notified_to: Text
    expected_version: ExpectedVersion = None


class RecordInvestigationResult(Command):
    service = complaints.record_investigation_result
    permission = Permission.HANDLE_COMPLAINTS
    ids = ("complaint_id",)

    result: Text
    reported_at: Instant
    expected_version: ExpectedVersion = None


class ResolveComplaint(Command):
    service = complaints.resolve_complaint
    permission = Permission.HANDLE_COMPLAINTS
    ids = ("complaint_id",)

    resolution: Text
    resolved_at: Instant
    expected_version: ExpectedVersion = None


ALL: tuple[type[Command], ...] = (ReceiveComplaint, NotifyIceOfComplaint, RecordInvestigationResult, ResolveComplaint)
