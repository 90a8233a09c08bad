"""Officers (PROGRAM.md section 3): from nominee to authorized WSO, and what may end that."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from wso.params import ParamSet, ParamValue, default_params
from wso.rules.agreements import agreement_in_force
from wso.rules.citing import cite, show
from wso.rules.clock import add_calendar_days, require_aware
from wso.rules.decision import Action, Deadline, Decision, InvalidFacts, Reason, without_violation
from wso.rules.facts import Agreement, ExamAttempt, Function, Officer, Withdrawal


def exam_outcome(attempts: Sequence[ExamAttempt], *, template: str, params: ParamSet | None = None) -> Decision:
    """O3: "a minimum score of 70 percent to receive certification ... one opportunity to review the
    testing material and re-take a similar examination. Failure to achieve a 70-percent rating upon
    retaking ... will result in the disqualification". The mark is inclusive: 70 % passes."""
    exam = (params or default_params()).for_template("officers.exam", template)
    pass_mark, retakes = exam.value["pass_mark_percent"], exam.value["retakes"]
    question = "exam_outcome"
    ordered = sorted(attempts, key=lambda a: a.taken_at)
    for attempt in ordered:
        require_aware(attempt.taken_at, name="exam_attempt.taken_at")
        if not 0 <= attempt.score_percent <= 100:
            raise InvalidFacts("score_percent", f"{attempt.score_percent} is not a percentage between 0 and 100")
    if not ordered:
        return Decision(
            question, False, (cite("O3", "No final exam taken yet.", exam, satisfied=False),), status="not_taken"
        )
    reasons: list[Reason] = []
    for number, attempt in enumerate(ordered, start=1):
        label = "exam" if number == 1 else f"retake {number - 1}"
        if attempt.score_percent >= pass_mark:
            # Earlier failures were the path O3 allows (a review and a retake); they no longer count against.
            reasons = [replace(r, satisfied=True) for r in reasons]
            reasons.append(
                cite(
                    "O3",
                    f"Certified: {label} scored {attempt.score_percent:g} % on {attempt.taken_at.date()}, "
                    f"at least the {pass_mark} % pass mark.",
                    exam,
                )
            )
            ignored = len(ordered) - number
            if ignored:
                reasons.append(cite("O3", f"{ignored} later attempt(s) do not change a certification.", exam))
            return Decision(
                question,
                True,
                tuple(reasons),
                status="certified",
                values={"certified_at": attempt.taken_at, "score_percent": attempt.score_percent},
            )
        reasons.append(
            cite(
                "O3",
                f"The {label} scored {attempt.score_percent:g} %, below the {pass_mark} % pass mark.",
                exam,
                satisfied=False,
            )
        )
        if number > retakes:
            ignored = len(ordered) - number
            if ignored:
                reasons.append(
                    cite("O3", f"{ignored} attempt(s) after disqualification do not count.", exam, satisfied=False)
                )
            reasons.append(
                cite("O3", "Disqualified and discharged from training: the retake also failed.", exam, satisfied=False)
            )
            return Decision(question, False, tuple(reasons), status="disqualified")
    reasons.append(cite("O3", f"One review of the testing material and {retakes} retake allowed.", exam))
    return Decision(
        question, False, tuple(reasons), status="retake_allowed", actions=(Action("schedule_review_and_retake", "O3"),)
    )


def nomination_valid(officer: Officer, *, template: str, params: ParamSet | None = None) -> Decision:
    """O1: "All candidates must be United States citizens, have knowledge of and have enforced laws and
    regulations pertinent to their law enforcement activities and their jurisdictions, and have been
    trained on maintaining the security of [LEA] facilities, and have enforced rules and regulations
    governing inmate accountability and conduct" - four requirements, each attested by the LEA;
    O2: ICE may run a background check, and a failed one ends the nomination."""
    required = (params or default_params()).for_template("officers.nominee_requirements", template)
    attested = {
        "us_citizen": officer.citizen_attested,
        "experienced_in_jurisdiction_laws": officer.experience_attested,
        "trained_in_facility_security": officer.facility_training_attested,
        "enforced_inmate_accountability_rules": officer.inmate_conduct_attested,
    }
    reasons = [
        cite(
            "O1",
            f"{name.replace('_', ' ')}: {'attested' if attested.get(name, False) else 'NOT attested'} by the LEA.",
            required,
            satisfied=attested.get(name, False),
        )
        for name in required.value
    ]
    check_ok = officer.background_check != "failed"
    reasons.append(cite("O2", f"Background check: {officer.background_check.replace('_', ' ')}.", satisfied=check_ok))
    allowed = without_violation(reasons)
    return Decision("nomination_valid", allowed, tuple(reasons), status="valid" if allowed else "invalid")


