"""The API's request and response bodies (Pydantic), shared with the pages' forms.

A command schema is what one service takes besides `uow`, `actor` and `at`; a form posts the same
fields (wso.http.forms), so the browser and the API validate input one way. Every instant is
timezone-aware (`AwareDatetime`): a naive time has no meaning here and is refused with the field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    """Response bodies are built from the store's objects and the rules' dataclasses."""

    model_config = ConfigDict(from_attributes=True)


class ReasonOut(Out):
    rule: str = Field(description="Rule id in PROGRAM.md (A2, O4, C1...)")
    text: str
    satisfied: bool = Field(True, description="False: this reason is why the answer is no (or why something is late)")
    modality: Literal["must", "should"] = Field(
        "must",
        description="must: unsatisfied is a violation (refused, a finding); should: a departure, never a refusal",
    )
    source: str
    confidence: str
    params: list[dict[str, Any]] = []


class DeadlineOut(Out):
    name: str
    due: str = Field(description="ISO 8601 instant with offset")
    rule: str
    binding: bool
    description: str = ""


class ActionOut(Out):
    name: str
    rule: str
    due: str | None = None
    description: str = ""


class DecisionOut(Out):
    """A rule's answer: allowed or not, a status word, and every reason with its rule and source."""

    question: str
    allowed: bool
    status: str
    rule_ids: list[str]
    reasons: list[ReasonOut]
    violations: int = Field(0, description="unsatisfied must reasons")
    departures: int = Field(0, description="unsatisfied should reasons: shown and counted apart, never a refusal")
    deadlines: list[DeadlineOut] = []
    actions: list[ActionOut] = []
    values: dict[str, Any] = {}


class ProblemOut(BaseModel):
    """Every error: the kind, the field (if one is to blame), the reason and the rules behind it."""

    error: str = Field(description="refused, invalid_input, not_found, forbidden, not_authenticated, conflict")
    field: str | None
    reason: str
    rule_ids: list[str]
    reasons: list[ReasonOut]
    violations: int = Field(0, description="unsatisfied must reasons")
    departures: int = Field(0, description="unsatisfied should reasons: shown and counted apart, never a refusal")
    errors: list[dict[str, Any]] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemOut, "description": description}
    for status, description in (
        (401, "No valid bearer token"),
        (403, "The actor's role may not do this"),
        (404, "No such record in the actor's agency"),
        (409, "Refused by the rules (with their reasons), or changed meanwhile"),
        (422, "Invalid input: the field and the reason"),
    )
}
