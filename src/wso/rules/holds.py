"""Custody holds (PROGRAM.md section 4): whether a warrant suffices, whether a service is valid,
and what the 48-hour clocks demand at any instant.

One invariant holds for every decision here: `allowed` is true exactly when no reason of modality
`must` is unsatisfied. A `should` reason left unsatisfied is a departure, shown and counted, never a
refusal (PROGRAM.md, Modality).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wso.params import NotInForce, ParamSet, ParamValue, default_params
from wso.params.state_laws import default_state_laws
from wso.rules.citing import cite, show
from wso.rules.clock import (
    add_elapsed_hours,
    add_hours_excluding,
    local_date,
    require_aware,
    weekends_and_holidays,
)
from wso.rules.decision import Action, Deadline, Decision, Reason
from wso.rules.eligibility import state_law_eligibility
from wso.rules.facts import (
    Agreement,
    CitizenshipClaim,
    DetentionAgreement,
    Facility,
    Hold,
    Officer,
    ReleaseStandard,
    Service,
    Warrant,
)
from wso.rules.officers import officer_authorized

FUNCTION_FOR_FORM = {"I-200": "serve_i200", "I-205": "serve_i205"}


def allowed_by(reasons: Iterable[Reason]) -> bool:
    """Item 4 of issue 10: a decision is allowed only if no `must` reason is unsatisfied."""
    return all(r.satisfied or r.modality == "should" for r in reasons)


def _detainer_policy(warrant: Warrant, at: datetime, params: ParamSet) -> tuple[ParamValue, ...]:
    """For a detainer (I-247A): the date since which ICE's policy has every detainer accompanied by a
    signed I-200 or I-205 (`detainers.warrant_required_since`), cited beside H2; none before it."""
    if warrant.form != "I-247A":
        return ()
    try:
        return (params.at("detainers.warrant_required_since", at),)
    except NotInForce:
        return ()


def warrant_suffices(warrant: Warrant, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """H2: authority is "an administrative warrant naming the person: I-200 ... or I-205", signed by
    an authorized immigration officer; "a detainer (I-247A) alone is NOT authority"."""
    require_aware(at, name="at")
    params = params or default_params()
    forms = params.at("hold.warrant_forms", at)
    # ICE's own policy since 2017 (POL-10074.2 §2.4): every detainer comes with a signed I-200 or I-205.
    policy = _detainer_policy(warrant, at, params)
    reasons: list[Reason] = []
    accompanying = next((f for f in warrant.accompanied_by if f in forms.value), None)
    authority = warrant.form if warrant.form in forms.value else accompanying
    needed = " or ".join(forms.value)
    if authority is None:
        text = f"A {warrant.form} alone is not authority for a WSO transfer: an {needed} is needed."
        reasons.append(cite("H2", text, forms, *policy, satisfied=False))
    elif authority != warrant.form:
        reasons.append(
            cite("H2", f"The {warrant.form} comes with an {authority}, the authority for the transfer.", forms, *policy)
        )
    else:
        reasons.append(
            cite("H2", f"An {authority} is an administrative warrant that can authorize a WSO transfer.", forms)
        )
    named = warrant.names_person
    reasons.append(cite("H2", "Names the person." if named else "Does not name the person.", satisfied=named))
    signed = warrant.signed_by_authorized_officer
    text = (
        "Signed by an authorized immigration officer." if signed else "Not signed by an authorized immigration officer."
    )
    reasons.append(cite("H2", text, satisfied=signed))
    allowed = allowed_by(reasons)
    detainer_only = authority is None and warrant.form == "I-247A"
    status = "sufficient" if allowed else ("detainer_only" if detainer_only else "insufficient")
    return Decision("warrant_suffices", allowed, tuple(reasons), status=status, values={"authority": authority})


def interpreter_annotation(service: Service) -> Decision:
    """H6: if an interpreter is used during service, "the interpreter must be identified, by name, ...
    by annotating on the Warrant": a service with an interpreter and no name cannot be completed."""
    if not service.interpreter_used:
        return Decision(
            "interpreter_annotation", True, (cite("H6", "No interpreter used during service."),), status="not_used"
        )
    name = (service.interpreter_name or "").strip()
    if not name:
        text = "An interpreter was used: their name must be annotated on the warrant before the service is complete."
        reason = cite("H6", text, satisfied=False)
        action = Action("annotate_interpreter_name", "H6")
        return Decision("interpreter_annotation", False, (reason,), status="name_missing", actions=(action,))
    reason = cite("H6", f"Interpreter {name} annotated on the warrant.")
    return Decision("interpreter_annotation", True, (reason,), status="annotated")


