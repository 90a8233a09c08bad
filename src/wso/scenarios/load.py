"""Reading a scenario file: YAML in, a checked `Scenario` out, or one `ScenarioError` naming where.

Why its own YAML loader: PyYAML turns `2026-11-01 01:30` into a naive datetime and
`2026-11-01T01:30:00-04:00` into one it may normalise; we want the text, so the model can refuse
an instant without an offset and say so. Duplicate keys are refused, not silently overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wso.events.base import InvalidEvent, UnknownEventType
from wso.params.loader import StrictLoader
from wso.scenarios.errors import ScenarioError
from wso.scenarios.model import (
    EVENT_TYPES,
    ComplaintReceived,
    InterpreterAnnotation,
    Scenario,
    ServiceValid,
    WarrantServed,
)
from wso.scenarios.to_events import scenario_events


class _ScenarioLoader(StrictLoader):
    """The params loader (duplicate keys refused) without the timestamp resolver."""


_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_scenario(path: Path | str) -> Scenario:
    """The scenario in `path`, fully checked; a `ScenarioError` naming the file otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(file=path, location="(file)", field="", reason=f"cannot read: {exc.strerror}") from None
    try:
        return parse_scenario(text)
    except ScenarioError as exc:
        raise exc.in_file(path) from None


def parse_scenario(text: str) -> Scenario:
    """The scenario written in `text` (YAML), fully checked."""
    try:
        raw = yaml.load(text, Loader=_ScenarioLoader)
    except yaml.YAMLError as exc:
        raise ScenarioError(file=None, location="(file)", field="", reason=f"not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(
            file=None,
            location="(file)",
            field="",
            reason="expected a mapping with title, description, facts, events, questions",
        )
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise _from_validation_error(exc, raw) from None
    check_consistency(scenario)
    _check_catalog(scenario)
    return scenario


def _check_catalog(scenario: Scenario) -> None:
    """The scenario as ledger events (scenarios/to_events.py), each checked by the event catalog: what
    the rules are asked about is exactly what the application could have recorded."""
    try:
        scenario_events(scenario)
    except (InvalidEvent, UnknownEventType) as exc:
        raise ScenarioError(
            file=None, location="events", field=getattr(exc, "field", "type"), reason=str(exc)
        ) from None


def check_consistency(scenario: Scenario) -> None:
    """What one record cannot check alone: time order, and that every reference names something."""
    facts = scenario.facts
    complaints: set[str] = set()
    previous = None
    for index, event in enumerate(scenario.events):
        where = f"events[{index}] ({event.type})"
        if previous is not None and event.at < previous:
            raise ScenarioError(
                file=None,
                location=where,
                field="at",
                reason=f"{event.at.isoformat()} is earlier than the event before it ({previous.isoformat()}); "
                "list events in time order",
            )
        previous = event.at
        officer = getattr(event, "officer", None)
        if officer is not None and officer not in facts.officers:
            raise _unknown(where, "officer", officer, facts.officers)
        if isinstance(event, WarrantServed):
            if event.warrant not in facts.warrants:
                raise _unknown(where, "warrant", event.warrant, facts.warrants)
            if facts.person is None or facts.agreement is None:
                raise ScenarioError(
                    file=None,
                    location=where,
                    field="type",
                    reason="a warrant service needs facts.person and facts.agreement",
                )
        complaint = getattr(event, "complaint", None)
        if isinstance(event, ComplaintReceived):
            if complaint in complaints:
                raise ScenarioError(
                    file=None, location=where, field="complaint", reason=f"complaint {complaint!r} was already received"
                )
            complaints.add(complaint)
        elif complaint is not None and complaint not in complaints:
            raise ScenarioError(
                file=None,
                location=where,
                field="complaint",
                reason=f"no complaint {complaint!r} was received before this event",
            )
    _check_questions(scenario, complaints)


