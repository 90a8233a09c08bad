"""Response schemas of the view dataclasses.

A response is the service's view (a frozen dataclass) with each Decision rendered as DecisionOut,
so /openapi.json describes exactly what the views hold. (Request bodies are not derived: each use
case has its own command class, wso.services.commands, and each read its query class,
wso.services.commands.queries.)
"""

from __future__ import annotations

import types
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, create_model

from wso.http.schemas import DecisionOut
from wso.rules.decision import Decision


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