# ---------------------------------------------------------------- H3: release is a process


@dataclass(frozen=True)
class ReleaseWindow:
    """When release processing starts (cleared for release, else the scheduled release) and how long
    the agency's written standard lets it take before the gap between release and service is a finding."""

    starts_at: datetime
    cleared: bool
    standard: ReleaseStandard | None

    @property
    def allowance(self) -> timedelta:
        return timedelta(minutes=self.standard.minutes if self.standard else 0)

    @property
    def authority_until(self) -> datetime:
        """The last instant a person may be held past release, awaiting a service, without a finding."""
        return self.starts_at + self.allowance

    def describe(self, tz: str) -> str:
        start = (
            f"cleared for release {show(self.starts_at, tz)}"
            if self.cleared
            else (f"scheduled release {show(self.starts_at, tz)} (no clearance for release recorded)")
        )
        if self.standard is None:
            return f"{start}; no written release-processing standard recorded, so the allowance is 0 minutes"
        return (
            f"{start}; the agency's written standard allows {self.standard.minutes} minute(s) ({self.standard.source})"
        )


def release_window(
    *,
    scheduled_release_at: datetime,
    cleared_for_release_at: datetime | None,
    standard: ReleaseStandard | None,
    at: datetime | None = None,
) -> ReleaseWindow:
    """H3: release processing starts when the person was cleared for release (if recorded and known at
    `at`), else at the scheduled release; a recorded standard says how long it may take."""
    cleared = cleared_for_release_at is not None and (at is None or cleared_for_release_at <= at)
    start = cleared_for_release_at if cleared and cleared_for_release_at is not None else scheduled_release_at
    return ReleaseWindow(starts_at=start, cleared=cleared, standard=standard)


def _release_gap_reason(window: ReleaseWindow, served_at: datetime, tz: str) -> tuple[Reason, dict[str, int]]:
    """H3: count and show every minute between release and service; beyond the standard it is a finding."""
    gap = served_at - window.starts_at
    values = {"release_gap_minutes": _minutes(gap), "release_standard_minutes": _minutes(window.allowance)}
    gap_minutes = values["release_gap_minutes"]
    where = f"Served {show(served_at, tz)}, {gap_minutes} minute(s) after release began ({window.describe(tz)})"
    if served_at <= window.authority_until:
        return cite("H3", where + ": at the time of release."), values
    values["unauthorized_minutes"] = _minutes(served_at - window.authority_until)
    text = where + f": {values['unauthorized_minutes']} minute(s) beyond the standard, held with no WSO authority."
    return cite("H3", text, satisfied=False), values


def service_valid(
    service: Service,
    *,
    officer: Officer,
    agreement: Agreement,
    warrant: Warrant,
    facility: Facility,
    params: ParamSet | None = None,
) -> Decision:
    """A service transfers custody only if every condition holds at the moment of service: the right
    warrant (H2), the LEA's own jail "at the time of the alien's scheduled release from criminal
    custody" (H1: not before release; H3: release is a process, so the gap between clearance for
    release and service is counted and judged by the agency's written standard), an officer authorized
    for that warrant at that moment (H3, O4), the interpreter named (H6), and no state law forbidding it
    (H9)."""
    reasons, values, _gap = _judge_service(
        service, officer=officer, agreement=agreement, warrant=warrant, facility=facility, params=params
    )
    allowed = allowed_by(reasons)
    return Decision("service_valid", allowed, tuple(reasons), status="valid" if allowed else "invalid", values=values)


