"""Public-data pages (/public/...) and JSON API (/api/v1/public/...): public, no sign-in.

Thin: parse the request, ask reports/checks/comparison/costs, render. The app's database URL
is `app.state.database_url`; this area keeps its own engine on `app.state.publicdata_sessions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import pandas as pd
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from wso.http.static_files import CachedStaticFiles
from wso.http.templating import add_templates, templates
from wso.params import NotInForce
from wso.publicdata import charts, reports, wording
from wso.publicdata.checks import MODELS, law_check
from wso.publicdata.comparison import comparison
from wso.publicdata.costs import CostInput, estimate
from wso.publicdata.exports import CHANGE_COLUMNS, rows_of, to_csv, to_parquet
from wso.publicdata.importer import MissingSchema, require_schema
from wso.publicdata.listing import Filter, paginate
from wso.publicdata.sheets import MODEL_NAMES
from wso.publicdata.states import STATE_NAMES, state_name
from wso.store.db import make_engine, session_factory

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"
wording.register(templates.env)

STATIC_DIR = Path(__file__).parent / "static"
LAW_MODELS = (*MODELS, "BOA", "detainer")

pages = APIRouter(prefix="/public", include_in_schema=False)
api = APIRouter(prefix="/api/v1/public", tags=["public data"])

NAV = [
    {"href": "/public", "label": "Public record"},
    {"href": "/public/changes", "label": "Changes"},
    {"href": "/public/compare", "label": "Compare programs"},
    {"href": "/public/costs", "label": "Costs"},
]


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _sessions(request: Request) -> sessionmaker[Session]:
    state = request.app.state
    factory = getattr(state, "publicdata_sessions", None)
    if factory is None:
        engine = make_engine(state.database_url)
        try:
            require_schema(engine)
        except MissingSchema as exc:
            engine.dispose()
            raise HTTPException(status_code=503, detail=str(exc)) from None
        factory = session_factory(engine)
        state.publicdata_sessions = factory
    return factory


def db(request: Request) -> Iterator[Session]:
    with _sessions(request)() as session:
        yield session


DB = Annotated[Session, Depends(db)]


def _state_code(code: str) -> str:
    code = code.upper()
    if code not in STATE_NAMES:
        raise HTTPException(status_code=404, detail=f"state: {code!r} is not a two-letter US state or territory code")
    return code


def _date(value: str | None, *, field: str) -> dt.date:
    if not value:
        return _today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(status_code=422, detail=f"{field}: {value!r} is not a date YYYY-MM-DD") from None


def _page(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(
        request, f"publicdata/{name}", {"nav_items": NAV, **context}, status_code=status_code
    )


# ---- pages -------------------------------------------------------------------------------


@pages.get("", response_class=HTMLResponse)
def overview_page(request: Request, session: DB) -> HTMLResponse:
    data = reports.overview(session)
    chart_divs = []
    if data["agreements"]:
        chart_divs = [
            charts.chart(
                charts.models_chart(
                    data["agreements_by_model"], title=f"Agreements by model, {data['latest_participating']}"
                ),
                div_id="chart-models",
            ),
            charts.chart(
                charts.growth_chart(reports.growth(session), title="Agreements on each ICE sheet"),
                div_id="chart-growth",
            ),
            charts.chart(
                charts.monthly_chart(reports.signed_by_month(session), title="Agreements signed per month"),
                div_id="chart-monthly",
            ),
            charts.chart(charts.states_chart(data["by_state"], title="Agreements by state"), div_id="chart-states"),
        ]
    return _page(request, "overview.html", {"data": data, "charts": chart_divs, "state_names": STATE_NAMES})


@pages.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: DB) -> HTMLResponse:
    today = _today()
    table = comparison(on=today)
    participating = reports.latest(session, kind="participating")
    chart_divs = []
    if participating is not None:
        counts = reports.counts_by_model(session, snapshot_id=participating.id)
        chart_divs.append(
            charts.chart(
                charts.models_chart(counts, title=f"Agreements by model, sheet of {participating.as_of}"),
                div_id="chart-models",
            )
        )
    example = estimate(CostInput(), on=today)
    if example["ok"]:
        chart_divs.append(
            charts.chart(
                charts.cost_chart(example["programs"], title="Yearly cost, an example agency"),
                div_id="chart-costs",
            )
        )
    return _page(request, "compare.html", {"table": table, "charts": chart_divs, "example": example})


def _filter(q: str | None, model: str | None) -> Filter:
    try:
        return Filter.parse(q=q, model=model)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None


@pages.get("/states/{code}.csv", response_class=Response)
def state_csv(code: str, session: DB, q: str | None = None, model: str | None = None) -> Response:
    """One state's agreements (every one ever listed, or those the page's filter keeps), same columns as the
    whole country's CSV; a download named after the state."""
    state = _state_code(code)
    chosen = _filter(q, model)
    rows = chosen.apply(rows_of(reports.agreements(session, state=state)))
    name = f"ice-287g-agreements-{state}{'-filtered' if chosen.active else ''}.csv"
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@pages.get("/states/{code}", response_class=HTMLResponse)
def state_page(
    request: Request,
    code: str,
    session: DB,
    on: str | None = None,
    q: str | None = None,
    model: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    """A state's law, charts and agreements; the agreements filtered (agency words, model) and 50 to a page."""
    state = _state_code(code)
    chosen = _filter(q, model)
    data = reports.state_report(session, state=state, on=_date(on, field="on"))
    lists = {name: chosen.apply(data[name]) for name in ("active", "pending", "contradictions", "ended")}
    shown = paginate(lists["active"], page=page)
    chart_divs = []
    if data["growth"]:
        chart_divs.append(
            charts.chart(
                charts.growth_chart(data["growth"], title=f"{data['name']}: agreements on each ICE sheet"),
                div_id="chart-state-growth",
            )
        )
    if data["signed_by_month"]:
        chart_divs.append(
            charts.chart(
                charts.monthly_chart(data["signed_by_month"], title=f"{data['name']}: agreements signed per month"),
                div_id="chart-state-monthly",
            )
        )
    return _page(
        request,
        "state.html",
        {
            "data": data, "charts": chart_divs, "lists": lists, "shown": shown, "filter": chosen,
            "model_names": {m: MODEL_NAMES[m] for m in ("TFM", "WSO", "JEM")}, "on": on or "",
            "keep": {**chosen.query(), **({"on": on} if on else {})},
        },
    )  # fmt: skip


@pages.get("/agencies/{agency_id}", response_class=HTMLResponse, response_model=None)
def agency_page(request: Request, agency_id: str, session: DB) -> HTMLResponse | RedirectResponse:
    """An agency's agreements; an old spelling of its name (a renamed agency) redirects to the current one."""
    data = reports.agency_report(session, agency_id=agency_id)
    renamed = reports.current_agency(session, agency_id=agency_id) if data is None else None
    if renamed is not None:
        return RedirectResponse(f"/public/agencies/{quote(renamed, safe='')}", status_code=307)
    if data is None:
        raise HTTPException(status_code=404, detail=f"agency: no agreement of {agency_id!r} on any imported ICE sheet")
    return _page(request, "agency.html", {"data": data})


@pages.get("/agreements/{agreement_id}", response_class=HTMLResponse, response_model=None)
def agreement_page(request: Request, agreement_id: str, session: DB) -> HTMLResponse | RedirectResponse:
    """One agreement's history; a key ICE printed it under before (an old name or date) redirects to it."""
    found = reports.resolve(session, key=agreement_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"agreement: {agreement_id!r} is not on any imported ICE sheet")
    if found != agreement_id:
        return RedirectResponse(f"/public/agreements/{quote(found, safe='')}", status_code=307)
    data = reports.agreement_report(session, agreement_id=found)
    return _page(request, "agreement.html", {"data": data})


@pages.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, session: DB) -> HTMLResponse:
    """Every change between consecutive sheets, in five classes, with the cells that show it; pairs for review."""
    steps = [{**s.to_dict(), "summary": s.to_dict(rows=False)} for s in reports.snapshot_changes(session)]
    return _page(request, "changes.html", {"steps": steps})


