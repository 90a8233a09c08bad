"""Complaints (PROGRAM.md section 5): the notice to ICE and the resolution target."""

from __future__ import annotations

from datetime import datetime

from wso.params import ParamSet, ParamValue, default_params
from wso.rules.citing import cite, show
from wso.rules.clock import add_calendar_days, add_elapsed_hours, add_hours_excluding_weekends, require_aware
from wso.rules.decision import Action, Deadline, Decision, Reason, without_violation
from wso.rules.facts import Complaint


def complaint_deadlines(
    complaint: Complaint, *, template: str, tz: str, at: datetime, params: ParamSet | None = None
) -> Decision:
    """C1: about a participating officer, notify ICE "within 48 hours, excluding weekends" (Saturday
    and Sunday in the facility's zone); C2: about non-designated personnel, forward it (2025: "within
    48 hours of the LEA receiving notice", elapsed; 2019: no time stated); C3: report the
    investigation's results (both templates) and, MOA-2019 only, "It is expected that any complaint
    received will be resolved within 90 days of receipt" (should: a late resolution is a departure);
    C4, MOA-2019 only: ICE may suspend or revoke the officer's authority meanwhile."""
    require_aware(at, name="at")
    require_aware(complaint.received_at, name="received_at")
    params = params or default_params()
    received = complaint.received_at
    reasons: list[Reason] = []
    deadlines: list[Deadline] = []
    actions: list[Action] = []

    if complaint.about_designated_officer:
        hours = params.for_template("complaints.ice_notification_hours", template)
        notify_by: datetime | None = add_hours_excluding_weekends(received, hours.value, tz=tz)
        rule, basis = "C1", f"{hours.value} hours excluding weekends"
    else:
        hours = params.for_template("complaints.non_designated_forward_hours", template)
        notify_by = add_elapsed_hours(received, hours.value) if hours.value is not None else None
        rule, basis = (
            "C2",
            (
                f"{hours.value} hours of receiving notice"
                if hours.value is not None
                else "no time stated in this template"
            ),
        )
    reason, todo = _notice_reason(complaint, rule=rule, basis=basis, notify_by=notify_by, at=at, tz=tz, param=hours)
    reasons.append(reason)
    actions.extend(todo)
    if notify_by is not None:
        deadlines.append(Deadline("ice_notification", notify_by, rule, description=f"Notify ICE ({basis})"))

    days = params.for_template("complaints.resolution_days", template)
    if days.value is None:  # MOA-2025 sets no resolution time: report results and resolution only
        reason, todo = _results_reason(complaint, at=at, tz=tz, param=days)
        reasons.append(reason)
        actions.extend(todo)
    else:
        resolve_by = add_calendar_days(received, days.value, tz=tz)
        deadlines.append(
            Deadline("resolution", resolve_by, "C3", description=f"Resolve within {days.value} days of receipt")
        )
        reason, todo = _resolution_reason(complaint, resolve_by=resolve_by, at=at, tz=tz, param=days)
        reasons.append(reason)
        actions.extend(todo)
    interim = params.for_template("complaints.suspension_during_investigation", template)
    if interim.value and complaint.about_designated_officer and complaint.resolved_at is None:
        reasons.append(
            cite(
                "C4",
                "While the officer is under investigation, ICE may suspend or revoke the officer's authority.",
                interim,
            )
        )
    overdue = any(not r.satisfied for r in reasons)
    status = "resolved" if complaint.resolved_at is not None and complaint.resolved_at <= at else "open"
    return Decision(
        "complaint_deadlines",
        without_violation(reasons),
        tuple(reasons),
        status=f"{status}_overdue" if overdue else status,
        deadlines=tuple(deadlines),
        actions=tuple(actions),
    )


Step = tuple[Reason, tuple[Action, ...]]  # a reason and the actions it calls for


