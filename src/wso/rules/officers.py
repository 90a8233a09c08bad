"""Officers (PROGRAM.md section 3): from nominee to authorized WSO, and what may end that."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from wso.params import NotInForce, ParamError, ParamSet, ParamValue, default_params
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
    """O4: authorized "only when ALL hold at the moment of the act". The conditions are data
    (`officers.authorization_requirements`, per template): certified, FOD letter, Form 70-006,
    credentials issued and carried, agreement in force, not withdrawn or suspended (O5, C4), under
    ICE supervision; leaving the program (O7) ends it too; and O9: a WSO has exactly two functions.
    Every condition is reported, met or not, so a roster can show exactly why."""
    require_aware(at, name="at")
    params = params or default_params()
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
    requirements = params.for_template("officers.authorization_requirements", agreement.template)
    for condition in requirements.value:
        check = _CONDITIONS.get(condition)
        if check is None:
            known = ", ".join(_CONDITIONS)
            raise ParamError(
                f"params/officers/authorization_requirements.yaml: {agreement.template}: "
                f"unknown condition {condition!r} (known: {known})"
            )
        reasons.extend(check(officer, agreement, at, requirements, params))
    departed = officer.departed_at is not None and officer.departed_at <= at
    if departed:
        # Leaving ends the authority outright; only O7's 90-day notice before it is a `should`.
        tz = agreement.timezone
        reasons.append(
            cite("O7", f"Left the program on {show(officer.departed_at, tz)}.", satisfied=False, modality="must")
        )
    allowed = without_violation(reasons)
    return Decision("officer_authorized", allowed, tuple(reasons), status="authorized" if allowed else "not_authorized")


Condition = Callable[[Officer, Agreement, datetime, ParamValue, ParamSet], list[Reason]]


def _certified(officer: Officer, agreement: Agreement, at: datetime, _: ParamValue, params: ParamSet) -> list[Reason]:
    exam = exam_outcome(
        [a for a in officer.exam_attempts if a.taken_at <= at], template=agreement.template, params=params
    )
    certified = exam.status == "certified"
    summary = next((r for r in reversed(exam.reasons) if r.satisfied == certified), exam.reasons[-1])
    return [replace(summary, satisfied=certified)]


def _letter(officer: Officer, agreement: Agreement, at: datetime, basis: ParamValue, _: ParamSet) -> list[Reason]:
    return [_document_held("O4", "FOD-signed authorization letter", officer.letter_signed_at, at, agreement, basis)]


def _form(officer: Officer, agreement: Agreement, at: datetime, basis: ParamValue, _: ParamSet) -> list[Reason]:
    return [_document_held("O4", "ICE Form 70-006 executed", officer.form_70_006_at, at, agreement, basis)]


def _carried(officer: Officer, agreement: Agreement, at: datetime, basis: ParamValue, _: ParamSet) -> list[Reason]:
    return [_credentials_carried(officer, at, agreement.timezone, basis)]


def _in_force(
    officer: Officer, agreement: Agreement, at: datetime, basis: ParamValue, params: ParamSet
) -> list[Reason]:
    in_force = agreement_in_force(agreement, at=at, params=params)
    state = in_force.status.replace("_", " ")
    return [cite("O4", f"Agreement: {state}.", basis, satisfied=in_force.allowed), *in_force.violations]


def _not_withdrawn(
    officer: Officer, agreement: Agreement, at: datetime, _: ParamValue, params: ParamSet
) -> list[Reason]:
    interim = params.for_template("complaints.suspension_during_investigation", agreement.template)
    return _withdrawals(officer.withdrawals, at, agreement.timezone, interim=interim)


def _supervised(officer: Officer, agreement: Agreement, at: datetime, basis: ParamValue, _: ParamSet) -> list[Reason]:
    supervised = officer.under_ice_supervision
    text = "Acting under ICE supervision." if supervised else "Not under ICE supervision or direction."
    return [cite("O4", text, basis, satisfied=supervised)]


# The conditions `officers.authorization_requirements` may name, each checked by one function.
_CONDITIONS: dict[str, Condition] = {
    "certified": _certified,
    "authorization_letter": _letter,
    "form_70_006": _form,
    "credentials_carried": _carried,
    "agreement_in_force": _in_force,
    "not_withdrawn_or_suspended": _not_withdrawn,
    "under_ice_supervision": _supervised,
}


def _document_held(
    rule: str, label: str, since: datetime | None, at: datetime, agreement: Agreement, basis: ParamValue
) -> Reason:
    if since is not None and since <= at:
        return cite(rule, f"{label}: since {show(since, agreement.timezone)}.", basis)
    return cite(rule, f"{label}: missing.", basis, satisfied=False)


def _credentials_carried(officer: Officer, at: datetime, tz: str, basis: ParamValue) -> Reason:
    issued, returned = officer.credentials_issued_at, officer.credentials_returned_at
    if issued is None or issued > at:
        return cite("O4", "ICE credentials: not issued.", basis, satisfied=False)
    if returned is not None and returned <= at:
        return cite("O6", f"ICE credentials: returned {show(returned, tz)}.", satisfied=False)
    return cite("O4", f"ICE credentials: issued {show(issued, tz)} and carried.", basis)


def _withdrawals(withdrawals: Sequence[Withdrawal], at: datetime, tz: str, *, interim: ParamValue) -> list[Reason]:
    """O5 withdrawals are final from their effective date; suspensions last until lifted. A suspension
    while under investigation is C4 in MOA-2019 only; MOA-2025 has no such clause, so there it rests on
    ICE's general power to withdraw an authorization (O5). Revocations recorded at the agreement's
    termination (`by_termination`) are A4's, decided by `agreement_in_force`, and skipped here."""
    rule, basis = ("C4", (interim,)) if interim.value else ("O5", ())
    reasons = []
    for item in sorted(withdrawals, key=lambda w: w.effective_at):
        if item.by_termination:
            continue  # A4 is decided from the agreement's notices (agreement_in_force), not from this row
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
        if item.kind == "withdrawal" and not item.by_termination and item.effective_at <= at:
            triggers.append(("the authorization was withdrawn", item.effective_at))
    return triggers


