"""The demo county's holds: a realistic day at every stage, deadlines spread over the next 48 hours.

Every person is invented (PROGRAM.md D3). Each step goes through the hold services at the instant it
happened (relative to `at`, the loading instant), inside the demo's one unit of work; at the end every
hold is re-decided at `at`, so the board shows the clocks as they stand now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from wso.holds import commands as c
from wso.holds import service as s
from wso.holds.decide import refresh_hold
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

IGSA_NUMBER = "DEMO-IGSA-18-0042"
STANDARD_MINUTES = 45


def populate_holds(
    uow: UnitOfWork, *, actor: Actor, at: datetime, agency_id: str, facility_id: str, officer_id: str
) -> int:
    """Record the demo's holds; returns how many."""

    def h(hours: float) -> datetime:
        return at + timedelta(hours=hours)

    s.set_release_standard(
        uow,
        actor=actor,
        now=h(-24 * 200),
        command=c.SetReleaseStandard(
            agency_id=agency_id,
            minutes=STANDARD_MINUTES,
            effective_at=h(-24 * 200),
            source="Demo County Jail Policy 7.12, Inmate Release Processing (rev. 2025-01)",
        ),
    )
    s.record_detention_agreement(
        uow,
        actor=actor,
        now=h(-24 * 200),
        command=c.RecordDetentionAgreement(
            facility_id=facility_id,
            kind="IGSA",
            number=IGSA_NUMBER,
            parties=["ICE ERO Miami Field Office", "Demo County Sheriff's Office"],
            effective_at=h(-24 * 2900),
            bed_rate_usd_per_day=92.0,
            reference="IGSA on file, Demo County Jail",
        ),
    )

    ids: list[str] = []

    def book(number: str, name: str, release: float, *, booked: float | None = None) -> str:
        when = h(booked if booked is not None else release - 24 * 20)
        hold = s.book_person(
            uow,
            actor=actor,
            now=when,
            command=c.BookPerson(
                facility_id=facility_id,
                booking_number=number,
                person_name=name,
                booking_date=when.date(),
                scheduled_release_at=h(release),
            ),
        )
        ids.append(hold.id)
        return hold.id

    def do(operation: Callable[..., Any], hold_id: str, command: Any, hours: float) -> None:
        operation(uow, actor=actor, hold_id=hold_id, command=command.model_copy(update={"at": h(hours)}), now=h(hours))

    def warrant(hold_id: str, hours: float, *, detainer: bool = False) -> None:
        form = c.ReceiveWarrant(
            form="I-247A" if detainer else "I-200",
            number=f"W-{len(ids):03d}",
            issuing_officer="SDDO M. Example (ERO Miami)",
            issued_on=h(hours).date(),
            accompanied_by=("I-200",) if detainer else (),
        )
        do(s.receive_warrant, hold_id, form, hours)

    def serve(hold_id: str, hours: float, *, interpreter: str | None = None) -> None:
        do(s.clear_for_release, hold_id, c.ClearForRelease(), hours)
        number = f"W-{ids.index(hold_id) + 1:03d}"
        do(
            s.serve_warrant,
            hold_id,
            c.ServeWarrant(
                officer_id=officer_id,
                warrant_number=number,
                interpreter_used=interpreter is not None,
                interpreter_name=interpreter,
            ),
            hours,
        )

    def notify(hold_id: str, hours: float) -> None:
        do(s.notify_ice, hold_id, c.NotifyIce(how="phone", to="ERO Miami duty officer"), hours)

    # In criminal custody: release this afternoon with an I-200 (a WSO serves then), tomorrow with a
    # detainer and an I-200 (three clocks, H8), and the day after with no warrant yet.
    warrant(book("DC-26-04411", "Avery Quillfeather", 6), -30)
    warrant(book("DC-26-04412", "Morgan Ellery-Vance", 30), -48, detainer=True)
    book("DC-26-04413", "Rowan Tisbury", 52)
    # A claim of U.S. citizenship before any service (H7): reported, awaiting ICE's answer.
    claimed = book("DC-26-04414", "Jesse Marlowe-Kent", 20)
    warrant(claimed, -20)
    do(s.claim_citizenship, claimed, c.ClaimCitizenship(), -2)
    do(s.report_citizenship_claim, claimed, c.ReportCitizenshipClaim(to="ERO Miami duty officer", how="phone"), -1.5)
    # Cleared for release ten minutes ago: within the written 45-minute release-processing standard (H3).
    processing = book("DC-26-04415", "Dakota Brennich", -0.5)
    warrant(processing, -24)
    do(s.clear_for_release, processing, c.ClearForRelease(), -1 / 6)
    # Held for ICE at every point of the 48 hours (H5), one served through an interpreter (H6).
    for number, name, served, notified in (
        ("DC-26-04416", "Emerson Halloway", -2, True),
        ("DC-26-04417", "Finley Osterhout", -0.3, False),  # ICE not yet notified (H4)
        ("DC-26-04418", "Harper Quenby", -40, True),
        ("DC-26-04419", "Kendall Arrowsmith", -47.5, True),  # thirty minutes left
    ):
        hold_id = book(number, name, served)
        warrant(hold_id, served - 24)
        serve(hold_id, served, interpreter="L. Interpreter (certified, list no. 7)" if number.endswith("16") else None)
        if notified:
            notify(hold_id, served + 0.1)
    # A claim of U.S. citizenship while held, not yet reported: the one-hour deadline runs (H7).
    claim_held = book("DC-26-04420", "Parker Loxley", -6)
    warrant(claim_held, -30)
    serve(claim_held, -6)
    notify(claim_held, -5.9)
    do(s.claim_citizenship, claim_held, c.ClaimCitizenship(), -0.5)
    # Past the 48 hours and not transferred: the board demands release now (H5).
    overdue = book("DC-26-04421", "Quinn Ravensworth", -49)
    warrant(overdue, -72)
    serve(overdue, -49)
    notify(overdue, -48.9)
    # Ended: transferred to ICE, booked under the facility's IGSA at 30 hours, released on a substantiated claim.
    moved = book("DC-26-04422", "Reese Whitcombe", -26)
    warrant(moved, -50)
    serve(moved, -26)
    notify(moved, -25.9)
    do(s.transfer_to_ice, moved, c.TransferToIce(received_by="ICE ERO officer (transport team)"), -3)
    igsa = book("DC-26-04423", "Sawyer Penhallow", -31)
    warrant(igsa, -60)
    serve(igsa, -31)
    notify(igsa, -30.9)
    do(s.book_under_igsa, igsa, c.BookUnderIgsa(agreement_number=IGSA_NUMBER), -1)
    freed = book("DC-26-04424", "Tatum Okonkwo-Reyes", -10)
    warrant(freed, -40)
    serve(freed, -10)
    notify(freed, -9.9)
    do(s.claim_citizenship, freed, c.ClaimCitizenship(), -9)
    do(s.report_citizenship_claim, freed, c.ReportCitizenshipClaim(to="ERO Miami duty officer", how="email"), -8.8)
    do(s.record_ice_answer, freed, c.RecordIceAnswer(reference="ERO-MIA-DEMO-0007"), -4)
    do(s.release_person, freed, c.Release(reason="claim_substantiated"), -3.5)
    for hold_id in ids:
        refresh_hold(uow, hold_id=hold_id, now=at)
    return len(ids)
