"""Two page builders, the pages' twin of wso.http.api_routes: a page (GET) and its forms (POST).

A `Page` knows how to load its context for one record id as of an instant, including the time
zone its forms are read in. `page(...)` draws it; `form(...)` posts one command to a service,
then redirects (303) to the record's page, or draws the page again with the errors and the input.

Post/redirect/get, and why a failed form is not redirected: a success is always a 303 (a reload
never posts twice). A refusal is drawn at once in the POST's answer, as GOV.UK and USWDS services
do: the page comes back with an error summary, every message beside its field and what was typed,
and nothing has to be kept between requests (no person's input parked in a cookie, in memory or in
a table waiting to expire). What made reloading such a page fail was the GET: the form's URL had
none, so a reload-by-address or a bookmark gave a 405. Every form URL now answers GET with a 303
to its record's page (at the form), so no person ever meets a 405 there; reloading the refused
page itself re-posts the same input (the browser asks first) and gets the same answer.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from wso.http.auth import PageActor, now, unit_of_work
from wso.http.confirm import Consequences, Rehearsed, ask_first
from wso.http.forms import NO_FORM, FormState, parse_form, submit
from wso.http.render import render
from wso.services.commands import Command
from wso.services.conflicts import changes_since
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

_PATH_PARAM = re.compile(r"{(\w+)}")
# Where each Page is drawn (its first `page(...)` path), so a form's URL can send a GET there.
_PAGE_PATHS: dict[int, str] = {}


@dataclass(frozen=True)
class Page:
    """A records page: its template and how to load its context (which must hold "zone")."""

    template: str
    id_param: str
    load: Callable[[UnitOfWork, Actor, str, datetime], dict[str, Any]]

    def draw(self, request: Request, actor: Actor, record_id: str, form: FormState = NO_FORM) -> Response:
        """The page; its records' reads are logged when it is drawn for a GET, not when a form that
        failed is drawn again from the input (the person saw the record already, with the form)."""
        with unit_of_work(request) as uow:
            context = self.load(uow, actor, record_id, now())
            if form.problem is not None and form.problem.conflict is not None:
                entity, entity_id, version = form.problem.conflict
                changes = changes_since(uow, actor=actor, entity=entity, entity_id=entity_id, version=version)
                form = replace(form, changes=tuple(changes))
            if form is not NO_FORM:
                uow.forget_reads()
        return render(request, self.template, context, actor=actor, form=form)

    def zone(self, request: Request, actor: Actor, record_id: str) -> str:
        """The time zone a form's datetime-local fields are read in: nothing is shown, no read logged."""
        with unit_of_work(request) as uow:
            zone = str(self.load(uow, actor, record_id, now())["zone"])
            uow.forget_reads()
            return zone


def page(router: APIRouter, path: str, the_page: Page) -> None:
    """GET `path`: the page for the record named by its one path id."""

    def endpoint(request: Request, actor: PageActor, **ids: str) -> Response:
        return the_page.draw(request, actor, ids[the_page.id_param])

    endpoint.__signature__ = _signature(path)  # type: ignore[attr-defined]
    router.add_api_route(path, endpoint, methods=["GET"], name=f"page:{path}")
    _PAGE_PATHS.setdefault(id(the_page), path)


def _to_page(router: APIRouter, path: str, page_path: str, name: str) -> None:
    """GET on a form's URL (a reload by address, a bookmark, the back button after a refusal): 303 to
    its record's page at the form, never a 405. Nothing is read here; the page checks who asks."""
    ids = set(_PATH_PARAM.findall(page_path))

    def endpoint(**path_values: str) -> Response:
        target = _PATH_PARAM.sub(lambda m: quote(path_values[m.group(1)], safe=""), page_path)
        return RedirectResponse(f"{target}#form-{name}", status_code=303)

    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(i, inspect.Parameter.KEYWORD_ONLY, annotation=str) for i in _PATH_PARAM.findall(path)]
    )
    if not ids <= set(_PATH_PARAM.findall(path)):
        raise ValueError(f"{path}: its page {page_path} needs ids the form's URL does not carry")
    router.add_api_route(path, endpoint, methods=["GET"], name=f"form-page:{name}", include_in_schema=False)


def form(
    router: APIRouter,
    path: str,
    command: type[Command],
    *,
    on: Page,
    then: Callable[[Any], str],
    confirm: Consequences | None = None,
) -> None:
    """POST `path`: the form of `command` (the API body class), drawn on `on`; `then(view)` is where to go next.

    With `confirm` (a serious act, wso.http.confirm), the first POST is rehearsed (the service runs and is
    rolled back): a refusal takes the usual error path, an accepted act answers with the confirmation page
    listing `confirm(command)`; only the POST with `confirm=yes` writes."""
    ids = set(_PATH_PARAM.findall(path))
    if not set(command.ids) <= ids:
        raise ValueError(f"{path}: {command.__name__} needs the ids {command.ids}")
    service, schema, name = command.service, command, command.operation()

    async def endpoint(request: Request, actor: PageActor, **path_values: str) -> Response:
        record_id = path_values[on.id_param]
        zone = await run_in_threadpool(on.zone, request, actor, record_id)

        def run(data: dict[str, str], *, rehearse: bool = False) -> str:
            from_path = {k: v for k, v in path_values.items() if k in schema.model_fields}  # e.g. the agency's id
            command = parse_form(schema, {**data, **from_path}, zone=zone)
            arguments = {k: v for k, v in path_values.items() if k in command.ids}
            with unit_of_work(request) as uow:
                view = service(uow, actor=actor, at=now(), **arguments, **command.model_dump())
                uow.forget_reads()  # the answer is a redirect: the page it leads to logs what it shows
                if rehearse:
                    raise Rehearsed(command)  # rolls the unit of work back: nothing is written
            return then(view)

        def redraw(state: FormState) -> Response:
            return on.draw(request, actor, record_id, state)

        if confirm is not None:
            back = path.split("{" + on.id_param + "}")[0] + record_id  # the record's page
            asked = await ask_first(
                request,
                confirm,
                actor=actor,
                rehearse=partial(run, rehearse=True),
                form=name,
                redraw=redraw,
                back=back,
                zone=zone,
            )
            if asked is not None:
                return asked
        return await submit(request, form=name, run=run, redraw=redraw)

    endpoint.__signature__ = _signature(path)  # type: ignore[attr-defined]
    router.add_api_route(path, endpoint, methods=["POST"], name=f"form:{name}")
    page_path = _PAGE_PATHS.get(id(on))
    if page_path is not None and page_path != path:  # a form posted to its page's own URL has its GET already
        _to_page(router, path, page_path, name)


def _signature(path: str) -> inspect.Signature:
    kw = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature(
        [
            inspect.Parameter("request", kw, annotation=Request),
            inspect.Parameter("actor", kw, annotation=PageActor),
            *(inspect.Parameter(i, kw, annotation=str) for i in _PATH_PARAM.findall(path)),
        ]
    )
