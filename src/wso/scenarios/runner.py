"""Asking a scenario's questions of the rules, and comparing the answers with `expect:`.

The runner builds facts (via `replay.fold`) and calls rule functions; it never computes a legal
deadline or threshold itself, so a passing scenario is evidence about the rules, not about a
second copy of them here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wso.params import NotInForce, ParamSet, default_params
from wso.rules import agreements, complaints, eligibility, holds, officers, records
from wso.rules.clock import local_date
from wso.rules.decision import Decision, InvalidFacts, Reason
from wso.scenarios import model as m
from wso.scenarios.errors import ScenarioError
from wso.scenarios.load import load_scenario
from wso.scenarios.replay import ServiceRecord, World, fold


@dataclass(frozen=True)
class Mismatch:
    """One expected property the decision does not have."""

    field: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class Answer:
    question: m.Question
    decision: Decision
    expectation: m.Expectation | None
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def passed(self) -> bool:
        return self.expectation is not None and not self.mismatches


@dataclass(frozen=True)
class ScenarioRun:
    path: Path | None
    scenario: m.Scenario
    params: ParamSet
    answers: tuple[Answer, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(a.passed for a in self.answers)


def run_file(path: Path | str) -> ScenarioRun:
    """Load `path` and answer every question; a `ScenarioError` names the file on any problem."""
    path = Path(path)
    scenario = load_scenario(path)
    try:
        return run_scenario(scenario, path=path)
    except ScenarioError as exc:
        raise exc.in_file(path) from None


def run_scenario(scenario: m.Scenario, *, path: Path | None = None) -> ScenarioRun:
    params = _params(scenario)
    answers = []
    for index, question in enumerate(scenario.questions):
        decision = _ask(question, scenario=scenario, params=params, where=f"questions[{index}] ({question.ask})")
        expectation = scenario.expect.get(question.id)
        mismatches = compare(decision, expectation) if expectation is not None else ()
        answers.append(Answer(question=question, decision=decision, expectation=expectation, mismatches=mismatches))
    return ScenarioRun(path=path, scenario=scenario, params=params, answers=tuple(answers))


def _params(scenario: m.Scenario) -> ParamSet:
    """The shipped parameters, with the scenario's what-if overrides (OpenFisca's reforms)."""
    params = default_params()
    for name in scenario.overrides:
        if name not in params:
            known = ", ".join(params.names())
            raise ScenarioError(
                file=None, location="overrides", field=name, reason=f"no such parameter (known: {known})"
            )
    return params.with_overrides(scenario.overrides) if scenario.overrides else params


def _ask(question: m.Question, *, scenario: m.Scenario, params: ParamSet, where: str) -> Decision:
    def service_counts(record: ServiceRecord, world: World) -> bool:
        """A service transfers custody only if the rules find it valid (H1-H3, H6, H9, O4)."""
        return _service_decision(record, world, params).allowed

    try:
        world = fold(scenario, at=question.at, service_counts=service_counts)
        return _HANDLERS[type(question)](question, world, params)
    except InvalidFacts as exc:
        raise ScenarioError(file=None, location=where, field=exc.field, reason=exc.reason) from None
    except NotInForce as exc:
        raise ScenarioError(
            file=None, location=where, field="at", reason=f"a parameter is not in force: {exc}"
        ) from None


def _service_decision(record: ServiceRecord, world: World, params: ParamSet) -> Decision:
    assert world.agreement is not None
    return holds.service_valid(
        record.service,
        officer=world.officers[record.officer_id],
        agreement=world.agreement,
        warrant=world.warrants[record.warrant_number],
        facility=world.facility,
        params=params,
    )


def _chosen_service(question: m.ServiceValid | m.InterpreterAnnotation, world: World) -> ServiceRecord:
    """The service the question names by event index, else the last one at or before its instant."""
    candidates = [s for s in world.services if question.event is None or s.index == question.event]
    if not candidates:
        which = f"events[{question.event}]" if question.event is not None else "any warrant_served event"
        raise ScenarioError(
            file=None,
            location=f"question {question.id}",
            field="event",
            reason=f"{which} is not at or before {question.at.isoformat()}",
        )
    return candidates[-1]


def _agreement(world: World) -> Any:
    assert world.agreement is not None
    return world.agreement


Handler = Callable[[Any, World, ParamSet], Decision]

_HANDLERS: dict[type, Handler] = {
    m.AgreementInForce: lambda q, w, p: agreements.agreement_in_force(_agreement(w), at=q.at, params=p),
    m.MeetingsDue: lambda q, w, p: agreements.meetings_due(_agreement(w), at=q.at, params=p),
    m.OfficerAuthorized: lambda q, w, p: officers.officer_authorized(
        w.officers[q.officer], _agreement(w), at=q.at, function=q.function, params=p
    ),
    m.CredentialsOutstanding: lambda q, w, p: officers.credentials_outstanding(
        w.officers[q.officer], _agreement(w), at=q.at, params=p
    ),
    m.ExamOutcome: lambda q, w, p: officers.exam_outcome(
        [a for a in w.officers[q.officer].exam_attempts if a.taken_at <= q.at],
        template=_agreement(w).template,
        params=p,
    ),
    m.NominationValid: lambda q, w, p: officers.nomination_valid(
        w.officers[q.officer], template=_agreement(w).template, params=p
    ),
    m.TrainingDue: lambda q, w, p: officers.training_due(w.officers[q.officer], _agreement(w), at=q.at, params=p),
    m.DepartureNoticeQuestion: lambda q, w, p: officers.departure_notice(
        w.officers[q.officer],
        template=_agreement(w).template,
        departure_at=q.departure_at,
        tz=w.facility.timezone,
        params=p,
    ),
    m.WarrantSuffices: lambda q, w, p: holds.warrant_suffices(w.warrants[q.warrant], at=q.at, params=p),
    m.ServiceValid: lambda q, w, p: _service_decision(_chosen_service(q, w), w, p),
    m.InterpreterAnnotation: lambda q, w, p: holds.interpreter_annotation(_chosen_service(q, w).service),
    m.HoldStatus: lambda q, w, p: holds.hold_status(w.hold, at=q.at, params=p),
    m.ComplaintDeadlines: lambda q, w, p: complaints.complaint_deadlines(
        w.complaints[q.complaint], template=_agreement(w).template, tz=w.facility.timezone, at=q.at, params=p
    ),
    m.StateLaw: lambda q, w, p: eligibility.state_law_eligibility(
        state=q.state or w.facility.state,
        model=q.model or (w.agreement.model if w.agreement else "WSO"),
        on=local_date(q.at, tz=w.facility.timezone),
        rule=q.rule,
    ),
    m.HoldCost: lambda q, w, p: _hold_cost(q, w, p),
    m.AppendixChange: lambda q, w, p: agreements.appendix_change_allowed(_agreement(w), part=q.part, by=q.by, params=p),
    m.ComplaintReceivable: lambda q, w, p: complaints.may_receive_complaint(
        about_designated_officer=q.about_designated_officer,
        officer_named=q.officer_named,
        template=_agreement(w).template,
        params=p,
    ),
    m.YearlyCost: lambda q, w, p: _yearly_cost(q, w, p),
    m.RecordsExport: lambda q, w, p: records.may_export_records(
        kinds=q.kinds,
        destination=q.destination,
        on=local_date(q.at, tz=w.facility.timezone),
        ice_coordination_ref=q.ice_coordination_ref,
        params=p,
    ),
}


def _yearly_cost(question: m.YearlyCost, world: World, params: ParamSet) -> Decision:
    from wso.rules import costs

    return costs.yearly_cost(
        holds_per_month=question.holds_per_month,
        officers=question.officers,
        hourly_wage_usd=question.hourly_wage_usd,
        hours_per_hold=question.hours_per_hold,
        on=local_date(question.at, tz=world.facility.timezone),
        igsa_bed_rate_usd=question.igsa_bed_rate_usd,
        lea_daily_cost_usd=question.lea_daily_cost_usd,
        template=world.agreement.template if world.agreement else "MOA-2025",
        params=params,
    )


def _hold_cost(question: m.HoldCost, world: World, params: ParamSet) -> Decision:
    from wso.rules import costs  # the cost rules may land after the others

    agreement = _agreement(world)
    return costs.hold_cost(
        program=question.program,
        hours=question.hours,
        on=local_date(question.at, tz=world.facility.timezone),
        template=agreement.template,
        lea_daily_cost_usd=question.lea_daily_cost_usd,
        igsa_bed_rate_usd=question.igsa_bed_rate_usd
        if question.igsa_bed_rate_usd is not None
        else agreement.igsa_bed_rate_usd,
        params=params,
    )


# ---------------------------------------------------------------- comparing


def compare(decision: Decision, expected: m.Expectation) -> tuple[Mismatch, ...]:
    """Every way `decision` differs from `expected`; rule_ids and actions need only be included."""
    out: list[Mismatch] = []
    if expected.allowed is not None and decision.allowed != expected.allowed:
        out.append(Mismatch("allowed", expected.allowed, decision.allowed))
    if expected.status is not None and decision.status != expected.status:
        out.append(Mismatch("status", expected.status, decision.status))
    missing_rules = [r for r in expected.rule_ids if r not in decision.rule_ids]
    if missing_rules:
        out.append(Mismatch("rule_ids", list(expected.rule_ids), list(decision.rule_ids)))
    actual_deadlines = {d.name: d.due for d in decision.deadlines}
    for name, due in expected.deadlines.items():
        actual = actual_deadlines.get(name)
        if actual is None or actual != due:
            out.append(
                Mismatch(
                    f"deadlines.{name}", due.isoformat(), actual.astimezone(due.tzinfo).isoformat() if actual else None
                )
            )
    if expected.binding_deadline is not None:
        binding = decision.binding_deadline
        actual_name = binding.name if binding else None
        if actual_name != expected.binding_deadline:
            out.append(Mismatch("binding_deadline", expected.binding_deadline, actual_name))
    action_names = [a.name for a in decision.actions]
    missing_actions = [a for a in expected.actions if a not in action_names]
    if missing_actions:
        out.append(Mismatch("actions", list(expected.actions), action_names))
    for index, want in enumerate(expected.reasons):
        if not any(_reason_matches(reason, want) for reason in decision.reasons):
            found = [
                f"{r.rule} {r.modality} {r.confidence} satisfied={r.satisfied}"
                for r in decision.reasons
                if r.rule == want.rule
            ]
            out.append(Mismatch(f"reasons[{index}]", want.model_dump(exclude_none=True), found))
    for name, expected_rules, actual in (
        ("violations", expected.violations, decision.violations),
        ("departures", expected.departures, decision.departures),
    ):
        actual_rules = sorted(dict.fromkeys(r.rule for r in actual))
        if expected_rules is not None and sorted(dict.fromkeys(expected_rules)) != actual_rules:
            out.append(Mismatch(name, sorted(expected_rules), actual_rules))
    for key, value in expected.values.items():
        if key not in decision.values:
            out.append(Mismatch(f"values.{key}", value, None))
        elif not _same_value(value, decision.values[key]):
            actual = decision.values[key]
            out.append(Mismatch(f"values.{key}", value, actual.isoformat() if isinstance(actual, datetime) else actual))
    return tuple(out)


def _reason_matches(reason: Reason, want: m.ReasonExpectation) -> bool:
    return (
        reason.rule == want.rule
        and (want.modality is None or reason.modality == want.modality)
        and (want.confidence is None or reason.confidence == want.confidence)
        and (want.satisfied is None or reason.satisfied == want.satisfied)
    )


def _same_value(expected: Any, actual: Any) -> bool:
    """Instants compare as instants (any offset), numbers to a cent's precision, the rest exactly."""
    if isinstance(actual, datetime):
        try:
            return m.parse_instant(expected) == actual
        except ValueError:
            return False
    if isinstance(actual, bool) or isinstance(expected, bool):
        return expected is actual
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-6)
    return expected == actual
