"""Fact builders with lawful defaults, so each test states only what its case changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from tests.unit.dates import NEW_YORK, utc
from wso.rules.facts import Agreement, ExamAttempt, Facility, Hold, Officer

SIGNED = utc(2025, 4, 16, 15)


def agreement(**changes: Any) -> Agreement:
    base = Agreement(
        model="WSO",
        template="MOA-2025",
        state="AL",
        timezone=NEW_YORK,
        lea_signed_at=SIGNED,
        ice_signed_at=SIGNED + timedelta(days=2),
    )
    return replace(base, **changes)


def authorized_officer(**changes: Any) -> Officer:
    start = utc(2025, 6, 2, 14)
    base = Officer(
        name="Officer T. Example",
        citizen_attested=True,
        experience_attested=True,
        facility_training_attested=True,
        inmate_conduct_attested=True,
        background_check="cleared",
        exam_attempts=(ExamAttempt(start, 85),),
        letter_signed_at=start + timedelta(days=3),
        form_70_006_at=start + timedelta(days=3),
        credentials_issued_at=start + timedelta(days=4),
    )
    return replace(base, **changes)


def facility(**changes: Any) -> Facility:
    return replace(Facility(name="Demo County Jail", state="AL", timezone=NEW_YORK), **changes)


def hold(*, release: datetime, **changes: Any) -> Hold:
    base = Hold(facility=facility(), agreement=agreement(), scheduled_release_at=release)
    return replace(base, **changes)
