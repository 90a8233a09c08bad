"""Bad input in the user's words: each command field's label, and one sentence per kind of mistake.

Pydantic says "unable to parse string as a number"; a person needs "Enter the exam score as a number
from 0 to 100". The labels live here, beside the command classes, and a command may override one
(`Command.words`), so the API's problem+json, the forms' error summary and the CLI say the same thing
(GOV.UK's pattern for error messages: say what to do, name the thing by its label, no jargon).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "number", "instant", "choice", "tick", "version"]


@dataclass(frozen=True)
class Words:
    """How to name one field to a person: `label` ("the exam score"), what it is, and a detail for numbers."""

    label: str
    kind: Kind = "text"
    detail: str = ""  # appended after "as a number", e.g. "from 0 to 100"


def _t(label: str) -> Words:
    return Words(label, "instant")


# Field names mean the same in every command; a command overrides one through its `words`.
FIELD_WORDS: dict[str, Words] = {
    "about_designated_officer": Words("whether it is about a designated officer", "tick"),
    "agency_id": Words("the agency", "choice"),
    "agreement_id": Words("the agreement", "choice"),
    "badge": Words("the badge number"),
    "by": Words("who gave the notice", "choice"),
    "citizen_attested": Words("the citizenship attestation", "tick"),
    "complaint_id": Words("the complaint", "choice"),
    "completed_at": _t("the date and time the training was completed"),
    "current_password": Words("your current password"),
    "departure_at": _t("the date and time of the departure"),
    "destination": Words("where the records go", "choice"),
    "due_at": _t("the date and time it is due"),
    "effective_at": _t("the date and time it takes effect"),
    "ended_at": _t("the date and time it ended"),
    "entity": Words("the kind of record"),
    "entity_id": Words("the record"),
    "exigent_effective_at": _t("the date and time the exigent notice takes effect"),
    "exigent_reason": Words("the exigent reason"),
    "expected_version": Words("the version of the record you saw", "version"),
    "experience_attested": Words("the experience attestation", "tick"),
    "facility_id": Words("the facility", "choice"),
    "facility_name": Words("the facility's name"),
    "facility_training_attested": Words("the facility training attestation", "tick"),
    "first_class_certified_at": _t("the date and time the first class was certified"),
    "held_at": _t("the date and time the meeting was held"),
    "ice_coordination_ref": Words("the ICE coordination reference"),
    "inmate_conduct_attested": Words("the inmate conduct attestation", "tick"),
    "issued_at": _t("the date and time they were issued"),
    "kind": Words("the kind of notice", "choice"),
    "lifted_at": _t("the date and time it was lifted"),
    "model": Words("the agreement model", "choice"),
    "name": Words("the name"),
    "new_password": Words("the new password"),
    "note": Words("the note"),
    "notice_at": _t("the date and time of the notice"),
    "notified_at": _t("the date and time ICE was notified"),
    "notified_to": Words("who at ICE was notified"),
    "number": Words("the credentials number"),
    "officer_id": Words("the officer", "choice"),
    "operational_at": _t("the date and time the program became operational"),
    "party": Words("who signed", "choice"),
    "reason": Words("the reason"),
    "received_at": _t("the date and time it was received"),
    "recipient": Words("the recipient"),
    "records_access_authorized": Words("the records access authorization", "tick"),
    "reported_at": _t("the date and time it was reported"),
    "requested_at": _t("the date and time they were requested"),
    "resolution": Words("the resolution"),
    "resolved_at": _t("the date and time it was resolved"),
    "result": Words("the result"),
    "returned_at": _t("the date and time they were returned"),
    "rule": Words("the rule"),
    "score_percent": Words("the exam score", "number", "from 0 to 100"),
    "signed_at": _t("the date and time it was signed"),
    "source": Words("who made the complaint", "choice"),
    "state": Words("the state (two letters, e.g. FL)"),
    "status": Words("the status", "choice"),
    "subject_name": Words("the name of the person complained about"),
    "summary": Words("the summary"),
    "suspension_id": Words("the suspension", "choice"),
    "taken_at": _t("the date and time the exam was taken"),
    "template": Words("the agreement template", "choice"),
    "timezone": Words("the time zone (e.g. America/New_York)"),
    # the public cost estimator's query (wso.publicdata.costs.CostInput)
    "holds_per_month": Words("the number of holds per month", "number"),
    "officers": Words("the number of officers", "number"),
    "hourly_wage_usd": Words("the hourly wage in dollars", "number"),
    "hours_per_hold": Words("the hours in custody per hold", "number"),
    "staff_hours_per_hold": Words("the officer hours per hold", "number"),
    "lea_daily_cost_usd": Words("the jail's cost of a bed-day in dollars", "number"),
    "igsa_bed_rate_usd": Words("the IGSA bed rate in dollars (blank: no IGSA)", "number"),
}

_NUMBER_ERRORS = {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"}
_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_INSTANT_ERRORS = {
    "datetime_parsing",
    "datetime_type",
    "datetime_from_date_parsing",
    "datetime_object_invalid",
    "timezone_aware",
}
_CHOICE_ERRORS = {"literal_error", "enum"}
_EXAMPLE_INSTANT = "e.g. 2026-11-25T09:30:00-05:00"


def words_for(name: str, overrides: dict[str, Words] | None = None) -> Words:
    """The field's words: the command's override, the shared label, else its name spelled out."""
    if overrides and name in overrides:
        return overrides[name]
    return FIELD_WORDS.get(name) or Words("the " + name.replace("_", " "))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(w: Words) -> str:
    return f"Enter {w.label} as a number" + (f" {w.detail}" if w.detail else "")


def _enter(w: Words) -> str:
    """What to do about an empty or missing field, by its kind."""
    if w.kind == "choice":
        return f"Choose {w.label}"
    if w.kind == "number":
        return _number(w)
    if w.kind == "tick":
        return f"Say yes or no for {w.label}"
    return f"Enter {w.label}"


def plain_message(name: str, error: dict[str, Any], overrides: dict[str, Words] | None = None) -> str:
    """One Pydantic error (an item of `ValidationError.errors()`) about field `name`, as a sentence.

    Unknown error types keep Pydantic's text after the label, so nothing is ever hidden.
    """
    w = words_for(name, overrides)
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    msg = str(error.get("msg", "is not valid"))
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return _enter(w)
    if kind in _NUMBER_ERRORS or kind in _RANGE_ERRORS:
        if w.kind == "version":
            return f"{_sentence(w.label)} must be a whole number: reload the record and try again"
        if w.detail or kind not in _RANGE_ERRORS:
            return _number(w)
        bound = {k: ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx}
        limits = {"ge": "{} or more", "gt": "more than {}", "le": "{} or less", "lt": "less than {}"}
        said = " and ".join(limits[k].format(v) for k, v in bound.items()) or msg.lower()
        return f"Enter {w.label} as a number {said}"
    if kind in _INSTANT_ERRORS:
        if kind == "timezone_aware":
            return f"Enter {w.label} with its UTC offset, {_EXAMPLE_INSTANT}"
        return f"Enter {w.label} as a real date and time, {_EXAMPLE_INSTANT}"
    if kind in _CHOICE_ERRORS:
        expected, given = ctx.get("expected"), error.get("input")
        said = f", not {given[:40]!r}" if isinstance(given, str) and given.strip() else ""
        return f"Choose {w.label}" + (f" (one of {expected}{said})" if expected else "")
    if kind == "bool_parsing" or kind == "bool_type":
        return f"Say yes or no for {w.label} (true or false)"
    if kind == "string_too_long":
        return f"{_sentence(w.label)} must be {ctx.get('max_length')} characters or fewer"
    if kind == "string_type":
        return f"Enter {w.label} as text"
    if kind == "extra_forbidden":
        return f"{name} is not a field of this form: leave it out"
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        if w.kind == "instant" and "ISO 8601" in text:
            return f"Enter {w.label} as a real date and time, {_EXAMPLE_INSTANT}"
        return (
            f"{_sentence(w.label)} {text}"
            if text.startswith(("must", "is ", "cannot"))
            else f"{_sentence(w.label)}: {text}"
        )
    return f"{_sentence(w.label)}: {msg}"


def in_words(field: str | None, reason: str) -> str:
    """A service's reason as a sentence naming its field: "cannot be later than the moment it is recorded" about
    `signed_at` reads "The date and time it was signed cannot be later than ..."; a full sentence is kept."""
    if not field or not reason or not reason[0].islower():
        return reason
    label = _sentence(words_for(field).label)
    return f"{label} {reason}" if reason.startswith(("must", "cannot", "is ", "was ", "has ")) else f"{label}: {reason}"


def field_errors(
    errors: list[dict[str, Any]] | Any, overrides: dict[str, Words] | None = None
) -> list[tuple[str, str]]:
    """Every error of a ValidationError as (field, sentence), in the form's order, one per field."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        field = loc[0] if loc else "input"  # a union's member or a list's index is not a field of its own
        if field in seen:
            continue
        seen.add(field)
        found.append((field, plain_message(field, error, overrides)))
    return found
