"""A record's history (`/officers/<id>/history`, and the same for agreements, complaints and holds)
and the ledger page (`/ledger`) with its "Check the ledger" button.

The check is a GET (`/ledger?check=1`): it reads and writes nothing, so reloading it is harmless and
it needs no CSRF token. On the demo county it takes well under a second, so it runs in the request.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wso.history import service as history
from wso.http.auth import PageActor, now, unit_of_work
from wso.http.render import render
from wso.http.templating import add_templates

add_templates(Path(__file__).parent / "templates")  # this area's templates: "<area>/<page>.html"

router = APIRouter()


def _history_route(entity: str, prefix: str) -> None:
    def endpoint(request: Request, actor: PageActor, record_id: str) -> Response:
        with unit_of_work(request) as uow:
            record = history.record_history(uow, actor=actor, at=now(), entity=entity, record_id=record_id)
        return render(request, "history/history.html", {"history": record, "zone": record.zone}, actor=actor)

    router.add_api_route(f"{prefix}/{{record_id}}/history", endpoint, methods=["GET"], name=f"history:{entity}")


for _entity, (_label, _prefix) in history.ENTITIES.items():
    _history_route(_entity, _prefix)


@router.get("/ledger")
def ledger_page(request: Request, actor: PageActor, check: str = "") -> Response:
    with unit_of_work(request) as uow:
        state = history.ledger_state(uow, actor=actor)
        result = history.check_ledger(uow, actor=actor) if check else None
    zone = "UTC"
    return render(request, "history/ledger.html", {"state": state, "check": result, "zone": zone}, actor=actor)