def _results_reason(complaint: Complaint, *, at: datetime, tz: str, param: ParamValue) -> Step:
    """C3 without a resolution time (MOA-2025): the results and the resolution go to ICE, no target date."""
    resolved = complaint.resolved_at if complaint.resolved_at is not None and complaint.resolved_at <= at else None
    if resolved is None:
        text = (
            "Open: report the investigation's results and the resolution to ICE "
            "(this template sets no resolution time)."
        )
        action = Action("resolve_and_report", "C3", description="Resolve and report results to ICE (no time stated)")
        return cite("C3", text, param), (action,)
    reported = complaint.results_reported_at is not None and complaint.results_reported_at <= at
    reason = cite(
        "C3", f"Resolved {show(resolved, tz)}." + ("" if reported else " Results not yet reported to ICE."), param
    )
    return reason, () if reported else (_REPORT_RESULTS,)


_REPORT_RESULTS = Action(
    "report_results_to_ice", "C3", description="Report the investigation's results and the resolution to ICE"
)


def _notice_reason(
    complaint: Complaint,
    *,
    rule: str,
    basis: str,
    notify_by: datetime | None,
    at: datetime,
    tz: str,
    param: ParamValue,
) -> Step:
    notified = (
        complaint.ice_notified_at if complaint.ice_notified_at is not None and complaint.ice_notified_at <= at else None
    )
    if notified is not None:
        late = notify_by is not None and notified > notify_by
        text = f"ICE notified {show(notified, tz)}" + (
            f", after the deadline {show(notify_by, tz)} ({basis})." if late else f" ({basis})."
        )
        return cite(rule, text, param, satisfied=not late), ()
    if notify_by is None:
        action = Action("forward_to_ice", rule, description="Forward the complaint to the ICE officer")
        return cite(rule, f"Forward to the ICE officer ({basis}).", param), (action,)
    late = at > notify_by
    action = Action("notify_ice", rule, due=notify_by, description="Notify an ICE officer of the complaint")
    text = f"Notify ICE by {show(notify_by, tz)} ({basis})" + (": overdue." if late else ".")
    return cite(rule, text, param, satisfied=not late), (action,)


def _resolution_reason(complaint: Complaint, *, resolve_by: datetime, at: datetime, tz: str, param: ParamValue) -> Step:
    resolved = complaint.resolved_at if complaint.resolved_at is not None and complaint.resolved_at <= at else None
    if resolved is not None:
        late = resolved > resolve_by
        reported = complaint.results_reported_at is not None and complaint.results_reported_at <= at
        text = (
            f"Resolved {show(resolved, tz)}"
            + (f", after the target {show(resolve_by, tz)}." if late else ", within the target.")
            + ("" if reported else " Results not yet reported to ICE.")
        )
        return cite("C3", text, param, satisfied=not late), () if reported else (_REPORT_RESULTS,)
    late = at > resolve_by
    action = Action("resolve_and_report", "C3", due=resolve_by, description="Resolve and report results to ICE")
    text = f"Resolution expected by {show(resolve_by, tz)}" + (": overdue." if late else ".")
    return cite("C3", text, param, satisfied=not late), (action,)


def may_receive_complaint(
    *, about_designated_officer: bool, officer_named: bool, template: str, params: ParamSet | None = None
) -> Decision:
    """C5: complaints are accepted from any source (MOA-2019; MOA-2025 posts the complaint process in
    the processing areas), so no source is refused. C1: a complaint about a designated officer names
    that officer, since the notice to ICE and any suspension (C4) are about that officer; one about
    personnel not designated (C2) names the person instead. Status "officer_not_named" or "allowed"."""
    intake = (params or default_params()).for_template("complaints.intake", template)
    how = str(intake.value).replace("_", " ")
    reasons = [cite("C5", f"Complaints are received from any source (intake under this template: {how}).", intake)]
    if about_designated_officer and not officer_named:
        reasons.append(cite("C1", "A complaint about a designated officer names that officer.", satisfied=False))
        return Decision("may_receive_complaint", False, tuple(reasons), status="officer_not_named")
    if about_designated_officer:
        reasons.append(cite("C1", "About a designated officer, named: ICE is to be notified of it."))
    else:
        reasons.append(cite("C2", "About personnel not designated: the complaint is forwarded to ICE."))
    return Decision("may_receive_complaint", True, tuple(reasons), status="allowed")
