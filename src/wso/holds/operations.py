"""Every hold operation once: its command class, its service, its API path and its CLI name.

The API (holds/api.py) and the CLI (holds/cli.py) are both built from this table, and a test checks
that every API route of the area has a CLI command, so neither can lag behind the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from wso.holds import commands as c
from wso.holds import service as s


@dataclass(frozen=True)
class HoldOperation:
    """A change to one hold: POST /api/v1/holds/{hold_id}<suffix>, `wso holds <cli> HOLD_ID ...`."""

    name: str
    suffix: str
    cli: str
    command: type[BaseModel]
    service: Callable[..., Any]


HOLD_OPERATIONS: tuple[HoldOperation, ...] = (
    HoldOperation("change_release", "/release-changes", "change-release", c.ChangeRelease, s.change_release),
    HoldOperation("receive_warrant", "/warrants", "warrant", c.ReceiveWarrant, s.receive_warrant),
    HoldOperation("clear_for_release", "/clearance", "clear", c.ClearForRelease, s.clear_for_release),
    HoldOperation("serve_warrant", "/service", "serve", c.ServeWarrant, s.serve_warrant),
    HoldOperation("notify_ice", "/ice-notice", "notify-ice", c.NotifyIce, s.notify_ice),
    HoldOperation("claim_citizenship", "/citizenship-claims", "claim", c.ClaimCitizenship, s.claim_citizenship),
    HoldOperation(
        "report_citizenship_claim",
        "/citizenship-reports",
        "report-claim",
        c.ReportCitizenshipClaim,
        s.report_citizenship_claim,
    ),
    HoldOperation("record_ice_answer", "/citizenship-answers", "answer", c.RecordIceAnswer, s.record_ice_answer),
    HoldOperation("book_under_igsa", "/igsa-booking", "igsa-book", c.BookUnderIgsa, s.book_under_igsa),
    HoldOperation("transfer_to_ice", "/transfer", "transfer", c.TransferToIce, s.transfer_to_ice),
    HoldOperation("release_person", "/release", "release", c.Release, s.release_person),
    HoldOperation("record_act", "/acts", "act", c.RecordAct, s.record_act),
    HoldOperation("refresh", "/refresh", "refresh", c.RefreshHold, s.refresh),
)

# The other operations (operation id -> CLI command name), each written out in api.py and cli.py.
OTHER_OPERATIONS: dict[str, str] = {
    "book_person": "book",
    "list_holds": "list",
    "hold_detail": "show",
    "record_detention_agreement": "igsa-record",
    "detention_agreements": "igsa-list",
    "set_release_standard": "release-standard",
    "import_bookings": "import",
}

# Operation id -> CLI command name, for every operation of the area.
CLI_NAMES: dict[str, str] = {**{op.name: op.cli for op in HOLD_OPERATIONS}, **OTHER_OPERATIONS}


def first_sentence(doc: str | None, default: str) -> str:
    """A docstring's first sentence on one line (help texts and API summaries)."""
    text = " ".join((doc or default).split())
    head, dot, _ = text.partition(". ")
    return head + ("." if dot else "")
