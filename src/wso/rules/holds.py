"""Custody holds (PROGRAM.md section 4): whether a warrant suffices, whether a service is valid,
and what the 48-hour clocks demand at any instant."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

from wso.params import ParamSet, default_params
from wso.rules.citing import cite, show
from wso.rules.clock import add_elapsed_hours, add_hours_excluding, local_date, require_aware, weekends_and_holidays
from wso.rules.decision import Action, Deadline, Decision, Reason, without_violation
from wso.rules.eligibility import state_law_eligibility
from wso.rules.facts import Agreement, Facility, Hold, Officer, Service, Warrant
from wso.rules.officers import officer_authorized

FUNCTION_FOR_FORM = {"I-200": "serve_i200", "I-205": "serve_i205"}


def warrant_suffices(warrant: Warrant, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """H2: authority is "an administrative warrant naming the person: I-200 ... or I-205", signed by
    an authorized immigration officer; "a detainer (I-247A) alone is NOT authority"."""
    require_aware(at, name="at")
    forms = (params or default_params()).at("hold.warrant_forms", at)
    reasons: list[Reason] = []
    authority = warrant.form if warrant.form in forms.value else next((f for f in warrant.accompanied_by if f in forms.value), None)
    if authority is None:
        reasons.append(cite("H2", f"A {warrant.form} alone is not authority for a WSO transfer: an {' or '.join(forms.value)} is needed.", forms, satisfied=False))
    elif authority != warrant.form:
        reasons.append(cite("H2", f"The {warrant.form} comes with an {authority}, which is the authority for the transfer.", forms))
    else:
        reasons.append(cite("H2", f"An {authority} is an administrative warrant that can authorize a WSO transfer.", forms))
    reasons.append(cite("H2", "Names the person." if warrant.names_person else "Does not name the person.", satisfied=warrant.names_person))
    signed = warrant.signed_by_authorized_officer
    reasons.append(cite("H2", "Signed by an authorized immigration officer." if signed else "Not signed by an authorized immigration officer.", satisfied=signed))
    allowed = all(r.satisfied for r in reasons)
    status = "sufficient" if allowed else ("detainer_only" if authority is None and warrant.form == "I-247A" else "insufficient")
    return Decision("warrant_suffices", allowed, tuple(reasons), status=status, values={"authority": authority})


def interpreter_annotation(service: Service) -> Decision:
    """H6: if an interpreter is used during service, "the interpreter must be identified, by name, ...
    by annotating on the Warrant": a service with an interpreter and no name cannot be completed."""
    if not service.interpreter_used:
        return Decision("interpreter_annotation", True, (cite("H6", "No interpreter used during service."),), status="not_used")
    name = (service.interpreter_name or "").strip()
    if not name:
        reason = cite("H6", "An interpreter was used: their name must be annotated on the warrant before the service is complete.", satisfied=False)
        return Decision("interpreter_annotation", False, (reason,), status="name_missing", actions=(Action("annotate_interpreter_name", "H6"),))
    return Decision("interpreter_annotation", True, (cite("H6", f"Interpreter {name} annotated on the warrant."),), status="annotated")


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
    custody" (H1: not before it; H3: not after it, when the person had to go free), an officer
    authorized for that warrant at that moment (H3, O4), the interpreter named (H6), and a state
    law that does not forbid it (H9)."""
    at = require_aware(service.served_at, name="served_at")
    require_aware(service.scheduled_release_at, name="scheduled_release_at")
    params = params or default_params()
    tz = facility.timezone
    reasons: list[Reason] = []
    warrant_decision = warrant_suffices(warrant, at=at, params=params)
    reasons.extend(warrant_decision.reasons)
    reasons.append(cite("H1", "In the LEA's own jail." if service.in_own_facility else "Not in the LEA's own jail or correctional facility.", satisfied=service.in_own_facility))
    reasons.append(cite("H1", "Criminal custody complete: the person is due for release." if service.criminal_custody_complete else "Criminal charges not yet pursued to completion.", satisfied=service.criminal_custody_complete))
    late = service.served_at > service.scheduled_release_at
    early = service.served_at < service.scheduled_release_at
    when = f"Served {show(service.served_at, tz)}, scheduled release {show(service.scheduled_release_at, tz)}"
    if early:
        reasons.append(cite("H1", f"{when}: before the release, while the person is still in criminal custody; ICE takes custody only at release.", satisfied=False))
    else:
        reasons.append(cite("H3", when + (": after the scheduled release, when the person had to be released." if late else ": at the time of scheduled release."), satisfied=not late))
    function = FUNCTION_FOR_FORM.get(warrant_decision.values["authority"] or "", "serve_i200")
    authorized = officer_authorized(officer, agreement, at=at, function=function, params=params)
    reasons.append(cite("H3", f"Officer {officer.name}: {authorized.status.replace('_', ' ')} at the moment of service.", satisfied=authorized.allowed))
    reasons.extend(r for r in authorized.reasons if not r.satisfied)
    reasons.extend(interpreter_annotation(service).reasons)
    law = state_law_eligibility(state=facility.state, model=agreement.model, on=local_date(at, tz=tz), rule="H9")
    reasons.extend(law.reasons)
    allowed = all(r.satisfied for r in reasons)
    values = {"unauthorized_minutes": _minutes(service.served_at - service.scheduled_release_at)} if late else {}
    return Decision("service_valid", allowed, tuple(reasons), status="valid" if allowed else "invalid", values=values)


def hold_status(hold: Hold, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """What the law demands of a hold at `at`: the 48-hour clocks kept apart (H8), the binding one the
    earliest; release when no served warrant covers the person (H3) or the binding clock ran out (H5);
    the notice to ICE (H4) and the citizenship-claim report (H7)."""
    require_aware(at, name="at")
    params = params or default_params()
    tz = hold.facility.timezone
    release = hold.scheduled_release_at
    ended_at = _ended_at(hold, at)
    served = hold.served_at is not None and hold.served_at <= at
    reasons: list[Reason] = []
    deadlines: list[Deadline] = []
    actions: list[Action] = []
    values: dict[str, object] = {}

    law = state_law_eligibility(state=hold.facility.state, model=hold.agreement.model, on=local_date(release, tz=tz), rule="H9")
    if not law.allowed:
        reasons.extend(law.reasons)

    if not served:
        return _unserved(hold, at=at, ended_at=ended_at, reasons=reasons, tz=tz, params=params)

    assert hold.served_at is not None
    if hold.served_at > release:
        values["unauthorized_minutes"] = _minutes(hold.served_at - release)
        reasons.append(cite("H3", f"Held {values['unauthorized_minutes']} minute(s) past the scheduled release ({show(release, tz)}) before a warrant was served: no WSO authority for that time.", satisfied=False))
    clocks = _clocks(hold, params=params)
    reimbursable = hold.reimbursable_agreement is not None
    binding = None if reimbursable else min(clocks, key=lambda d: d.due)  # min keeps the first of equals
    deadlines.extend(replace(d, binding=d is binding) for d in clocks)
    binding = next((d for d in deadlines if d.binding), None)
    if reimbursable:
        reasons.append(cite("H5", f"The facility detains for ICE under a reimbursable {hold.reimbursable_agreement} agreement: the hold continues under it, tracked separately from the 48-hour WSO clock."))
    for deadline in deadlines:
        marker = "binding" if binding is deadline else "shown, not binding"
        reasons.append(cite(deadline.rule, f"{deadline.description}: {show(deadline.due, tz)} ({marker}).", *_clock_params(deadline.name, hold, params)))

    reasons.extend(_ice_notice(hold, at=at, actions=actions, values=values, params=params, tz=tz))
    reasons.extend(_citizenship(hold, at=at, deadlines=deadlines, actions=actions, values=values, params=params, tz=tz))

    if ended_at is not None:
        how = "transferred to ICE" if hold.transferred_at == ended_at else "released"
        over = binding is not None and ended_at > binding.due
        if over:
            values["overdue_minutes"] = _minutes(ended_at - binding.due)
        reasons.append(cite("H5", f"{how.capitalize()} {show(ended_at, tz)}" + (f", {values['overdue_minutes']} minute(s) after the binding deadline." if over else ", within the binding deadline."), satisfied=not over))
        return Decision("hold_status", not over and law.allowed and without_violation(reasons), tuple(reasons), status="transferred" if how.startswith("transferred") else "released", deadlines=tuple(deadlines), actions=tuple(actions), values=values)

    if binding is not None and at > binding.due:
        values["overdue_minutes"] = _minutes(at - binding.due)
        reasons.append(cite("H5", f"The binding deadline passed {values['overdue_minutes']} minute(s) ago: the person must be released now.", satisfied=False))
        actions.insert(0, Action("release_now", "H5", due=binding.due, description="Release: not transferred to ICE within the binding deadline"))
        return Decision("hold_status", False, tuple(reasons), status="release_required", deadlines=tuple(deadlines), actions=tuple(actions), values=values)
    if binding is not None:
        actions.append(Action("transfer_or_release", binding.rule, due=binding.due, description="Transfer to ICE or release by the binding deadline"))
        values["remaining_minutes"] = _minutes(binding.due - at)
    status = "reimbursable_hold" if reimbursable else "held_for_ice"
    return Decision("hold_status", law.allowed and without_violation(reasons), tuple(reasons), status=status, deadlines=tuple(deadlines), actions=tuple(actions), values=values)


def _ended_at(hold: Hold, at: datetime) -> datetime | None:
    ends = [t for t in (hold.transferred_at, hold.released_at) if t is not None and t <= at]
    return min(ends) if ends else None


def _unserved(hold: Hold, *, at: datetime, ended_at: datetime | None, reasons: list[Reason], tz: str, params: ParamSet) -> Decision:
    """H3: without a served warrant there is no WSO authority past the scheduled release."""
    release = hold.scheduled_release_at
    actions: list[Action] = []
    if hold.detainer_i247a:
        notice = params.at("detainers.i247a_advance_notice_hours", release)
        due = add_elapsed_hours(release, -notice.value)
        reasons.append(cite("H8", f"The I-247A asks for notice to DHS at least {notice.value} hours before release, if possible ({show(due, tz)}); a detainer alone is not WSO authority (H2).", notice))
        actions.append(Action("notify_dhs_of_release", "H8", due=due))
    end = ended_at or at
    if end <= release:
        if ended_at is not None:
            reasons.append(cite("H3", f"Released {show(ended_at, tz)}, no later than the scheduled release."))
            return Decision("hold_status", True, tuple(reasons), status="released", actions=tuple(actions))
        reasons.append(cite("H3", f"In criminal custody until the scheduled release at {show(release, tz)}; a WSO may serve a warrant then."))
        deadline = Deadline("scheduled_release", release, "H3", description="Scheduled release: serve a warrant or release")
        return Decision("hold_status", True, tuple(reasons), status="in_criminal_custody", deadlines=(deadline,), actions=tuple(actions))
    minutes = _minutes(end - release)
    values = {"unauthorized_minutes": minutes}
    reasons.append(cite("H3", f"Held {minutes} minute(s) past the scheduled release ({show(release, tz)}) with no served warrant: no WSO authority.", satisfied=False))
    if ended_at is not None:
        return Decision("hold_status", False, tuple(reasons), status="released", actions=tuple(actions), values=values)
    actions.insert(0, Action("release_now", "H3", due=release, description="Release: past scheduled release with no served warrant"))
    return Decision("hold_status", False, tuple(reasons), status="release_required", actions=tuple(actions), values=values)


def _clocks(hold: Hold, *, params: ParamSet) -> list[Deadline]:
    """H8: the WSO clock runs from service; the I-247A and C.F.R. clocks from would-be release."""
    assert hold.served_at is not None
    tz = hold.facility.timezone
    release = hold.scheduled_release_at
    max_hours = params.for_template("hold.max_hours", hold.agreement.template)
    clocks = [Deadline("wso_48h", add_elapsed_hours(hold.served_at, max_hours.value), "H5", description=f"WSO hold: {max_hours.value} elapsed hours after service")]
    if hold.detainer_i247a:
        hours = params.at("detainers.i247a_hold_hours", release)
        clocks.append(Deadline("i247a_48h", add_elapsed_hours(release, hours.value), "H8", description=f"I-247A: {hours.value} hours beyond would-be release"))
    if hold.cfr_287_7_applies:
        hours = params.at("detainers.cfr_287_7_hours", release)
        calendar = params.at("calendar.us_federal_holidays", release)  # the cited holiday list (H8)
        due = add_hours_excluding(release, hours.value, tz=tz, excluded=weekends_and_holidays(calendar.value))
        clocks.append(Deadline("cfr_287_7", due, "H8", description=f"8 C.F.R. 287.7(d): {hours.value} hours excluding Saturdays, Sundays and holidays"))
    return clocks


def _clock_params(name: str, hold: Hold, params: ParamSet) -> tuple:
    release = hold.scheduled_release_at
    return {
        "wso_48h": lambda: (params.for_template("hold.max_hours", hold.agreement.template),),
        "i247a_48h": lambda: (params.at("detainers.i247a_hold_hours", release),),
        "cfr_287_7": lambda: (params.at("detainers.cfr_287_7_hours", release), params.at("calendar.us_federal_holidays", release)),
    }[name]()


def _ice_notice(hold: Hold, *, at: datetime, actions: list[Action], values: dict, params: ParamSet, tz: str) -> list[Reason]:
    """H4: notify ICE "immediately after" service; the minutes that count as immediate are an audit
    policy figure (confidence L), so lateness is flagged, never a refusal."""
    assert hold.served_at is not None
    window = params.at("hold.ice_notification_minutes", hold.served_at)
    due = hold.served_at + timedelta(minutes=window.value)
    notified = hold.ice_notified_at if hold.ice_notified_at is not None and hold.ice_notified_at <= at else None
    if notified is None:
        actions.append(Action("notify_ice", "H4", due=due, description="Notify the ICE officer immediately after service"))
        return [cite("H4", f"ICE not yet notified of the service; notify immediately (audit reading: within {window.value} minutes, by {show(due, tz)}).", window)]
    late = notified > due
    values["ice_notification_late"] = late
    delay = _minutes(notified - hold.served_at)
    return [cite("H4", f"ICE notified {show(notified, tz)}, {delay} minute(s) after service" + (f": later than the {window.value}-minute audit reading of 'immediately'." if late else "."), window)]


def _citizenship(hold: Hold, *, at: datetime, deadlines: list[Deadline], actions: list[Action], values: dict, params: ParamSet, tz: str) -> list[Reason]:
    """H7: a claim of U.S. citizenship is reported to ICE at once (2019: "in no case more than one
    hour"; 2025: "generally within one hour"); the case stays marked until ICE's answer is recorded."""
    claimed = hold.citizenship_claimed_at
    if claimed is None or claimed > at:
        return []
    limit = params.for_template("hold.citizenship_report_hours", hold.agreement.template)
    due = add_elapsed_hours(claimed, limit.value)
    deadlines.append(Deadline("citizenship_report", due, "H7", binding=False, description="Report the citizenship claim to ICE"))
    answered = hold.citizenship_answered_at is not None and hold.citizenship_answered_at <= at
    values["citizenship_claim_open"] = not answered
    reasons: list[Reason] = []
    reported = hold.citizenship_reported_at if hold.citizenship_reported_at is not None and hold.citizenship_reported_at <= at else None
    if reported is None:
        late = at > due
        actions.insert(0, Action("report_citizenship_claim", "H7", due=due, description="Report the claim of U.S. citizenship to ICE"))
        reasons.append(cite("H7", f"Citizenship claimed {show(claimed, tz)}; report to ICE by {show(due, tz)} ({limit.wording})" + (": overdue." if late else "."), limit, satisfied=not late))
    else:
        late = reported > due
        values["citizenship_report_late"] = late
        reasons.append(cite("H7", f"Citizenship claim reported to ICE {show(reported, tz)}, {_minutes(reported - claimed)} minute(s) after the claim" + (": later than the limit." if late else ", within the limit."), limit, satisfied=not late))
    reasons.append(cite("H7", "ICE's answer to the claim is recorded." if answered else "The case stays marked until ICE's answer to the claim is recorded."))
    return reasons


def _minutes(delta: timedelta) -> int:
    """Whole minutes, rounded up: an audit counts every started minute of an unlawful hold."""
    return max(0, math.ceil(delta.total_seconds() / 60))
