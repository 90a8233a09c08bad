"""The home page and the public rules catalog: what anyone may read without signing in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse

from wso.http.render import signed_in
from wso.http.templating import add_templates, templates
from wso.params.catalog import CatalogRow, catalog_rows
from wso.publicdata import wording

wording.register(templates.env)  # the rules page speaks to the public too: no project file names in its sources

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

STATIC_DIR = Path(__file__).parent / "static"  # the site's own static files, served at /static
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


# A signed-in user's way into the records is the roster, not the sign-in form again.
SIGNED_IN_CARD = {
    "href": "/officers",
    "title": "Program records",
    "text": "Agreements, the officer roster with each authorization and why, complaints and what is due.",
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    cards = [SIGNED_IN_CARD if signed_in(request) and c["href"] == "/login" else c for c in HOME_CARDS]
    return templates.TemplateResponse(request, "home.html", {"home_cards": cards})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """For clients that ask the old place; pages name /static/favicon.svg in their <head>."""
    return FileResponse(
        STATIC_DIR / "favicon.svg", media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


_PAIR = re.compile(r"(?:^|, )([A-Za-z][A-Za-z0-9_]*)=")
_UNITS = {"months": "months", "minutes": "minutes", "days": "days", "percent": "%", "usd": "USD", "hours": "hours"}


def readable_value(value: str) -> list[tuple[str, str]] | str:
    """A parameter's value in words: `anchor=first_class_certified, from_months=9` becomes the pairs
    ("Anchor", "first class certified"), ("From (months)", "9"); a plain value stays as it is."""
    keys = list(_PAIR.finditer(value))
    if not keys or keys[0].start() != 0:
        plural = re.fullmatch(r"(\d+(?:\.\d+)?) (day|hour|minute|month|year|week)", value)
        return f"{value}s" if plural and plural.group(1) != "1" else value
    pairs = []
    for this, after in zip(keys, [*keys[1:], None], strict=True):
        key, text = this.group(1), value[this.end() : after.start() if after else len(value)]
        *words, last = key.split("_")
        label = " ".join([*words, last]) if last not in _UNITS else f"{' '.join(words)} ({_UNITS[last]})"
        shown = text.replace("_", " ") if re.fullmatch(r"[a-z0-9_]+", text) else text
        pairs.append((label[:1].upper() + label[1:] if not key.isupper() else key, shown))
    return pairs


def _rule_groups(rows: list[CatalogRow], words: list[str]) -> list[dict[str, Any]]:
    """Rows grouped under their rule; with search words, only the rules whose text (or a parameter's) has them all."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not row.value and not row.validity:
            groups.append({"rule": row, "rows": []})
        elif groups:
            name, _, description = row.rule.partition(": ")
            groups[-1]["rows"].append({"row": row, "name": name if description else "", "text": description or name,
                                       "value": readable_value(row.value)})  # fmt: skip
    if not words:
        return groups

    def text(group: dict[str, Any]) -> str:
        parts = [group["rule"].id, group["rule"].rule, group["rule"].source]
        parts += [f"{r['row'].rule} {r['row'].value} {r['row'].source}" for r in group["rows"]]
        return " ".join(parts).casefold()

    return [g for g in groups if all(w in text(g) for w in words)]


@router.get("/rules", response_class=HTMLResponse, include_in_schema=False)
def rules_catalog(request: Request, q: str | None = None) -> HTMLResponse:
    """The catalog counsel reads: every rule, every parameter version, its source and confidence; a table of
    contents, and a search (`?q=`, words in any order, any case) done here, so the page needs no script."""
    words = (q or "").casefold().split()
    everything = _rule_groups(catalog_rows(), [])
    shown = _rule_groups(catalog_rows(), words) if words else everything
    return templates.TemplateResponse(
        request, "rules.html", {"groups": shown, "total": len(everything), "q": " ".join((q or "").split())}
    )


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