def officer_authorized(
    officer: Officer,
    agreement: Agreement,
    *,
    at: datetime,
    function: Function = "serve_i200",
    params: ParamSet | None = None,
) -> Decision:
    """O4: authorized "only when ALL hold at the moment of the act": certified, FOD letter, Form
    70-006, credentials issued and carried, agreement in force, not withdrawn or suspended (O5, C4),
    under ICE supervision; and O9: a WSO has exactly two functions. Every condition is reported,
    met or not, so a roster can show exactly why."""
    require_aware(at, name="at")
    params = params or default_params()
    tz = agreement.timezone
    reasons: list[Reason] = []
    if agreement.model == "WSO":
        functions = params.for_template("officers.wso_functions", agreement.template)
        allowed_function = function in functions.value
        verdict = (
            "one of the two WSO functions"
            if allowed_function
            else "not a WSO power (a 287(g) JEM/TFM function); refused"
        )
        reasons.append(cite("O9", f"{function.replace('_', ' ')}: {verdict}.", functions, satisfied=allowed_function))

    exam = exam_outcome(
        [a for a in officer.exam_attempts if a.taken_at <= at], template=agreement.template, params=params
    )
    certified = exam.status == "certified"
    summary = next((r for r in reversed(exam.reasons) if r.satisfied == certified), exam.reasons[-1])
    reasons.append(replace(summary, satisfied=certified))
    reasons.append(_document_held("O4", "FOD-signed authorization letter", officer.letter_signed_at, at, tz))
    reasons.append(_document_held("O4", "ICE Form 70-006 executed", officer.form_70_006_at, at, tz))
    reasons.append(_credentials_carried(officer, at, tz))
    in_force = agreement_in_force(agreement, at=at, params=params)
    reasons.append(cite("O4", f"Agreement: {in_force.status.replace('_', ' ')}.", satisfied=in_force.allowed))
    reasons.extend(r for r in in_force.reasons if not r.satisfied)
    interim = params.for_template("complaints.suspension_during_investigation", agreement.template)
    reasons.extend(_withdrawals(officer.withdrawals, at, tz, interim=interim))
    departed = officer.departed_at is not None and officer.departed_at <= at
    if departed:
        # Leaving ends the authority outright; only O7's 90-day notice before it is a `should`.
        reasons.append(
            cite("O7", f"Left the program on {show(officer.departed_at, tz)}.", satisfied=False, modality="must")
        )
    reasons.append(
        cite(
            "O4",
            "Acting under ICE supervision."
            if officer.under_ice_supervision
            else "Not under ICE supervision or direction.",
            satisfied=officer.under_ice_supervision,
        )
    )
    allowed = without_violation(reasons)
    return Decision("officer_authorized", allowed, tuple(reasons), status="authorized" if allowed else "not_authorized")


def _document_held(rule: str, label: str, since: datetime | None, at: datetime, tz: str) -> Reason:
    if since is not None and since <= at:
        return cite(rule, f"{label}: since {show(since, tz)}.")
    return cite(rule, f"{label}: missing.", satisfied=False)


def _credentials_carried(officer: Officer, at: datetime, tz: str) -> Reason:
    issued, returned = officer.credentials_issued_at, officer.credentials_returned_at
    if issued is None or issued > at:
        return cite("O4", "ICE credentials: not issued.", satisfied=False)
    if returned is not None and returned <= at:
        return cite("O6", f"ICE credentials: returned {show(returned, tz)}.", satisfied=False)
    return cite("O4", f"ICE credentials: issued {show(issued, tz)} and carried.")


def _withdrawals(withdrawals: Sequence[Withdrawal], at: datetime, tz: str, *, interim: ParamValue) -> list[Reason]:
    """O5 withdrawals are final from their effective date; suspensions last until lifted. A suspension
    while under investigation is C4 in MOA-2019 only; MOA-2025 has no such clause, so there it rests on
    ICE's general power to withdraw an authorization (O5)."""
    rule, basis = ("C4", (interim,)) if interim.value else ("O5", ())
    reasons = []
    for item in sorted(withdrawals, key=lambda w: w.effective_at):
        if item.notice_at > at or item.effective_at > at:
            continue
        if item.kind == "withdrawal":
            reasons.append(
                cite(
                    "O5",
                    f"Authorization withdrawn by ICE, effective {show(item.effective_at, tz)}{_because(item.reason)}.",
                    satisfied=False,
                )
            )
        elif item.ended_at is None or item.ended_at > at:
            reasons.append(
                cite(
                    rule,
                    f"Authority suspended by ICE while under investigation since {show(item.effective_at, tz)}"
                    f"{_because(item.reason)}.",
                    *basis,
                    satisfied=False,
                )
            )
    if not reasons:
        reasons.append(cite("O5", "No withdrawal or suspension in effect."))
    return reasons


def _because(reason: str) -> str:
    return f": {reason}" if reason else ""