def _refresher_287g(at: datetime, params: ParamSet) -> list[Reason]:
    """O8 for a 287(g) JEM or TFM officer: refresher training, whose interval the sources give
    differently (JEM-2020: "not more frequently than every two years"; the seeds: yearly or two-yearly).
    Both are kept and shown; none is enforced as a date. Nothing is cited before the first source."""
    try:
        refresher = params.at("officers.refresher_months_287g", at)
    except NotInForce:
        return []
    spans = ", ".join(f"{k.replace('_', ' ')} {v} months" for k, v in refresher.value.items())
    return [cite("O8", f"287(g) refresher training: the sources differ ({spans}).", refresher)]


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
    params = params or default_params()
    review = params.for_template("officers.training_review_months", agreement.template)
    reasons: list[Reason] = [cite("O8", f"ICE reviews training requirements every {review.value} months.", review)]
    if agreement.model != "WSO":
        reasons.extend(_refresher_287g(at, params))
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


# ---- preconditions of the officer commands: each a Decision the service raises as Refused -------------


def may_nominate(officer: Officer, agreement: Agreement, *, at: datetime, params: ParamSet | None = None) -> Decision:
    """O1/O2: the nominee meets the four requirements the LEA attests and no background check has
    failed (nomination_valid); A4: no nomination under a terminated agreement, whose termination
    revoked every authorization under it. Status "invalid_nomination", "agreement_terminated" or
    "allowed"."""
    require_aware(at, name="at")
    nomination = nomination_valid(officer, template=agreement.template, params=params)
    reasons = list(nomination.reasons)
    terminated = agreement_in_force(agreement, at=at, params=params).status == "terminated"
    reasons.append(
        cite("A4", "The agreement is terminated: no officer may be nominated under it.", satisfied=False)
        if terminated
        else cite("A4", "The agreement is not terminated.")
    )
    status = "invalid_nomination" if not nomination.allowed else ("agreement_terminated" if terminated else "allowed")
    return Decision("may_nominate", without_violation(reasons), tuple(reasons), status=status)


