"""Records lists people can work with: search, a status filter, sort, pages and a CSV of the same rows.

A list view is its address: every choice is a GET query parameter (`q`, `status`, `sort`, `order`, `page`,
`format=csv`, `at`), so a view can be bookmarked and shared, and the form that sets them works without
JavaScript. A parameter that names nothing (`page=abc`, `sort=nonsense`) is refused with a 422 page naming
it (InvalidInput): a silent fallback would show a list that is not the one the link promised.

The rows are filtered, sorted and cut into pages here, over the rows a service has already loaded, so a
list costs the same number of SQL queries whatever is asked (tests/integration/test_query_counts.py).
"""

from __future__ import annotations

import csv
import inspect
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wso.http.auth import PageActor, now, unit_of_work
from wso.http.forms import local_instant
from wso.http.render import render
from wso.services.errors import InvalidInput
from wso.services.lookup import log_reads
from wso.services.permissions import Actor
from wso.store.uow import UnitOfWork

PAGE_SIZE = 25
ORDERS = ("asc", "desc")
_Q_MAX = 200  # a search longer than any name or summary finds nothing anyway


@dataclass(frozen=True)
class Column:
    """A column a list can be sorted by: its query key, its header and the value rows are ordered by."""

    key: str
    label: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListSpec:
    """What one list offers: its sortable columns, what its search box looks in, its status filter
    (value, label, test) and its CSV (header, row)."""

    name: str
    columns: tuple[Column, ...]
    default_sort: str
    search_label: str
    searched: Callable[[Any], Sequence[str]]
    statuses: tuple[tuple[str, str, Callable[[Any], bool]], ...]
    csv_header: tuple[str, ...]
    csv_row: Callable[[Any, datetime], Sequence[Any]]  # a row as of the instant the list is drawn
    default_order: str = "asc"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class ListQuery:
    """The choices read from a list's address, each checked."""

    q: str = ""
    status: str = ""
    sort: str = ""
    order: str = "asc"
    page: int = 1
    csv: bool = False
    at: str = ""  # as typed (a datetime-local value or an instant with offset); "" is now


def read_query(query: Mapping[str, str], spec: ListSpec) -> ListQuery:
    """The list's choices in `query`, or InvalidInput naming the first parameter that names nothing."""
    q = query.get("q", "").strip()
    if len(q) > _Q_MAX:
        raise InvalidInput("q", f"Enter a search of at most {_Q_MAX} characters")
    status = query.get("status", "").strip()
    known_statuses = [value for value, _, _ in spec.statuses]
    if status and status not in known_statuses:
        raise InvalidInput(
            "status", f"{status!r} is not a status of this list; choose one of {', '.join(known_statuses)}"
        )
    sort = query.get("sort", "").strip() or spec.default_sort
    keys = [c.key for c in spec.columns]
    if sort not in keys:
        raise InvalidInput("sort", f"{sort!r} is not a column of this list; sort by one of {', '.join(keys)}")
    order = query.get("order", "").strip() or (spec.default_order if sort == spec.default_sort else "asc")
    if order not in ORDERS:
        raise InvalidInput("order", f"{order!r} is not an order; use asc or desc")
    raw_page = query.get("page", "").strip() or "1"
    if not raw_page.isdigit() or int(raw_page) < 1 or len(raw_page) > 9:
        raise InvalidInput("page", f"{raw_page!r} is not a page number; enter a whole number from 1")
    form = query.get("format", "").strip()
    if form not in ("", "html", "csv"):
        raise InvalidInput("format", f"{form!r} is not a format of this list; use csv (or leave it out for the page)")
    return ListQuery(
        q=q,
        status=status,
        sort=sort,
        order=order,
        page=int(raw_page),
        csv=form == "csv",
        at=query.get("at", "").strip(),
    )


def as_of(raw: str, *, zone: str, now: datetime) -> datetime:
    """The instant a list is drawn as of: `now` when `at` is blank, else the `at` typed in the agency's
    zone (a datetime-local value) or given with its offset (ISO 8601); InvalidInput names `at` otherwise."""
    if not raw:
        return now
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("at", f"{raw!r} is not a date and time; enter it as 2026-11-26T14:05") from None
    if parsed.tzinfo is not None:
        return parsed
    return local_instant("at", raw, zone=zone)