def may_record_service(
    service: Service,
    *,
    officer: Officer,
    agreement: Agreement,
    warrant: Warrant,
    facility: Facility,
    params: ParamSet | None = None,
) -> Decision:
    """Whether a service may be recorded at all. What the rules forbid outright is refused: an officer not
    authorized at that instant (O4), before release or outside the LEA's own jail (H1), a detainer alone
    or an unsigned warrant (H2), an interpreter without a name (H6), a state law forbidding it (H9). A
    service that came after release processing ran past the written standard (H3) happened all the
    same: it is recorded as it happened (never hide the gap), transfers no custody, and release is
    demanded. `values["valid"]` says whether it transfers custody."""
    reasons, values, gap = _judge_service(
        service, officer=officer, agreement=agreement, warrant=warrant, facility=facility, params=params
    )
    if gap is not None and not gap.satisfied:
        minutes = values.get("unauthorized_minutes", 0)
        text = (
            f"Served {minutes} minute(s) beyond the release-processing standard: recorded as it happened; it "
            "transfers no custody and release is demanded."
        )
        reasons = [r for r in reasons if r is not gap] + [cite("H3", text)]
    allowed = allowed_by(reasons)
    valid = allowed and (gap is None or gap.satisfied)
    status = ("valid" if valid else "recorded_invalid") if allowed else "refused"
    return Decision("may_record_service", allowed, tuple(reasons), status=status, values={**values, "valid": valid})


def may_record_act(function: str, *, template: str, params: ParamSet | None = None) -> Decision:
    """O9: "Participating LEA personnel are only delegated the two authorities": serving an I-200 or an
    I-205. Interrogation about status, processing, detainers, charging documents, warrantless arrest and
    transport are 287(g) JEM/TFM powers, never a WSO's: the software refuses to record them for a WSO."""
    functions = (params or default_params()).for_template("officers.wso_functions", template)
    allowed = function in functions.value
    label = function.replace("_", " ")
    text = (
        f"{label}: one of the two WSO functions."
        if allowed
        else (f"{label}: not a WSO power (a 287(g) JEM/TFM function); a WSO may not record it.")
    )
    reason = cite("O9", text, functions, satisfied=allowed)
    return Decision("may_record_act", allowed, (reason,), status="wso_function" if allowed else "not_a_wso_power")


def _judge_service(
    service: Service,
    *,
    officer: Officer,
    agreement: Agreement,
    warrant: Warrant,
    facility: Facility,
    params: ParamSet | None,
) -> tuple[list[Reason], dict[str, object], Reason | None]:
    """The reasons of a service, its figures, and the H3 release-gap reason (None when served early)."""
    at = require_aware(service.served_at, name="served_at")
    require_aware(service.scheduled_release_at, name="scheduled_release_at")
    params = params or default_params()
    tz = facility.timezone
    reasons: list[Reason] = []
    values: dict[str, object] = {}
    gap: Reason | None = None
    warrant_decision = warrant_suffices(warrant, at=at, params=params)
    reasons.extend(warrant_decision.reasons)
    own = service.in_own_facility
    text = "In the LEA's own jail." if own else "Not in the LEA's own jail or correctional facility."
    reasons.append(cite("H1", text, satisfied=own))
    done = service.criminal_custody_complete
    text = (
        "Criminal custody complete: the person is due for release."
        if done
        else ("Criminal charges not yet pursued to completion.")
    )
    reasons.append(cite("H1", text, satisfied=done))
    window = release_window(
        scheduled_release_at=service.scheduled_release_at,
        cleared_for_release_at=service.cleared_for_release_at,
        standard=service.release_standard,
    )
    if at < window.starts_at:
        text = (
            f"Served {show(at, tz)}, before release ({window.describe(tz)}): the person is still in criminal "
            "custody; ICE takes custody only at release."
        )
        reasons.append(cite("H1", text, satisfied=False))
    else:
        gap, gap_values = _release_gap_reason(window, at, tz)
        reasons.append(gap)
        values.update(gap_values)
    function = FUNCTION_FOR_FORM.get(warrant_decision.values["authority"] or "", "serve_i200")
    authorized = officer_authorized(officer, agreement, at=at, function=function, params=params)
    verdict = authorized.status.replace("_", " ")
    text = f"Officer {officer.name}: {verdict} at the moment of service."
    reasons.append(cite("H3", text, satisfied=authorized.allowed))
    reasons.extend(r for r in authorized.reasons if not r.satisfied)
    reasons.extend(interpreter_annotation(service).reasons)
    law = state_law_eligibility(state=facility.state, model=agreement.model, on=local_date(at, tz=tz), rule="H9")
    reasons.extend(law.reasons)
    return reasons, values, gap