def may_record_exam_attempt(
    officer: Officer, *, template: str, taken_at: datetime, params: ParamSet | None = None
) -> Decision:
    """O3: a certified officer sits no further exam, and a disqualified one is "discharged from
    training": an attempt after either is refused. The status is the exam's outcome before the
    attempt ("not_taken", "retake_allowed", "certified", "disqualified")."""
    require_aware(taken_at, name="taken_at")
    params = params or default_params()
    before = exam_outcome(
        [a for a in officer.exam_attempts if a.taken_at <= taken_at], template=template, params=params
    )
    if before.status in ("certified", "disqualified"):
        exam = params.for_template("officers.exam", template)
        refusal = cite("O3", f"Already {before.status}: no further attempt counts.", exam, satisfied=False)
        return Decision("may_record_exam_attempt", False, (*before.reasons, refusal), status=before.status)
    exam = params.for_template("officers.exam", template)
    state = before.status.replace("_", " ")
    return Decision(
        "may_record_exam_attempt",
        True,
        (cite("O3", f"Exam {state}: this attempt counts.", exam),),
        status=before.status,
    )


def may_record_authorization_document(
    officer: Officer, agreement: Agreement, *, signed_at: datetime, params: ParamSet | None = None
) -> Decision:
    """O4's documents (the FOD's letter, Form 70-006) follow certification (O3) and end with the
    agreement (A4): refused before the officer is certified, or once the agreement is terminated.
    Status "not_certified", "agreement_terminated" or "allowed"."""
    reasons = _after_certification(officer, agreement, at=signed_at, params=params)
    return Decision(
        "may_record_authorization_document", without_violation(reasons), tuple(reasons), status=_first_refusal(reasons)
    )


def may_issue_credentials(
    officer: Officer, agreement: Agreement, *, issued_at: datetime, params: ParamSet | None = None
) -> Decision:
    """ICE credentials (O4) follow certification (O3), end with the agreement (A4), and remain ICE's
    property (O6): a new set is refused while the last one issued is not returned. Status
    "not_certified", "agreement_terminated", "credentials_unreturned" or "allowed"."""
    reasons = _after_certification(officer, agreement, at=issued_at, params=params)
    tz = agreement.timezone
    if officer.credentials_issued_at is not None and officer.credentials_returned_at is None:
        reasons.append(
            cite(
                "O6",
                f"Credentials issued {show(officer.credentials_issued_at, tz)} are not returned yet: "
                "they go back to ICE before another set is issued.",
                satisfied=False,
            )
        )
    else:
        reasons.append(cite("O6", "No earlier set of credentials is outstanding."))
    return Decision("may_issue_credentials", without_violation(reasons), tuple(reasons), status=_first_refusal(reasons))


def may_lift_officer_suspension(item: Withdrawal) -> Decision:
    """C4/O5: ICE may lift a suspension of an officer's authority; a withdrawal is final (a new
    authorization would start with a new nomination)."""
    question = "may_lift_officer_suspension"
    if item.kind != "suspension":
        reason = cite("O5", "A withdrawal is final and cannot be lifted.", satisfied=False)
        return Decision(question, False, (reason,), status="withdrawal_is_final")
    return Decision(question, True, (cite("O5", "A suspension ends when ICE lifts it."),), status="allowed")


_REFUSAL_STATUS = {"O3": "not_certified", "A4": "agreement_terminated", "O6": "credentials_unreturned"}


def _first_refusal(reasons: Sequence[Reason]) -> str:
    """The status word of the first violation among the reasons, "allowed" if none."""
    return next((_REFUSAL_STATUS[r.rule] for r in reasons if r.violation), "allowed")


def _after_certification(
    officer: Officer, agreement: Agreement, *, at: datetime, params: ParamSet | None
) -> list[Reason]:
    require_aware(at, name="at")
    params = params or default_params()
    tz = agreement.timezone
    exam = exam_outcome(
        [a for a in officer.exam_attempts if a.taken_at <= at], template=agreement.template, params=params
    )
    exam_param = params.for_template("officers.exam", agreement.template)
    certified = exam.status == "certified"
    reasons = [
        cite("O3", f"Certified as of {show(at, tz)}.", exam_param)
        if certified
        else cite(
            "O3",
            f"{officer.name} is not certified ({exam.status.replace('_', ' ')}) as of {show(at, tz)}: "
            "the letter, Form 70-006 and credentials follow certification.",
            exam_param,
            satisfied=False,
        )
    ]
    terminated = agreement_in_force(agreement, at=at, params=params).status == "terminated"
    reasons.append(
        cite("A4", "The agreement is terminated: every authorization under it is revoked.", satisfied=False)
        if terminated
        else cite("A4", "The agreement is not terminated.")
    )
    return reasons