@pages.get("/costs", response_class=HTMLResponse)
def costs_page(request: Request, params: Annotated[CostInput, Query()]) -> HTMLResponse:
    result = estimate(params, on=_today())
    chart_divs = (
        [charts.chart(charts.cost_chart(result["programs"], title="Yearly cost to the agency"), div_id="chart-costs")]
        if result["ok"]
        else []
    )
    return _page(
        request,
        "costs.html",
        {"form": params, "result": result, "charts": chart_divs},
        status_code=200 if result["ok"] else 422,
    )


# ---- JSON API ------------------------------------------------------------------------------


@api.get("/summary")
def summary_api(session: DB) -> dict[str, Any]:
    """Latest counts by model and state, snapshots imported, changes between them, contradictions."""
    return reports.overview(session)


@api.get("/agreements")
def agreements_api(
    session: DB, state: str | None = None, model: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Every agreement ever listed, with its history and its state-law check on its signing date."""
    rows = rows_of(reports.agreements(session, state=_state_code(state) if state else None, status=status))
    return [r for r in rows if model is None or r["model"] == model.upper()]


@api.get("/agreements.csv", response_class=Response)
def agreements_csv(session: DB) -> Response:
    return Response(to_csv(rows_of(reports.agreements(session))), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ice-287g-agreements.csv"'})  # fmt: skip


@api.get("/agreements.parquet", response_class=Response)
def agreements_parquet(session: DB) -> Response:
    return Response(to_parquet(rows_of(reports.agreements(session))), media_type="application/vnd.apache.parquet",
                    headers={"Content-Disposition": 'attachment; filename="ice-287g-agreements.parquet"'})  # fmt: skip


@api.get("/changes")
def changes_api(session: DB) -> list[dict[str, Any]]:
    """For each consecutive pair of sheets of one list: counts of added, ended, renamed, signing_date_corrected and
    re_signed, every row with its before/after cells and evidence, and the doubtful pairs listed for review."""
    return [s.to_dict() for s in reports.snapshot_changes(session)]


@api.get("/changes.csv", response_class=Response)
def changes_csv(session: DB) -> Response:
    """The same rows as /changes, one per line: sheets, class, agreement, before and after cells, evidence, fix."""
    frame = pd.DataFrame(reports.change_rows(reports.snapshot_changes(session)), columns=list(CHANGE_COLUMNS))
    return Response(frame.to_csv(index=False).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ice-287g-changes.csv"'})  # fmt: skip


@api.get("/agreements/{agreement_id}")
def agreement_api(agreement_id: str, session: DB) -> dict[str, Any]:
    """One agreement's history (any key ICE printed it under is accepted): sheets, names, dates, MOA, fixes, changes."""
    found = reports.resolve(session, key=agreement_id)
    data = reports.agreement_report(session, agreement_id=found) if found else None
    if data is None:
        raise HTTPException(status_code=404, detail=f"agreement: {agreement_id!r} is not on any imported ICE sheet")
    return data


@api.get("/states/{code}")
def state_api(code: str, session: DB, on: str | None = None) -> dict[str, Any]:
    return reports.state_report(session, state=_state_code(code), on=_date(on, field="on"))


@api.get("/agencies/{agency_id}")
def agency_api(agency_id: str, session: DB) -> dict[str, Any]:
    data = reports.agency_report(session, agency_id=agency_id)
    if data is None:
        raise HTTPException(status_code=404, detail=f"agency: no agreement of {agency_id!r} on any imported ICE sheet")
    return data


@api.get("/eligibility")
def eligibility_api(state: str, model: str, on: str | None = None) -> dict[str, Any]:
    """The state-law decision (forbids, restricts, requires, silent) with its citations (A8)."""
    model = model.upper()
    if model not in LAW_MODELS:
        raise HTTPException(status_code=422, detail=f"model: {model!r} is not one of {', '.join(LAW_MODELS)}")
    return law_check(state=_state_code(state), model=model, on=_date(on, field="on"))


@api.get("/comparison")
def comparison_api(on: str | None = None) -> dict[str, Any]:
    day = _date(on, field="on")
    try:
        return comparison(on=day)
    except NotInForce as exc:  # a date before the programs' first cited values: a 422, not a 500
        raise HTTPException(
            status_code=422, detail=f"on: no program data in force on {day.isoformat()} ({exc})"
        ) from None


@api.get("/costs")
def costs_api(params: Annotated[CostInput, Query()], on: str | None = None) -> dict[str, Any]:
    result = estimate(params, on=_date(on, field="on"))
    if not result["ok"]:
        raise HTTPException(status_code=422, detail=result["error"])
    return result


def install(app: FastAPI) -> None:
    app.mount("/public/static", CachedStaticFiles(directory=STATIC_DIR), name="public-static")
    app.include_router(pages)
    app.include_router(api)


__all__ = ["install", "state_name"]