def _check_questions(scenario: Scenario, complaints: set[str]) -> None:
    facts = scenario.facts
    ids: set[str] = set()
    for index, question in enumerate(scenario.questions):
        where = f"questions[{index}] ({question.ask})"
        if question.id in ids:
            raise ScenarioError(file=None, location=where, field="id", reason=f"duplicate question id {question.id!r}")
        ids.add(question.id)
        officer = getattr(question, "officer", None)
        if officer is not None and officer not in facts.officers:
            raise _unknown(where, "officer", officer, facts.officers)
        warrant = getattr(question, "warrant", None)
        if warrant is not None and warrant not in facts.warrants:
            raise _unknown(where, "warrant", warrant, facts.warrants)
        complaint = getattr(question, "complaint", None)
        if complaint is not None and complaint not in complaints:
            raise ScenarioError(
                file=None, location=where, field="complaint", reason=f"no complaint_received event names {complaint!r}"
            )
        if isinstance(question, (ServiceValid, InterpreterAnnotation)) and question.event is not None:
            events = scenario.events
            if question.event >= len(events) or not isinstance(events[question.event], WarrantServed):
                raise ScenarioError(
                    file=None,
                    location=where,
                    field="event",
                    reason=f"events[{question.event}] is not a warrant_served event",
                )
        needs = _NEEDS.get(question.ask, ())
        for part in needs:
            if getattr(facts, part) is None:
                raise ScenarioError(file=None, location=where, field="ask", reason=f"{question.ask} needs facts.{part}")
    for key in scenario.expect:
        if key not in ids:
            raise ScenarioError(
                file=None,
                location=f"expect.{key}",
                field="",
                reason=f"no question has id {key!r} (known: {', '.join(sorted(ids))})",
            )


_NEEDS: dict[str, tuple[str, ...]] = {
    "agreement_in_force": ("agreement",),
    "meetings_due": ("agreement",),
    "officer_authorized": ("agreement",),
    "credentials_outstanding": ("agreement",),
    "exam_outcome": ("agreement",),
    "nomination_valid": ("agreement",),
    "training_due": ("agreement",),
    "departure_notice": ("agreement",),
    "hold_status": ("agreement", "person"),
    "complaint_deadlines": ("agreement",),
    "service_valid": ("agreement", "person"),
    "interpreter_annotation": ("agreement", "person"),
    "hold_cost": ("agreement",),
    "appendix_change_allowed": ("agreement",),
    "may_receive_complaint": ("agreement",),
}


def _unknown(where: str, field: str, name: str, known: dict[str, Any]) -> ScenarioError:
    listed = ", ".join(sorted(known)) or "none"
    return ScenarioError(file=None, location=where, field=field, reason=f"unknown {field} {name!r} (known: {listed})")


def _from_validation_error(exc: ValidationError, raw: dict[str, Any]) -> ScenarioError:
    """The first validation error, with the event or question it is in named by index and type."""
    error = exc.errors()[0]
    loc = list(error["loc"])
    ctx = error.get("ctx") or {}
    location = "(file)"
    if len(loc) >= 2 and loc[0] in ("events", "questions") and isinstance(loc[1], int):
        section, index = loc[0], loc[1]
        item = (raw.get(section) or [None] * (index + 1))[index]
        kind = item.get("type" if section == "events" else "ask") if isinstance(item, dict) else None
        location = f"{section}[{index}]" + (f" ({kind})" if kind else "")
        rest = loc[3:] if len(loc) > 2 and loc[2] == kind else loc[2:]
    else:
        location = ".".join(str(p) for p in loc[:-1]) or "(file)"
        rest = loc[-1:]
    field = ".".join(str(p) for p in rest)
    reason = error["msg"].removeprefix("Value error, ")
    if error["type"] == "union_tag_invalid":
        tag_field = "type" if loc[0] == "events" else "ask"
        known = ", ".join(EVENT_TYPES) if tag_field == "type" else ctx.get("expected_tags", "")
        return ScenarioError(
            file=None,
            location=location,
            field=tag_field,
            reason=f"unknown {tag_field} {ctx.get('tag')!r}; known: {known}",
        )
    if error["type"] == "union_tag_not_found":
        tag_field = "type" if loc[0] == "events" else "ask"
        return ScenarioError(file=None, location=location, field=tag_field, reason=f"missing '{tag_field}'")
    if error["type"] == "instant_order":
        field = ".".join(str(p) for p in [*rest, ctx["field"]])
    if error["type"] == "extra_forbidden":
        reason = "unknown key (a typo?); see docs/scenarios.md for the keys this record takes"
    return ScenarioError(file=None, location=location, field=field, reason=reason)
