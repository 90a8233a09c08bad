"""Stable ids built from what a row says, so the same agreement has the same id in every snapshot.

Shaped like the long-run history project deportationdata/ice-287g (`STATE-agency#MODEL#date`),
readable in a CSV and in a URL:

- agency id `AL-colbert-county-sheriffs-office` (state code and a slug of the agency's name:
  case, apostrophes and spacing do not make a new agency, because ICE's typing of them varies);
- line id `AL-colbert-county-sheriffs-office#WSO`: one agency in one model (rule A1), whose
  agreements follow one another (pending, signed, renewed);
- agreement id `AL-colbert-county-sheriffs-office#WSO#2025-05-08`: one signed agreement. A pending
  row has `#pending`; a SIGNED text that is not a date keeps its typing (`#typed-05-082025`),
  so the id stays stable while ICE keeps the typo, and nothing pretends to know the date.
"""

from __future__ import annotations

import datetime as dt
import re

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower case ASCII words joined by '-', apostrophes dropped ("Sheriff's" -> "sheriffs")."""
    folded = text.casefold().replace("'", "").replace("\u2019", "")
    return _NOT_SLUG.sub("-", folded).strip("-")


def agency_id(*, state: str, agency: str) -> str:
    return f"{state.upper()}-{slug(agency)}"


def line_id(*, state: str, agency: str, model: str) -> str:
    return f"{agency_id(state=state, agency=agency)}#{model}"


def agreement_id(
    *, state: str, agency: str, model: str, signed_on: dt.date | None, signed_raw: str | None, pending: bool
) -> str:
    """The id of one agreement; see the module docstring for each form."""
    if pending:
        tail = "pending"
    elif signed_on is not None:
        tail = signed_on.isoformat()
    elif signed_raw:
        tail = f"typed-{slug(signed_raw)}"
    else:
        tail = "unsigned"
    return f"{line_id(state=state, agency=agency, model=model)}#{tail}"