# ---------------------------------------------------------------- the hold at an instant


@dataclass
class _Draft:
    """The parts of a hold_status decision, gathered by the steps below and judged once at the end."""

    reasons: list[Reason] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)

    def decide(self, status: str) -> Decision:
        order = {"release_now": 0, "report_citizenship_claim": 1}
        earliest: dict[str, Action] = {}
        for action in self.actions:  # one release_now (the earliest due), every other action kept
            key = action.name if action.name == "release_now" else f"{action.name}#{len(earliest)}"
            kept = earliest.get(key)
            if kept is None or (action.due is not None and kept.due is not None and action.due < kept.due):
                earliest[key] = action
        actions = sorted(earliest.values(), key=lambda a: order.get(a.name, 2))  # stable for the rest
        return Decision(
            "hold_status",
            allowed_by(self.reasons),
            tuple(self.reasons),
            status=status,
            deadlines=tuple(self.deadlines),
            actions=tuple(actions),
            values=self.values,
        )


def hold_status(hold: Hold, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """What the law demands of a hold at `at`: the 48-hour clocks kept apart (H8), the binding one the
    earliest; release when no served warrant covers the person past release processing (H3), when the
    binding clock ran out (H5) unless booked in time under an IGSA in force (H5), or when a state law
    forbids the hold on any local day it spans (H9); the notice to ICE (H4); and every citizenship claim,
    whenever it comes (H7)."""
    require_aware(at, name="at")
    params = params or default_params()
    draft = _Draft()
    if hold.served_at is not None and hold.served_at <= at:
        status = _served(hold, at=at, draft=draft, params=params)
    else:
        status = _unserved(hold, at=at, draft=draft, params=params)
    _citizenship(hold, at=at, draft=draft, params=params)
    return draft.decide(status)


def _ended_at(hold: Hold, at: datetime, *, igsa_at: datetime | None = None) -> datetime | None:
    ends = [t for t in (hold.transferred_at, hold.released_at, igsa_at) if t is not None and t <= at]
    return min(ends) if ends else None


def _unserved(hold: Hold, *, at: datetime, draft: _Draft, params: ParamSet) -> str:
    """H3: without a served warrant there is no WSO authority once release processing has run its
    standard; every minute past it is counted, never hidden."""
    tz = hold.facility.timezone
    release = hold.scheduled_release_at
    if hold.detainer_i247a:
        notice = params.at("detainers.i247a_advance_notice_hours", release)
        due = add_elapsed_hours(release, -notice.value)
        text = (
            f"The I-247A asks for notice to DHS at least {notice.value} hours before release, if possible "
            f"({show(due, tz)}); a detainer alone is not WSO authority (H2)."
        )
        draft.reasons.append(cite("H8", text, notice))
        draft.actions.append(Action("notify_dhs_of_release", "H8", due=due))
    window = release_window(
        scheduled_release_at=release,
        cleared_for_release_at=hold.cleared_for_release_at,
        standard=hold.release_standard,
        at=at,
    )
    ended_at = _ended_at(hold, at)
    end = ended_at or at
    forbidden_at = _state_law_over_hold(hold, end=end, draft=draft, served=False)
    before_release = end < window.starts_at if window.cleared else end <= window.starts_at  # cleared: processing
    if before_release:
        if ended_at is not None:
            draft.reasons.append(
                cite("H3", f"Released {show(ended_at, tz)}, no later than release ({window.describe(tz)}).")
            )
            return "released"
        text = f"In criminal custody until release ({window.describe(tz)}); a WSO may serve a warrant then."
        draft.reasons.append(cite("H3", text))
        name, what = (
            ("scheduled_release", "Scheduled release") if not window.cleared else ("cleared_for_release", "Cleared")
        )
        draft.deadlines.append(
            Deadline(name, window.starts_at, "H3", description=f"{what}: serve a warrant or release")
        )
        return "in_criminal_custody"
    draft.values["release_gap_minutes"] = _minutes(end - window.starts_at)
    draft.values["release_standard_minutes"] = _minutes(window.allowance)
    if end <= window.authority_until:
        text = (
            f"In release processing for {draft.values['release_gap_minutes']} minute(s) ({window.describe(tz)}); "
            f"serve a warrant or release by {show(window.authority_until, tz)}."
        )
        draft.reasons.append(cite("H3", text))
        if ended_at is not None:
            return "released"
        draft.deadlines.append(
            Deadline(
                "release_processing",
                window.authority_until,
                "H3",
                description="End of release processing: serve a warrant or release",
            )
        )
        draft.actions.append(
            Action(
                "serve_or_release",
                "H3",
                due=window.authority_until,
                description="Serve the warrant or release within the release-processing standard",
            )
        )
        return "release_processing" if forbidden_at is None or forbidden_at > at else "release_required"
    minutes = _minutes(end - window.authority_until)
    draft.values["unauthorized_minutes"] = minutes
    text = (
        f"Held {minutes} minute(s) past release processing ({window.describe(tz)}) with no served warrant: "
        "no WSO authority."
    )
    draft.reasons.append(cite("H3", text, satisfied=False))
    if ended_at is not None:
        return "released"
    draft.actions.append(
        Action(
            "release_now",
            "H3",
            due=window.authority_until,
            description="Release: past release processing with no served warrant",
        )
    )
    return "release_required"


def _served(hold: Hold, *, at: datetime, draft: _Draft, params: ParamSet) -> str:
    """After a valid service: the clocks (H5, H8), the IGSA exception (H5), state law on each day (H9)
    and the notice to ICE (H4)."""
    assert hold.served_at is not None
    tz = hold.facility.timezone
    window = release_window(
        scheduled_release_at=hold.scheduled_release_at,
        cleared_for_release_at=hold.cleared_for_release_at,
        standard=hold.release_standard,
        at=at,
    )
    if hold.served_at >= window.starts_at:
        gap_reason, gap_values = _release_gap_reason(window, hold.served_at, tz)
        if gap_values["release_gap_minutes"] or window.cleared or not gap_reason.satisfied:
            draft.reasons.append(gap_reason)
            draft.values.update(gap_values)
    clocks = _clocks(hold, params=params)
    first = min(clocks, key=lambda d: d.due)  # min keeps the first of equals
    draft.deadlines.extend(replace(d, binding=d is first) for d in clocks)
    binding = next(d for d in draft.deadlines if d.binding)
    for deadline in draft.deadlines:
        marker = "binding" if deadline.binding else "shown, not binding"
        text = f"{deadline.description}: {show(deadline.due, tz)} ({marker})."
        draft.reasons.append(cite(deadline.rule, text, *_clock_params(deadline.name, hold, params)))
    igsa_at = _igsa_exception(hold, at=at, binding=binding, draft=draft)
    ended_at = _ended_at(hold, at, igsa_at=igsa_at)
    forbidden_at = _state_law_over_hold(hold, end=ended_at or at, draft=draft, served=True)
    _ice_notice(hold, at=at, draft=draft, params=params)

    if ended_at is not None:
        how = (
            "booked under the IGSA"
            if ended_at == igsa_at
            else ("transferred to ICE" if hold.transferred_at == ended_at else "released")
        )
        over = ended_at > binding.due
        if over:
            draft.values["overdue_minutes"] = _minutes(ended_at - binding.due)
        tail = (
            f", {draft.values['overdue_minutes']} minute(s) after the binding deadline."
            if over
            else ", within the binding deadline."
        )
        draft.reasons.append(cite("H5", f"WSO hold ended {show(ended_at, tz)}, {how}" + tail, satisfied=not over))
        return {"booked under the IGSA": "igsa_detention", "transferred to ICE": "transferred"}.get(how, "released")

    if at > binding.due:
        draft.values["overdue_minutes"] = _minutes(at - binding.due)
        overdue = draft.values["overdue_minutes"]
        text = f"The binding deadline passed {overdue} minute(s) ago: the person must be released now."
        draft.reasons.append(cite("H5", text, satisfied=False))
        draft.actions.append(
            Action(
                "release_now",
                "H5",
                due=binding.due,
                description="Release: not transferred to ICE within the binding deadline",
            )
        )
        return "release_required"
    if forbidden_at is not None and forbidden_at <= at:
        return "release_required"
    draft.actions.append(
        Action(
            "transfer_or_release",
            binding.rule,
            due=binding.due,
            description="Transfer to ICE or release by the binding deadline",
        )
    )
    draft.values["remaining_minutes"] = _minutes(binding.due - at)
    return "held_for_ice"


def _igsa_exception(hold: Hold, *, at: datetime, binding: Deadline, draft: _Draft) -> datetime | None:
    """H5: "no more than 48 hours unless there exists an agreement pursuant to which the LEA will continue
    to detain, for a reimbursable fee, aliens for immigration purposes". The exception needs a recorded
    IGSA of the facility in force at the deadline and the person booked as an ICE detainee under it by
    then; the WSO hold then ends at that booking, which starts a detention tracked as its own record. A
    BOA is never such an agreement (K2: it pays for holds of up to 48 hours). Returns the booking instant
    when the exception applies."""
    tz = hold.facility.timezone
    booked = hold.igsa_booked_at if hold.igsa_booked_at is not None and hold.igsa_booked_at <= at else None
    for boa in (a for a in hold.facility.detention_agreements if a.kind == "BOA"):
        text = f"BOA {boa.number} is not an exception to the 48 hours: a BOA pays for holds of up to 48 hours."
        draft.reasons.append(cite("K2", text))
    if booked is None:
        in_force = [a for a in hold.facility.detention_agreements if a.kind == "IGSA" and a.in_force_at(binding.due)]
        if in_force:
            text = (
                f"IGSA {in_force[0].number} of the facility is in force at the deadline: the detention may continue "
                f"under it only if the person is booked as an ICE detainee under it by {show(binding.due, tz)}."
            )
            draft.reasons.append(cite("H5", text))
        return None
    assert hold.served_at is not None
    named = [a for a in hold.facility.detention_agreements if hold.igsa_number in (None, a.number)]
    agreement = next((a for a in named if a.kind == "IGSA"), named[0] if named else None)
    problem = _igsa_problem(
        agreement, booked=booked, served_at=hold.served_at, deadline=binding.due, number=hold.igsa_number
    )
    if problem is not None:
        draft.reasons.append(
            cite("H5", f"Booked as an ICE detainee {show(booked, tz)}, but {problem}: the deadline binds.")
        )
        return None
    assert agreement is not None
    text = (
        f"Booked as an ICE detainee {show(booked, tz)} under IGSA {agreement.number} ({_parties(agreement)}), "
        f"in force at the deadline {show(binding.due, tz)}: the WSO hold ended; the detention continues as its "
        "own record under the IGSA."
    )
    draft.reasons.append(cite("H5", text))
    draft.values["igsa_number"] = agreement.number
    return booked


def _igsa_problem(
    agreement: DetentionAgreement | None,
    *,
    booked: datetime,
    served_at: datetime,
    deadline: datetime,
    number: str | None,
) -> str | None:
    """Why a booking under a detention agreement is not the H5 exception, or None when it is."""
    if agreement is None:
        return f"no detention agreement {number or ''} is recorded for the facility".replace("  ", " ")
    if agreement.kind != "IGSA":
        return f"{agreement.kind} {agreement.number} is not an agreement to detain beyond 48 hours (K2)"
    if not agreement.in_force_at(deadline):
        return f"IGSA {agreement.number} is not in force at the deadline"
    if booked > deadline:
        return "the booking came after the deadline"
    if booked < served_at:
        return "the booking came before the warrant's service"
    return None


def _parties(agreement: DetentionAgreement) -> str:
    return " and ".join(agreement.parties) if agreement.parties else "parties not recorded"


def _state_law_over_hold(hold: Hold, *, end: datetime, draft: _Draft, served: bool) -> datetime | None:
    """H9 "checked on every local day the hold spans": from the scheduled release to its end (or now),
    the first local day on which a law forbids the hold ends its authority that day (at local midnight,
    or at release when it forbids on the first day). Days are checked where the law can change: the
    first day and each day a law of the state takes effect. Returns when the authority ended, if it did."""
    tz = hold.facility.timezone
    model = hold.agreement.model
    first_day = local_date(hold.scheduled_release_at, tz=tz)
    last_day = max(first_day, local_date(end, tz=tz))
    changes = sorted(
        {
            law.effective
            for law in default_state_laws()
            if law.state == hold.facility.state.upper() and first_day < law.effective <= last_day
        }
    )
    for day in (first_day, *changes):
        law = state_law_eligibility(state=hold.facility.state, model=model, on=day, rule="H9")
        if law.allowed:
            continue
        starts = hold.scheduled_release_at if day == first_day else _local_midnight(day, tz)
        draft.reasons.extend(law.reasons)
        when = show(starts, tz)
        text = f"A state law forbids this hold from {when}: the hold has no authority from that local day on."
        if end > starts:
            draft.values["forbidden_since"] = starts
            if served:
                draft.values["unauthorized_minutes"] = _minutes(end - starts)
            draft.actions.append(
                Action("release_now", "H9", due=starts, description="Release: state law forbids the hold")
            )
        else:
            release = "State law forbids a WSO hold here: release at the scheduled time, with no WSO service."
            draft.actions.append(Action("release_at_scheduled_time", "H9", due=starts, description=release))
        draft.reasons.append(cite("H9", text, satisfied=False))
        return starts
    return None


def _local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))


