"""How much of a hidden count the published totals give away (the publisher's own check).

An attacker knows what the public table says: shown numbers, that a "<11" entry is 1..10 and that a
"suppressed" entry is some count >= 0; and that each row and column adds up to its total. It solves
those equations by interval propagation (a row or column with one unknown gives it exactly; with
several, bounds tighten) until nothing changes. A hidden entry pinned to one value is recovered.
"""

from __future__ import annotations

BIG = 10**12


def pinned(table: list[list[str]]) -> dict[tuple[int, int], int]:
    """Hidden entries whose value the published table determines exactly, with that value.

    `table` is the grid as published, the last row and column being the totals."""
    n_rows, n_cols = len(table), len(table[0])
    lo: dict[tuple[int, int], int] = {}
    hi: dict[tuple[int, int], int] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            text = table[i][j]
            if text == "<11":
                lo[(i, j)], hi[(i, j)] = 1, 10
            elif text == "suppressed":
                lo[(i, j)], hi[(i, j)] = 0, BIG
            else:
                lo[(i, j)] = hi[(i, j)] = int(text)
    equations = [([(i, j) for j in range(n_cols - 1)], (i, n_cols - 1)) for i in range(n_rows)]
    equations += [([(i, j) for i in range(n_rows - 1)], (n_rows - 1, j)) for j in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for parts, total in equations:
            # total = sum(parts): tighten the total, then each part.
            new_lo, new_hi = max(lo[total], sum(lo[p] for p in parts)), min(hi[total], sum(hi[p] for p in parts))
            if (new_lo, new_hi) != (lo[total], hi[total]):
                lo[total], hi[total], changed = new_lo, new_hi, True
            for p in parts:
                others_lo = sum(lo[q] for q in parts if q != p)
                others_hi = sum(hi[q] for q in parts if q != p)
                p_lo, p_hi = max(lo[p], lo[total] - others_hi), min(hi[p], hi[total] - others_lo)
                if (p_lo, p_hi) != (lo[p], hi[p]):
                    lo[p], hi[p], changed = p_lo, p_hi, True
    return {p: lo[p] for p in lo if table[p[0]][p[1]] in ("<11", "suppressed") and lo[p] == hi[p]}
