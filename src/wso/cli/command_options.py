"""A command class's fields as CLI options, and the options given back as the command.

Shared by `wso records ...` (the records use cases, wso.services.commands) and `wso holds ...`
(wso.holds.commands): the CLI, the API and the forms accept exactly the same input, validated by
the same class, and a bad value is reported with its field's name (exit code 2).
"""

from __future__ import annotations

import inspect
import types
import typing
from typing import Annotated, Any, get_args, get_origin

import typer
from pydantic import BaseModel, ValidationError

from wso.services.commands.words import field_errors
from wso.services.errors import InvalidInput

_KW = inspect.Parameter.KEYWORD_ONLY


def command_of(model: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    """The command from the options given (None: not given); every bad value names its field, in the same
    words as the API and the forms (wso.services.commands.words)."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise InvalidInput.of(field_errors(exc.errors(), dict(getattr(model, "words", {}) or {}))) from None


def option_parameters(model: type[BaseModel]) -> list[inspect.Parameter]:
    """One --option per field of the command class (booleans as --x/--no-x, lists repeatable)."""
    parameters = []
    for name, field in model.model_fields.items():
        flag = "--" + name.replace("_", "-")
        help_text = field.description or name.replace("_", " ")
        annotation = field.annotation
        origin = get_origin(annotation)
        if annotation is bool:
            option = typer.Option(f"{flag}/--no-{name.replace('_', '-')}", help=help_text)
            default = field.default if not field.is_required() else False
            parameters.append(inspect.Parameter(name, _KW, annotation=Annotated[bool, option], default=default))
        elif origin in (tuple, list):
            option = typer.Option(flag, help=help_text + " (repeatable)")
            parameters.append(
                inspect.Parameter(name, _KW, annotation=Annotated[list[str] | None, option], default=None)
            )
        else:
            required = field.is_required()
            option = typer.Option(flag, help=help_text + choices(annotation), show_default=False)
            kind = str if required else (str | None)
            default = inspect.Parameter.empty if required else None
            parameters.append(inspect.Parameter(name, _KW, annotation=Annotated[kind, option], default=default))
    return parameters


def id_parameters(ids: tuple[str, ...]) -> list[inspect.Parameter]:
    """The record ids a command acts on (the API's path ids), as required options."""
    return [
        inspect.Parameter(
            name,
            _KW,
            annotation=Annotated[
                str,
                typer.Option(
                    "--" + name.replace("_", "-"), help=f"the {name.removesuffix('_id')}'s id", show_default=False
                ),
            ],
        )
        for name in ids
    ]


def choices(annotation: Any) -> str:
    """The allowed values of a Literal (possibly optional), for the option's help."""
    args = (
        [a for a in get_args(annotation) if a is not type(None)]
        if get_origin(annotation) in (typing.Union, types.UnionType)
        else [annotation]
    )
    literal = next((a for a in args if get_origin(a) is typing.Literal), None)
    return f" ({', '.join(get_args(literal))})" if literal is not None else ""