def _clocks(hold: Hold, *, params: ParamSet) -> list[Deadline]:
    """H8: the WSO clock runs from service; the I-247A and C.F.R. clocks from would-be release."""
    assert hold.served_at is not None
    tz = hold.facility.timezone
    release = hold.scheduled_release_at
    max_hours = params.for_template("hold.max_hours", hold.agreement.template)
    wso_due = add_elapsed_hours(hold.served_at, max_hours.value)
    clocks = [
        Deadline("wso_48h", wso_due, "H5", description=f"WSO hold: {max_hours.value} elapsed hours after service")
    ]
    if hold.detainer_i247a:
        hours = params.at("detainers.i247a_hold_hours", release)
        due = add_elapsed_hours(release, hours.value)
        clocks.append(
            Deadline("i247a_48h", due, "H8", description=f"I-247A: {hours.value} hours beyond would-be release")
        )
    if hold.cfr_287_7_applies:
        hours = params.at("detainers.cfr_287_7_hours", release)
        calendar = params.at("calendar.us_federal_holidays", release)  # the cited holiday list (H8)
        due = add_hours_excluding(release, hours.value, tz=tz, excluded=weekends_and_holidays(calendar.value))
        text = f"8 C.F.R. 287.7(d): {hours.value} hours excluding Saturdays, Sundays and holidays"
        clocks.append(Deadline("cfr_287_7", due, "H8", description=text))
    return clocks


