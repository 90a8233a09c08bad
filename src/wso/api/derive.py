"""API bodies derived from the services' own signatures and views, so the two cannot drift apart.

A command's body is the service's keyword arguments minus `uow`, `actor`, `at` (the shell reads
the clock) and the ids in the URL path; a response is the service's view (a frozen dataclass)
with each Decision rendered as DecisionOut. Hand-written copies of ~20 signatures and ~10 views
would be boilerplate that goes stale the day a service gains an argument; here the OpenAPI schema
at /openapi.json changes with the service, and schemathesis exercises exactly what exists.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, create_model

from wso.api.schemas import DecisionOut
from wso.rules.decision import Decision

# Arguments the shell supplies itself, never the caller.
SHELL_ARGUMENTS = frozenset({"uow", "actor", "at"})

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def _plausible(value: datetime) -> datetime:
    """Refuses instants no record of this program can hold (and which overflow date arithmetic)."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def _iso_instant(value: Any) -> Any:
    """Only ISO 8601 text (or a datetime) is an instant: Pydantic would read 12345 or "12345" as
    seconds since 1970, so a number typed into a date field would silently become 1970 (item 9)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time with its UTC offset, not a number")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an ISO 8601 date and time (e.g. 2026-11-25T09:30:00-05:00)") from None


def unencodable(value: str) -> bool:
    """A lone surrogate (JSON "\\ud800") is valid in a Python str but not in UTF-8: no database,
    password hasher or response can take it, so it is refused at the edge instead of failing later."""
    return any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _printable(value: str) -> str:
    """Refuses NUL and other control characters (PostgreSQL cannot store NUL in text) and lone surrogates."""
    if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise ValueError("must not contain control characters")
    if unencodable(value):
        raise ValueError("must be valid Unicode text (a lone surrogate such as \\ud800 is not)")
    return value


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_instant),
    AfterValidator(_plausible),
    Field(description="ISO 8601 date and time with its UTC offset, e.g. 2026-11-25T09:30:00-05:00"),
]
Text = Annotated[str, AfterValidator(_printable), Field(max_length=10_000)]


def _input_type(annotation: Any) -> Any:
    """A service's parameter type as the API takes it: instants need their offset, text no NUL."""
    if annotation is datetime:
        return Instant
    if annotation is str:
        return Text
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = tuple(_input_type(a) for a in get_args(annotation))
        return Union[members]  # noqa: UP007 (built from a tuple)
    if origin is tuple:
        args = get_args(annotation)
        return list[_input_type(args[0])] if args else list[Any]
    return annotation


def _choices() -> dict[tuple[str, str], tuple[str, ...]]:
    """(service, argument) -> the values the service accepts, from the services' own constants.

    The service checks them anyway; declaring them makes /openapi.json list them (an enum), so
    clients and schemathesis send meaningful values.
    """
    from wso.params import TEMPLATES
    from wso.rules.records import DESTINATIONS
    from wso.services import agreements, complaints, officers

    return {
        ("export_agency_records", "destination"): DESTINATIONS,
        ("create_agreement", "model"): agreements.MODELS,
        ("create_agreement", "template"): tuple(TEMPLATES),
        ("record_signature", "party"): agreements.PARTIES,
        ("record_notice", "kind"): agreements.NOTICE_KINDS,
        ("record_notice", "by"): agreements.PARTIES,
        ("record_background_check", "status"): officers.BACKGROUND_CHECK,
        ("receive_complaint", "source"): complaints.SOURCES,
    }


@cache
def command_schema(service: Callable[..., Any], path_ids: tuple[str, ...] = ()) -> type[BaseModel]:
    """The request body of a service: its keyword arguments minus the shell's and the path's."""
    hints = get_type_hints(service)
    choices = _choices()
    definitions: dict[str, Any] = {}
    for name, parameter in inspect.signature(service).parameters.items():
        if name in SHELL_ARGUMENTS or name in path_ids or parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        allowed = choices.get((service.__name__, name))
        kind = Literal[allowed] if allowed else _input_type(hints[name])  # type: ignore[valid-type]
        definitions[name] = (kind, default)
    title = "".join(part.capitalize() for part in service.__name__.split("_"))
    return create_model(title, __config__=ConfigDict(extra="forbid"), **definitions)


def _output_type(annotation: Any) -> Any:
    if annotation is Decision:
        return DecisionOut
    if isinstance(annotation, type) and is_dataclass(annotation):
        return view_schema(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return Union[tuple(_output_type(a) for a in get_args(annotation))]  # noqa: UP007
    if origin is tuple:
        args = get_args(annotation)
        return list[_output_type(args[0])] if args else list[Any]
    if origin is list:
        return list[_output_type(get_args(annotation)[0])]
    return annotation


@cache
def view_schema(view: type) -> type[BaseModel]:
    """The response body of a view dataclass (Decision fields become DecisionOut)."""
    hints = get_type_hints(view)
    definitions = {f.name: (_output_type(hints[f.name]), ...) for f in fields(view)}
    name = view.__name__.removesuffix("View") + "Out" if view.__name__.endswith("View") else view.__name__ + "Out"
    return create_model(name, **definitions)
