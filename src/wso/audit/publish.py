"""The transparency report: counts the public may see, with small cells suppressed.

Why both kinds of suppression: a count of 1 to 10 people can identify them (CMS cell-size policy:
shown as "<11"); and when a row or column total is published, a single hidden cell in it could be
worked out by subtraction, so further cells are hidden too (complementary suppression) until every
row and column with a hidden value hides at least two, checked again after each round. A
complementary cell is shown as "suppressed" (it may hold any number). No booking number, name or
officer identity is published: only counts by agency or facility and rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from wso.audit.disclosure import pinned
from wso.audit.modality import MUST
from wso.audit.run import AuditResult

SMALL_MIN, SMALL_MAX = 1, 10
SMALL = "<11"
HIDDEN = "suppressed"
TOTAL = "total"


@dataclass
class PublicTable:
    """A grid of counts with row and column totals, and which entries are hidden and why."""

    rows: list[str]
    columns: list[str]  # the last is TOTAL; the last row is TOTAL
    values: list[list[int]]
    hidden: dict[tuple[int, int], str]

    def shown(self, i: int, j: int) -> str:
        return self.hidden.get((i, j), str(self.values[i][j]))

    def as_records(self) -> list[dict[str, str]]:
        head = "row"
        return [
            {head: name, **{c: self.shown(i, j) for j, c in enumerate(self.columns)}}
            for i, name in enumerate(self.rows)
        ]


def grid(result: AuditResult, *, by: str) -> tuple[list[str], list[str], list[list[int]]]:
    """Findings (must) counted by `by` (agency or facility) and rule, with totals (last row/column)."""
    frame = result.findings.select([by, "rule", "modality"]).to_pandas()
    frame = frame[frame["modality"] == MUST]
    rules = sorted(frame["rule"].unique())
    names = sorted(frame[by].unique())
    counts = frame.groupby([by, "rule"]).size()
    values = [[int(counts.get((n, r), 0)) for r in rules] for n in names]
    values = [row + [sum(row)] for row in values]
    values.append([sum(col) for col in zip(*values, strict=True)] if values else [0])
    return names + [TOTAL], rules + [TOTAL], values


def suppress(rows: list[str], columns: list[str], values: list[list[int]]) -> PublicTable:
    """Primary suppression of every count 1..10 (cells and totals), then complementary suppression: while
    a row or column (with its total) hides exactly one entry, hide the smallest other non-zero entry of it
    (a zero is known to be zero only if shown; hiding one does not protect: it is chosen last)."""
    hidden: dict[tuple[int, int], str] = {}
    n_rows, n_cols = len(values), len(values[0]) if values else 0
    for i in range(n_rows):
        for j in range(n_cols):
            if SMALL_MIN <= values[i][j] <= SMALL_MAX:
                hidden[(i, j)] = SMALL
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)] + [
        [(i, j) for i in range(n_rows)] for j in range(n_cols)
    ]

    def hide_another(line: list[tuple[int, int]]) -> bool:
        candidates = [p for p in line if p not in hidden]
        if not candidates:
            return False
        # Prefer a non-zero inner cell (not a total), the smallest; a zero only if nothing else.
        candidates.sort(
            key=lambda p: (values[p[0]][p[1]] == 0, p[0] == n_rows - 1 or p[1] == n_cols - 1, values[p[0]][p[1]])
        )
        hidden[candidates[0]] = HIDDEN
        return True

    while True:
        changed = True
        while changed:  # no row or column may hide exactly one entry
            # a list, not a generator: every line gets its turn, not only those before the first change
            changed = any([hide_another(line) for line in lines if sum(p in hidden for p in line) == 1])  # noqa: C419
        shown = [[hidden.get((i, j), str(values[i][j])) for j in range(n_cols)] for i in range(n_rows)]
        leaks = pinned(shown)  # bounds from the totals can still pin a hidden entry: widen around it
        if not leaks:
            break
        progressed = False
        for cell in leaks:
            line = min((ln for ln in lines if cell in ln), key=lambda ln: sum(p in hidden for p in ln))
            progressed = hide_another(line) or progressed
        if not progressed:
            raise RuntimeError("complementary suppression could not protect every hidden count")
    return PublicTable(rows, columns, values, hidden)


def publish(result: AuditResult, *, by: str, out: Path) -> list[Path]:
    """Write findings.csv and findings.json (the suppressed public table) into `out`."""
    import csv

    rows, columns, values = grid(result, by=by)
    table = suppress(rows, columns, values)
    out.mkdir(parents=True, exist_ok=True)
    records = table.as_records()
    csv_path, json_path = out / "findings.csv", out / "findings.json"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["row", *columns])
        writer.writeheader()
        writer.writerows(records)
    notes = {
        "by": by,
        "counts": "findings (must) by rule; departures are not published",
        "suppression": f"1-{SMALL_MAX} shown as {SMALL!r}; complementary cells shown as {HIDDEN!r}",
        "holds_audited": SMALL if SMALL_MIN <= result.holds <= SMALL_MAX else result.holds,
    }
    json_path.write_text(json.dumps({"notes": notes, "table": records}, indent=2) + "\n", encoding="utf-8")
    return [csv_path, json_path]
