"""Two route builders, so each API module is a table of (path, service) pairs and nothing else.

`command(...)`: POST, the use case's command class (wso.services.commands) as the JSON body, one
unit of work, the service's view back. `query(...)`: GET, the read's query class
(wso.services.commands.queries) as the query string, `at` ("as of") optional and defaulting to now.
Only the path's record ids are declared through a built `__signature__`: FastAPI has parameter
models for the query string, headers and cookies, but none for the path. Both authenticate with the
bearer token and leave every permission and agency check to the service; domain errors propagate to the one
mapper in wso.http.errors. A query resolves its token inside its own unit of work (ApiToken, then
`api_unit_of_work` in the endpoint: one pool checkout per request); a command still resolves it apart
(ApiActor), then opens its unit of work.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic_core import to_json

from wso.http.auth import ApiActor, ApiToken, api_unit_of_work, now, unit_of_work
from wso.http.schemas import ERROR_RESPONSES
from wso.http.strict import strict_body
from wso.http.views import view_schema
from wso.services.commands import Command
from wso.services.commands.queries import Query as ReadQuery
from wso.services.views import plain

_PATH_PARAM = re.compile(r"{(\w+)}")
_KW = inspect.Parameter.KEYWORD_ONLY


def _path_ids(path: str) -> tuple[str, ...]:
    return tuple(_PATH_PARAM.findall(path))


def _doc(service: Callable[..., Any]) -> tuple[str, str]:
    text = inspect.cleandoc(service.__doc__ or service.__name__.replace("_", " "))
    return text.split("\n", 1)[0], text


def _path_parameters(ids: tuple[str, ...]) -> list[inspect.Parameter]:
    return [
        inspect.Parameter(
            name,
            _KW,
            annotation=Annotated[str, Path(description=f"the record id (a UUID) of the {name.removesuffix('_id')}")],
        )
        for name in ids
    ]


def _base_parameters() -> list[inspect.Parameter]:
    return [
        inspect.Parameter("request", _KW, annotation=Request),
        inspect.Parameter("actor", _KW, annotation=ApiActor),
    ]


def _render(result: Any, *, many: bool = False, status_code: int = 200) -> Response:
    """The view(s) as JSON, serialised by pydantic-core straight from the views' fields.

    Not validated again on the way out: the response schemas are derived from the same view
    dataclasses (wso.http.views) and the schemathesis test holds every response to
    them. Validating a roster of 80 officers cost 13 ms of CPU per request, more than its queries;
    returning a Response also spares FastAPI its own second pass and a Python json.dumps.
    """
    data = [plain(item, instants=True) for item in result] if many else plain(result, instants=True)
    return Response(to_json(data), status_code=status_code, media_type="application/json")


def command(
    router: APIRouter,
    path: str,
    body_model: type[Command],
    *,
    view: type,
    status_code: int = 200,
) -> None:
    """POST `path`: runs the command's service `(uow, actor=..., at=now, **path ids, **body)` in one transaction."""
    ids = _path_ids(path)
    if ids != body_model.ids:
        raise ValueError(f"{path}: the path's ids {ids} are not those of {body_model.__name__} {body_model.ids}")
    service = body_model.service
    summary, description = _doc(service)

    def endpoint(*, request: Request, actor: Any, body: Any, **path_values: str) -> Any:
        with unit_of_work(request) as uow:
            result = service(uow, actor=actor, at=now(), **path_values, **body.model_dump())
        return _render(result, status_code=status_code)

    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [*_base_parameters(), inspect.Parameter("body", _KW, annotation=body_model), *_path_parameters(ids)]
    )
    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        name=service.__name__,
        operation_id=service.__name__,
        summary=summary,
        description=description,
        status_code=status_code,
        response_model=view_schema(view),
        responses=ERROR_RESPONSES,
        dependencies=[Depends(strict_body(body_model))],
    )


def query(
    router: APIRouter,
    path: str,
    query_model: type[ReadQuery],
    *,
    view: type,
    many: bool = False,
) -> None:
    """GET `path`: runs the read's service `(uow, actor=..., **path ids, **query)`, "as of" `at` (default now)
    for an `AsOf` read; the query string is the class's fields (FastAPI's query parameter model)."""
    ids = _path_ids(path)
    if ids != query_model.ids:
        raise ValueError(f"{path}: the path's ids {ids} are not those of {query_model.__name__} {query_model.ids}")
    service = query_model.service
    summary, description = _doc(service)

    def endpoint(*, request: Request, token: str, query: ReadQuery, **path_values: str) -> Any:
        with api_unit_of_work(request, token) as work:
            return _render(service(work.uow, actor=work.actor, **path_values, **query.arguments(now())), many=many)

    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", _KW, annotation=Request),
            inspect.Parameter("token", _KW, annotation=ApiToken),
            inspect.Parameter("query", _KW, annotation=Annotated[query_model, Query()]),
            *_path_parameters(ids),
        ]
    )
    out = view_schema(view)
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        name=service.__name__,
        operation_id=service.__name__,
        summary=summary,
        description=description,
        response_model=list[out] if many else out,
        responses=ERROR_RESPONSES,
    )
