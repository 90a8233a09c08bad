"""Filtering and paging a state's agreements (issue 15, item 7): Florida's 309 rows were one 27,420 px page.

Pure functions over the rows `reports.agreement_row` makes, so the page, its CSV and the tests agree on what a
filter keeps. A page number past the end shows the last page (a list that shrank since the link was made).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wso.publicdata.checks import MODELS

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filter:
    """What a reader asked for: words of the agency's name and one model (blank: any)."""

    q: str = ""
    model: str = ""

    @classmethod
    def parse(cls, *, q: str | None, model: str | None) -> Filter:
        """A filter from the query string; an unknown model is an error naming the field and the choices."""
        chosen = (model or "").strip().upper()
        if chosen and chosen not in MODELS:
            raise ValueError(f"model: {model!r} is not one of {', '.join(MODELS)} (or blank for all)")
        return cls(q=" ".join((q or "").split()), model=chosen)

    @property
    def active(self) -> bool:
        return bool(self.q or self.model)

    def keeps(self, row: dict[str, Any]) -> bool:
        """Every word of `q` in the agency's name or county (any case), and the model when one is chosen."""
        if self.model and row["model"] != self.model:
            return False
        text = f"{row['agency']} {row['county']}".casefold()
        return all(word in text for word in self.q.casefold().split())

    def apply(self, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if self.keeps(r)]

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for links that keep it: pages, the CSV)."""
        return {k: v for k, v in (("q", self.q), ("model", self.model)) if v}


@dataclass(frozen=True)
class Page:
    """One page of rows: which rows, and where it sits among the others."""

    rows: list[dict[str, Any]]
    number: int
    pages: int
    total: int
    first: int  # 1-based position of the first row shown (0 when none)
    last: int


def paginate(rows: Sequence[dict[str, Any]], *, page: int, size: int = PAGE_SIZE) -> Page:
    """Rows `size` at a time; page 1 is the first, a page past the end is the last."""
    if page < 1:
        raise ValueError(f"page: {page} is not a page number (1 or more)")
    pages = max(1, math.ceil(len(rows) / size))
    number = min(page, pages)
    start = (number - 1) * size
    shown = list(rows[start : start + size])
    return Page(
        rows=shown,
        number=number,
        pages=pages,
        total=len(rows),
        first=start + 1 if shown else 0,
        last=start + len(shown),
    )