def _clock_params(name: str, hold: Hold, params: ParamSet) -> tuple:
    release = hold.scheduled_release_at
    return {
        "wso_48h": lambda: (params.for_template("hold.max_hours", hold.agreement.template),),
        "i247a_48h": lambda: (params.at("detainers.i247a_hold_hours", release),),
        "cfr_287_7": lambda: (
            params.at("detainers.cfr_287_7_hours", release),
            params.at("calendar.us_federal_holidays", release),
        ),
    }[name]()


def _ice_notice(hold: Hold, *, at: datetime, draft: _Draft, params: ParamSet) -> None:
    """H4: notify ICE "immediately after" service; the minutes that count as immediate are an audit
    policy figure (confidence L), so lateness is flagged, never a refusal."""
    assert hold.served_at is not None
    tz = hold.facility.timezone
    window = params.at("hold.ice_notification_minutes", hold.served_at)
    due = hold.served_at + timedelta(minutes=window.value)
    notified = hold.ice_notified_at if hold.ice_notified_at is not None and hold.ice_notified_at <= at else None
    if notified is None:
        draft.values["ice_notified"] = False
        draft.actions.append(
            Action("notify_ice", "H4", due=due, description="Notify the ICE officer immediately after service")
        )
        text = (
            f"ICE not yet notified of the service; notify immediately (audit reading: within {window.value} minutes, "
            f"by {show(due, tz)})."
        )
        draft.reasons.append(cite("H4", text, window))
        return
    late = notified > due
    draft.values["ice_notified"] = True
    draft.values["ice_notification_late"] = late
    delay = _minutes(notified - hold.served_at)
    tail = f": later than the {window.value}-minute audit reading of 'immediately'." if late else "."
    draft.reasons.append(
        cite("H4", f"ICE notified {show(notified, tz)}, {delay} minute(s) after service" + tail, window)
    )