def credentials_outstanding(
    officer: Officer, agreement: Agreement, *, at: datetime, params: ParamSet | None = None
) -> Decision:
    """O6: credentials "shall remain the property of ICE and shall be returned" on termination,
    when the officer leaves, or when the FOD asks. Unreturned after such an event: an open obligation."""
    require_aware(at, name="at")
    tz = agreement.timezone
    question = "credentials_outstanding"
    issued, returned = officer.credentials_issued_at, officer.credentials_returned_at
    if issued is None or issued > at:
        return Decision(question, True, (cite("O6", "No ICE credentials issued."),), status="not_issued")
    if returned is not None and returned <= at:
        return Decision(
            question, True, (cite("O6", f"Credentials returned to ICE on {show(returned, tz)}."),), status="returned"
        )
    triggers = _return_triggers(officer, agreement, at=at, params=params)
    if not triggers:
        return Decision(
            question,
            True,
            (cite("O6", f"Credentials issued {show(issued, tz)}, held while authorized."),),
            status="held",
        )
    reasons = tuple(
        cite("O6", f"Must be returned: {label} ({show(when, tz)}).", satisfied=False) for label, when in triggers
    )
    since = min(when for _, when in triggers)
    return Decision(
        question,
        False,
        reasons,
        status="outstanding",
        actions=(Action("return_credentials", "O6", due=since, description="Return ICE credentials"),),
        values={"outstanding_since": since},
    )


def _return_triggers(
    officer: Officer, agreement: Agreement, *, at: datetime, params: ParamSet | None
) -> list[tuple[str, datetime]]:
    triggers: list[tuple[str, datetime]] = []
    in_force = agreement_in_force(agreement, at=at, params=params)
    if in_force.status == "terminated":
        triggers.append(("the agreement was terminated", in_force.values["ended_at"]))
    if officer.departed_at is not None and officer.departed_at <= at:
        triggers.append(("the officer left the program", officer.departed_at))
    if officer.credentials_return_requested_at is not None and officer.credentials_return_requested_at <= at:
        triggers.append(("the FOD asked for them", officer.credentials_return_requested_at))
    for item in officer.withdrawals:
        if item.kind == "withdrawal" and item.effective_at <= at:
            triggers.append(("the authorization was withdrawn", item.effective_at))
    return triggers


def departure_notice(
    officer: Officer, *, template: str, departure_at: datetime, tz: str, params: ParamSet | None = None
) -> Decision:
    """O7: the LEA gives ICE 90 days' notice, "where practicable", before an officer leaves: a `should`,
    so a late notice is a departure, flagged for the record with room for the reason, never refused."""
    require_aware(departure_at, name="departure_at")
    days = (params or default_params()).for_template("officers.departure_notice_days", template)
    due = add_calendar_days(departure_at, -days.value, tz=tz)
    deadline = Deadline("departure_notice", due, "O7", description=f"Notice to ICE {days.value} days before departure")
    if officer.departure_notice_at is None:
        reason = cite(
            "O7",
            f"Notice to ICE due by {show(due, tz)}, {days.value} days before the departure "
            f"on {show(departure_at, tz)}.",
            days,
        )
        return Decision(
            "departure_notice",
            True,
            (reason,),
            status="due",
            deadlines=(deadline,),
            actions=(Action("notify_ice_of_departure", "O7", due=due),),
        )
    on_time = officer.departure_notice_at <= due
    verdict = "on time" if on_time else "late (the MOA asks it where practicable; record why)"
    reason = cite("O7", f"Notice given {show(officer.departure_notice_at, tz)}: {verdict}.", days, satisfied=on_time)
    return Decision("departure_notice", True, (reason,), status="on_time" if on_time else "late", deadlines=(deadline,))


def training_due(officer: Officer, agreement: Agreement, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """O8: "ICE will review the training requirements annually ... and may require" more training.
    Each training ICE requires is due by its date; one past due and not completed is overdue."""
    require_aware(at, name="at")
    tz = agreement.timezone
    review = (params or default_params()).for_template("officers.training_review_months", agreement.template)
    reasons: list[Reason] = [cite("O8", f"ICE reviews training requirements every {review.value} months.", review)]
    deadlines: list[Deadline] = []
    actions: list[Action] = []
    completed = {t.name: t.completed_at for t in officer.trainings if t.completed_at <= at}
    for required in officer.required_trainings:
        done = completed.get(required.name)
        if done is not None:
            reasons.append(
                cite("O8", f"{required.name}: completed {show(done, tz)}.", review, satisfied=done <= required.due_at)
            )
            continue
        late = at > required.due_at
        reasons.append(
            cite(
                "O8",
                f"{required.name}: due {show(required.due_at, tz)}{', overdue' if late else ''}.",
                review,
                satisfied=not late,
            )
        )
        deadlines.append(
            Deadline(f"training:{required.name}", required.due_at, "O8", description=f"Complete {required.name}")
        )
        actions.append(Action("complete_training", "O8", due=required.due_at, description=required.name))
    overdue = any(not r.satisfied for r in reasons)
    return Decision(
        "training_due",
        without_violation(reasons),
        tuple(reasons),
        status="overdue" if overdue else ("due" if deadlines else "current"),
        deadlines=tuple(deadlines),
        actions=tuple(actions),
    )
