"""The home page and the public rules catalog: what anyone may read without signing in."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from wso.params.catalog import catalog_rows
from wso.web.templating import templates

router = APIRouter()

HOME_CARDS = (
    {
        "href": "/login",
        "title": "Program records",
        "text": "Sign in: agreements, the officer roster with each authorization and why, complaints and what is due.",
    },
    {"href": "/public", "title": "Public record", "text": "ICE's 287(g) sheets over time, by model, state and month."},
    {
        "href": "/public/compare",
        "title": "WSO, JEM, TFM, BOA compared",
        "text": "Powers, training, duration, costs and the 48-hour rule, with sources.",
    },
    {
        "href": "/public/costs",
        "title": "Cost estimator",
        "text": "A year of the program under WSO, a BOA or an IGSA bed rate, with the assumptions shown.",
    },
)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "home.html", {"home_cards": HOME_CARDS})


@router.get("/rules", response_class=HTMLResponse, include_in_schema=False)
def rules_catalog(request: Request) -> HTMLResponse:
    """The catalog counsel reads: every rule, every parameter version, its source and confidence."""
    return templates.TemplateResponse(request, "rules.html", {"rows": catalog_rows()})


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from this app's own copy (static/swagger-ui, with its version and licence): a CDN
    would see who reads the API docs and could serve altered code; no inline script either (CSP)."""
    return templates.TemplateResponse(request, "docs.html", {"openapi_url": request.app.openapi_url})


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def install(app: FastAPI) -> None:
    app.include_router(router)