def _citizenship(hold: Hold, *, at: datetime, draft: _Draft, params: ParamSet) -> None:
    """H7: "all encounters with asserted or suspected claims of U.S. citizenship" are reported to ICE
    immediately, whenever the claim comes (before service, after it, or while held without authority).
    Each claim opens a one-hour deadline and marks the case until ICE's answer is recorded. MOA-2019: "in
    no case more than one hour" absent unforeseen exigent circumstances (must; a recorded exigency makes a
    late report a departure); MOA-2025: "generally within one hour" (should)."""
    claims = [c for c in hold.citizenship_claims if c.claimed_at <= at]
    if not claims:
        return
    tz = hold.facility.timezone
    template = hold.agreement.template
    limit = params.for_template("hold.citizenship_report_hours", template)
    force = params.for_template("hold.citizenship_report_modality", template)
    open_claims = 0
    any_late = False
    for number, claim in enumerate(claims, start=1):
        name = "citizenship_report" if number == 1 else f"citizenship_report_{number}"
        due = add_elapsed_hours(claim.claimed_at, limit.value)
        modality = _claim_modality(claim, force.value)
        reported = claim.reported_at if claim.reported_at is not None and claim.reported_at <= at else None
        answered = claim.answered_at is not None and claim.answered_at <= at
        open_claims += 0 if answered else 1
        exigency = f" Exigency recorded: {claim.exigency_reason}." if claim.exigency_reason else ""
        if reported is None:
            late = at > due
            draft.deadlines.append(
                Deadline(name, due, "H7", binding=False, description="Report the citizenship claim to ICE")
            )
            draft.actions.append(
                Action(
                    "report_citizenship_claim", "H7", due=due, description="Report the claim of U.S. citizenship to ICE"
                )
            )
            text = (
                f"Citizenship claimed {show(claim.claimed_at, tz)}; report to ICE by {show(due, tz)} "
                f"({limit.wording})" + (": overdue." if late else ".") + exigency
            )
        else:
            late = reported > due
            draft.deadlines.append(
                Deadline(name, due, "H7", binding=False, description="Report the citizenship claim to ICE")
            )
            minutes = _minutes(reported - claim.claimed_at)
            text = (
                f"Citizenship claim reported to ICE {show(reported, tz)}, {minutes} minute(s) after the claim"
                + (": later than the limit." if late else ", within the limit.")
                + exigency
            )
            if not answered:
                draft.actions.append(Action("record_ice_answer", "H7", description="Record ICE's answer to the claim"))
        any_late = any_late or late
        draft.reasons.append(cite("H7", text, limit, force, satisfied=not late, modality=modality))
        answer = (
            "ICE's answer to the claim is recorded."
            if answered
            else ("The case stays marked until ICE's answer to the claim is recorded.")
        )
        draft.reasons.append(cite("H7", answer))
    draft.values["citizenship_claim_open"] = open_claims > 0
    draft.values["citizenship_report_late"] = any_late


def _claim_modality(claim: CitizenshipClaim, template_modality: str) -> str:
    """MOA-2019's "absent unforeseen exigent circumstances": a recorded exigency with its reason turns the
    hour from a limit (must) into an expectation (should); MOA-2025 is should already."""
    if template_modality == "must" and (claim.exigency_reason or "").strip():
        return "should"
    return template_modality


def due_instants(decision: Decision) -> Sequence[tuple[str, datetime]]:
    """Every instant at which this decision can change by the mere passing of time: its deadlines and the
    due times of its actions, each named, earliest first (what a deadline worker must wake up for)."""
    items = {(d.name, d.due) for d in decision.deadlines} | {(a.name, a.due) for a in decision.actions if a.due}
    return sorted(items, key=lambda item: (item[1], item[0]))


def _minutes(delta: timedelta) -> int:
    """Whole minutes, rounded up: an audit counts every started minute of an unlawful hold."""
    return max(0, math.ceil(delta.total_seconds() / 60))