@dataclass(frozen=True)
class Listing:
    """One page of a list, as the template draws it, and the links to every other view of it."""

    spec: ListSpec
    query: ListQuery
    path: str
    rows: list[Any]  # this page's rows
    matched: list[Any] = field(repr=False)  # every row matching the search and the filter (the CSV)
    total: int = 0  # rows before searching and filtering
    pages: int = 1

    @property
    def count(self) -> int:
        return len(self.matched)

    @property
    def first(self) -> int:
        """The number of this page's first row (1-based); 0 when nothing matches."""
        return (self.query.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def filtered(self) -> bool:
        return bool(self.query.q or self.query.status)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label, _ in self.spec.statuses]

    @property
    def status_label(self) -> str:
        return next((label for value, label in self.statuses if value == self.query.status), "")

    def params(self, **changes: Any) -> dict[str, str]:
        """The query parameters of this view with `changes` (a value of None or "" drops the parameter);
        defaults are left out so links stay short."""
        q = self.query
        values: dict[str, Any] = {"q": q.q, "status": q.status, "sort": q.sort, "order": q.order, "page": q.page}
        values["at"] = q.at
        values.update(changes)
        sort = values["sort"] or self.spec.default_sort
        if sort == self.spec.default_sort:
            values["sort"] = ""
        if values["order"] == self._default_order(sort):
            values["order"] = ""
        if str(values["page"]) == "1":
            values["page"] = ""
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def url(self, **changes: Any) -> str:
        params = self.params(**changes)
        return self.path + ("?" + urlencode(params) if params else "")

    def _default_order(self, sort: str) -> str:
        return self.spec.default_order if sort == self.spec.default_sort else "asc"

    def sort_url(self, key: str) -> str:
        """The header's link: sort by `key`, ascending, or the other way round when it is the current sort."""
        order = ("desc" if self.query.order == "asc" else "asc") if key == self.query.sort else "asc"
        return self.url(sort=key, order=order, page="")

    def aria_sort(self, key: str) -> str:
        if key != self.query.sort:
            return "none"
        return "ascending" if self.query.order == "asc" else "descending"

    def page_url(self, page: int) -> str:
        return self.url(page=page if page != 1 else "")

    @property
    def csv_url(self) -> str:
        return self.url(page="", format="csv")


def listing(rows: Sequence[Any], spec: ListSpec, query: ListQuery, *, path: str) -> Listing:
    """`rows` searched, filtered, sorted and cut to the page asked for; a page past the last is refused."""
    matched = list(rows)
    if query.q:
        needle = query.q.casefold()
        matched = [r for r in matched if any(needle in (text or "").casefold() for text in spec.searched(r))]
    if query.status:
        test = next(t for value, _, t in spec.statuses if value == query.status)
        matched = [r for r in matched if test(r)]
    column = spec.column(query.sort)
    # Rows without a value (None) go last whichever way the list is sorted; ties keep the service's order.
    present = [r for r in matched if column.value(r) is not None]
    absent = [r for r in matched if column.value(r) is None]
    present.sort(key=column.value, reverse=query.order == "desc")
    matched = present + absent
    pages = max(1, math.ceil(len(matched) / PAGE_SIZE))
    if query.page > pages and not query.csv:
        raise InvalidInput("page", f"page {query.page} does not exist: this view has {pages} page(s)")
    start = (query.page - 1) * PAGE_SIZE
    return Listing(
        spec=spec,
        query=query,
        path=path,
        rows=matched[start : start + PAGE_SIZE],
        matched=matched,
        total=len(rows),
        pages=pages,
    )


def iso(value: datetime | None) -> str:
    """An instant in a CSV: ISO 8601 with its offset (UTC as stored), blank when there is none."""
    return value.isoformat() if value is not None else ""


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula (=, +, -, @ first) is quoted with an
    apostrophe (OWASP, CSV injection): a complaint's summary is typed by anyone."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(view: Listing, *, filename: str, at: datetime) -> Response:
    """Every row of the view (not only one page) as CSV with a header row, as a download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(view.spec.csv_header)
    for row in view.matched:
        writer.writerow([_cell(v) for v in view.spec.csv_row(row, at)])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def note_shown(
    uow: UnitOfWork,
    view: Listing,
    *,
    actor: Actor,
    at: datetime,
    entity: str,
    agency_id: str,
    ids: Callable[[Any], str],
) -> None:
    """Logs the reads of the person records this view shows, and only those: the service noted every row it
    loaded, but a page shows 25 and a search fewer; the CSV shows every matching row. Call it right after
    the list's service, before anything else of the request notes reads (it forgets what was noted)."""
    uow.forget_reads()
    shown = view.matched if view.query.csv else view.rows
    log_reads(uow, actor=actor, at=at, entity=entity, entity_ids=[ids(r) for r in shown], agency_id=agency_id)


def list_page(router: APIRouter, path: str, page: Any) -> None:
    """GET `path`: a list page (a `wso.http.page_routes.Page` whose `load` takes `query=`): the page, or
    the CSV when the load puts a response under "download" (`?format=csv`)."""

    def endpoint(request: Request, actor: PageActor, **ids: str) -> Response:
        with unit_of_work(request) as uow:
            context = page.load(uow, actor, ids[page.id_param], now(), query=request.query_params)
        download = context.get("download")
        if isinstance(download, Response):
            return download
        return render(request, page.template, context, actor=actor)

    kw = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", kw, annotation=Request),
            inspect.Parameter("actor", kw, annotation=PageActor),
            inspect.Parameter(page.id_param, kw, annotation=str),
        ]
    )
    router.add_api_route(path, endpoint, methods=["GET"], name=f"page:{path}")
