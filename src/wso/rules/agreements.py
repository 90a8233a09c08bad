"""Agreements (PROGRAM.md section 2): when one is in force, when notices bite, when meetings fall due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from wso.params import ParamSet, default_params
from wso.rules.citing import cite, show
from wso.rules.clock import add_calendar_days, add_calendar_months, require_aware
from wso.rules.decision import Action, Deadline, Decision, InvalidFacts, Reason, without_violation
from wso.rules.facts import Agreement, Notice


def effective_at(agreement: Agreement) -> datetime | None:
    """A2: "This MOA becomes effective upon signature of both parties" - the later signature."""
    if agreement.lea_signed_at is None or agreement.ice_signed_at is None:
        return None
    return max(agreement.lea_signed_at, agreement.ice_signed_at)


def notice_effective_at(notice: Notice, *, template: str, tz: str, params: ParamSet | None = None) -> datetime:
    """A3: a notice "shall take effect 90-days after receipt ..., unless exigent circumstances
    involving public safety dictate otherwise" - then the recorded date, with its recorded reason."""
    require_aware(notice.received_at, name="notice.received_at")
    if notice.exigent_effective_at is not None:
        require_aware(notice.exigent_effective_at, name="notice.exigent_effective_at")
        if not (notice.exigent_reason or "").strip():
            raise InvalidFacts(
                "exigent_reason", "an exigent effective date needs the public-safety reason recorded (A3)"
            )
        return notice.exigent_effective_at
    days = (params or default_params()).for_template("agreement.notice_days", template)
    return add_calendar_days(notice.received_at, days.value, tz=tz)


