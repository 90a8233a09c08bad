"""Agreements (MOA): creation, signatures (A2), notices (A3, A4), suspensions lifted, meetings (A6)."""

from __future__ import annotations

from typing import Literal

from wso.agreements import service as agreements
from wso.rules.facts import Model, Party, Template
from wso.services.commands import Command
from wso.services.fields import ExpectedVersion, Instant, Text
from wso.services.permissions import Permission

NoticeKind = Literal[agreements.NOTICE_KINDS]  # type: ignore[valid-type]


class CreateAgreement(Command):
    service = agreements.create_agreement
    permission = Permission.MANAGE_AGREEMENTS

    agency_id: Text
    model: Model
    template: Template


class RecordSignature(Command):
    service = agreements.record_signature
    permission = Permission.MANAGE_AGREEMENTS
    ids = ("agreement_id",)

    party: Party
    signed_at: Instant
    expected_version: ExpectedVersion = None


class RecordNotice(Command):
    service = agreements.record_notice
    permission = Permission.MANAGE_AGREEMENTS
    ids = ("agreement_id",)

    kind: NoticeKind
    by: Party
    received_at: Instant
    exigent_effective_at: Instant | None = None
    exigent_reason: Text | None = None
    expected_version: ExpectedVersion = None


class LiftSuspension(Command):
    service = agreements.lift_suspension
    permission = Permission.MANAGE_AGREEMENTS
    ids = ("agreement_id", "notice_id")

    lifted_at: Instant
    expected_version: ExpectedVersion = None


class RecordMeeting(Command):
    service = agreements.record_meeting
    permission = Permission.MANAGE_AGREEMENTS
    ids = ("agreement_id",)

    held_at: Instant
    note: Text = ""
    expected_version: ExpectedVersion = None


class RecordProgramDates(Command):
    service = agreements.record_program_dates
    permission = Permission.MANAGE_AGREEMENTS
    ids = ("agreement_id",)

    first_class_certified_at: Instant | None = None
    operational_at: Instant | None = None
    expected_version: ExpectedVersion = None


ALL: tuple[type[Command], ...] = (
    CreateAgreement,
    RecordSignature,
    RecordNotice,
    LiftSuspension,
    RecordMeeting,
    RecordProgramDates,
)