def agreement_in_force(agreement: Agreement, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """Whether the agreement binds at `at` (A2), given its notices (A3); termination revokes all (A4)."""
    require_aware(at, name="at")
    params = params or default_params()
    start = effective_at(agreement)
    question = "agreement_in_force"
    if start is None:
        missing = [p for p, s in (("LEA", agreement.lea_signed_at), ("ICE", agreement.ice_signed_at)) if s is None]
        reason = cite(
            "A2",
            f"Not signed by {' and '.join(missing)}: it takes effect only when both parties have signed.",
            satisfied=False,
        )
        return Decision(question, False, (reason,), status="not_signed")
    tz = agreement.timezone
    if at < start:
        reason = cite(
            "A2", f"Takes effect at the later signature, {show(start, tz)}; not yet in force.", satisfied=False
        )
        return Decision(question, False, (reason,), status="not_yet_effective", values={"effective_at": start})

    reasons: list[Reason] = [
        cite("A2", f"In effect since both parties signed ({show(start, tz)}); it has no expiry date.")
    ]
    deadlines: list[Deadline] = []
    actions: list[Action] = []
    for notice in sorted(agreement.notices, key=lambda n: n.received_at):
        if notice.received_at > at:
            continue
        takes_effect = notice_effective_at(notice, template=agreement.template, tz=tz, params=params)
        basis = _notice_basis(notice, params=params, template=agreement.template)
        lifted = notice.lifted_at is not None and notice.lifted_at <= at
        if takes_effect <= at and notice.kind == "termination":
            reasons.append(
                cite(
                    "A3",
                    f"Terminated by {notice.by} notice received {show(notice.received_at, tz)}, "
                    f"effective {show(takes_effect, tz)} ({basis}).",
                    *_notice_params(notice, params, agreement.template),
                    satisfied=False,
                )
            )
            reasons.append(
                cite("A4", "Termination revokes every officer authorization under this agreement.", satisfied=False)
            )
            return Decision(
                question,
                False,
                tuple(reasons),
                status="terminated",
                values={"effective_at": start, "ended_at": takes_effect},
            )
        if takes_effect <= at and notice.kind == "suspension" and not lifted:
            reasons.append(
                cite(
                    "A3",
                    f"Suspended by {notice.by} notice received {show(notice.received_at, tz)}, "
                    f"effective {show(takes_effect, tz)} ({basis}).",
                    *_notice_params(notice, params, agreement.template),
                    satisfied=False,
                )
            )
            return Decision(
                question,
                False,
                tuple(reasons),
                status="suspended",
                values={"effective_at": start, "suspended_at": takes_effect},
            )
        if takes_effect > at:
            reasons.append(
                cite(
                    "A3",
                    f"A {notice.kind} notice by {notice.by} was received {show(notice.received_at, tz)}; "
                    f"it takes effect {show(takes_effect, tz)} ({basis}).",
                    *_notice_params(notice, params, agreement.template),
                )
            )
            deadlines.append(
                Deadline(
                    f"{notice.kind}_takes_effect",
                    takes_effect,
                    "A3",
                    binding=False,
                    description=f"{notice.kind.capitalize()} takes effect",
                )
            )
            if notice.kind == "termination":
                actions.append(
                    Action(
                        "prepare_credential_return",
                        "A4",
                        due=takes_effect,
                        description="At termination every authorization ends and credentials go back to ICE",
                    )
                )
    return Decision(
        question,
        True,
        tuple(reasons),
        status="in_force",
        deadlines=tuple(deadlines),
        actions=tuple(actions),
        values={"effective_at": start},
    )


def _notice_basis(notice: Notice, *, params: ParamSet, template: str) -> str:
    if notice.exigent_effective_at is not None:
        return f"exigent public-safety circumstances: {notice.exigent_reason}"
    days = params.for_template("agreement.notice_days", template)
    return f"{days.value} days after receipt"


def _notice_params(notice: Notice, params: ParamSet, template: str) -> tuple:
    return () if notice.exigent_effective_at is not None else (params.for_template("agreement.notice_days", template),)


def meetings_due(agreement: Agreement, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """A6: the FOD and the LEA "shall make every effort to meet at least annually"; the first review
    "should be held" in a window that differs by template (A7): 9-12 months after the first class is
    certified (2019), within about 12 months of the operational date (2025). Both are `should`: a
    missed meeting is a departure (status "overdue", counted apart), never a refusal."""
    require_aware(at, name="at")
    params = params or default_params()
    tz = agreement.timezone
    start = effective_at(agreement)
    question = "meetings_due"
    if start is None or at < start:
        return Decision(
            question, True, (cite("A6", "No meeting is due before the agreement takes effect."),), status="not_in_force"
        )
    first = params.for_template("agreement.first_review", agreement.template)
    interval = params.for_template("agreement.meeting_interval_months", agreement.template)
    reasons: list[Reason] = []
    deadlines: list[Deadline] = []
    held = sorted(m for m in agreement.meetings_held if m <= at)
    anchor = (
        agreement.first_class_certified_at
        if first.value["anchor"] == "first_class_certified"
        else agreement.operational_at
    )
    anchor_label = (
        "the first class's certification"
        if first.value["anchor"] == "first_class_certified"
        else "the operational date"
    )
    overdue = False
    if anchor is None:
        reasons.append(cite("A6", f"The first review is counted from {anchor_label}, not yet recorded.", first))
    else:
        opens = add_calendar_months(anchor, first.value["from_months"], tz=tz)
        closes = add_calendar_months(anchor, first.value["to_months"], tz=tz)
        review = next((m for m in held if m >= anchor), None)
        if review is not None:
            reasons.append(cite("A6", f"First review held {show(review, tz)}.", first))
        else:
            overdue = at > closes
            reasons.append(
                cite(
                    "A6",
                    f"First review due between {show(opens, tz)} and {show(closes, tz)} ({first.wording}).",
                    first,
                    satisfied=not overdue,
                )
            )
            deadlines.append(
                Deadline(
                    "first_review", closes, "A6", description=f"First review meeting (window opens {show(opens, tz)})"
                )
            )
    last = held[-1] if held else start
    annual_due = add_calendar_months(last, interval.value, tz=tz)
    annual_late = at > annual_due
    overdue = overdue or annual_late
    since = f"the last meeting ({show(last, tz)})" if held else f"the effective date ({show(start, tz)})"
    reasons.append(
        cite(
            "A6",
            f"Annual compliance meeting due by {show(annual_due, tz)}, {interval.value} months after {since}.",
            interval,
            satisfied=not annual_late,
        )
    )
    deadlines.append(Deadline("annual_meeting", annual_due, "A6", description="Annual FOD-LEA compliance meeting"))
    actions = tuple(Action(f"hold_{d.name}", "A6", due=d.due, description=d.description) for d in deadlines)
    return Decision(
        question,
        without_violation(reasons),
        tuple(reasons),
        status="overdue" if overdue else "scheduled",
        deadlines=tuple(deadlines),
        actions=actions,
    )


def appendix_change_allowed(
    agreement: Agreement,
    *,
    part: Literal["MOA", "Appendix A", "Appendix B"],
    by: Literal["ICE", "both"],
    params: ParamSet | None = None,
) -> Decision:
    """A5: "Modifications to this MOA must be proposed in writing and approved and signed by both
    parties"; Appendix A "can be modified only in writing and by mutual acceptance". Appendix B:
    MOA-2019 alone says it "may be supplemented or modified by ICE unilaterally"; MOA-2025 has no
    such clause, so there ICE alone cannot change it."""
    question = "appendix_change_allowed"
    if by == "both":
        reason = cite("A5", f"A change of the {part} written and signed by both parties.", template=agreement.template)
        return Decision(question, True, (reason,), status="by_both")
    if part != "Appendix B":
        reason = cite(
            "A5",
            f"ICE alone cannot change the {part}: it needs both parties in writing.",
            template=agreement.template,
            satisfied=False,
        )
        return Decision(question, False, (reason,), status="needs_both")
    unilateral = (params or default_params()).for_template("agreement.appendix_b_unilateral_change", agreement.template)
    if unilateral.value:
        reason = cite(
            "A5",
            "ICE may supplement or modify Appendix B alone under this template; it gives the LEA written copies.",
            unilateral,
        )
        return Decision(question, True, (reason,), status="unilateral")
    reason = cite(
        "A5",
        "This template has no unilateral-change clause: a change of Appendix B needs both parties.",
        unilateral,
        satisfied=False,
    )
    return Decision(question, False, (reason,), status="needs_both")


# ---- preconditions of the agreement commands: each a Decision the service raises as Refused ----------


def may_create_agreement(
    model: str, existing: Sequence[Agreement], *, at: datetime, params: ParamSet | None = None
) -> Decision:
    """A1: "an agency may hold several [agreements] at once, one per model". A new agreement of
    `model` is refused while one of the agency's `existing` agreements of that model is not
    terminated at `at` (signed or not: an unsigned one is still the agency's agreement of that model)."""
    require_aware(at, name="at")
    live = [
        a for a in existing if a.model == model and agreement_in_force(a, at=at, params=params).status != "terminated"
    ]
    question = "may_create_agreement"
    if live:
        reason = cite(
            "A1",
            f"The agency already holds a {model} agreement that is not terminated: one per model.",
            satisfied=False,
        )
        return Decision(question, False, (reason,), status="one_per_model")
    reason = cite("A1", f"No other {model} agreement of the agency is in force or pending: one per model.")
    return Decision(question, True, (reason,), status="allowed")


def may_record_notice(agreement: Agreement, notice: Notice, *, params: ParamSet | None = None) -> Decision:
    """A3: either party may terminate or suspend the agreement by written notice, effective 90 days
    after receipt "unless exigent circumstances involving public safety dictate otherwise". So a
    notice is refused when it gives an exigent date without the public-safety reason (status
    "exigent_reason_missing"), when the agreement is not in force on receipt (a termination may also
    end a suspended one; status "not_in_force"), or when a termination is recorded already (status
    "terminated_already": a termination is final). Allowed, `values["effective_at"]` is the date the
    notice takes effect."""
    require_aware(notice.received_at, name="notice.received_at")
    params = params or default_params()
    question = "may_record_notice"
    if notice.exigent_effective_at is not None and not (notice.exigent_reason or "").strip():
        reason = cite(
            "A3",
            "An exigent effective date needs the public-safety circumstances recorded with it.",
            satisfied=False,
        )
        return Decision(question, False, (reason,), status="exigent_reason_missing")
    status = agreement_in_force(agreement, at=notice.received_at, params=params)
    acceptable = ("in_force", "suspended") if notice.kind == "termination" else ("in_force",)
    if status.status not in acceptable:
        reason = cite(
            "A3",
            f"A {notice.kind} notice needs an agreement in force; on receipt this one is "
            f"{status.status.replace('_', ' ')}.",
            satisfied=False,
        )
        return Decision(
            question,
            False,
            (reason, *status.violations),
            status="not_in_force",
            values={"agreement_status": status.status},
        )
    if notice.kind == "termination" and any(n.kind == "termination" for n in agreement.notices):
        reason = cite("A3", "A termination notice is recorded already: a termination is final.", satisfied=False)
        return Decision(question, False, (reason,), status="terminated_already")
    takes_effect = notice_effective_at(notice, template=agreement.template, tz=agreement.timezone, params=params)
    basis = _notice_basis(notice, params=params, template=agreement.template)
    reason = cite(
        "A3",
        f"A {notice.kind} notice by {notice.by}, received {show(notice.received_at, agreement.timezone)}, "
        f"takes effect {show(takes_effect, agreement.timezone)} ({basis}).",
        *_notice_params(notice, params, agreement.template),
    )
    reasons = [reason]
    if notice.kind == "termination":
        reasons.append(cite("A4", "From that date every officer authorization under the agreement is revoked."))
    return Decision(question, True, tuple(reasons), status="allowed", values={"effective_at": takes_effect})


def may_lift_notice(notice: Notice) -> Decision:
    """A3: a suspension lasts until lifted in writing; a termination is final and cannot be lifted."""
    question = "may_lift_notice"
    if notice.kind != "suspension":
        reason = cite("A3", "Only a suspension can be lifted; a termination is final.", satisfied=False)
        return Decision(question, False, (reason,), status="termination_is_final")
    return Decision(question, True, (cite("A3", "A suspension ends when lifted in writing."),), status="allowed")
