"""WSO vs JEM vs TFM vs BOA, side by side, from the cited params in params/programs/.

The facts are law facts and live in params (one concept per file, each dated, cited and
rated H/M/L); this module only arranges them as a table for the page, the API and the CLI.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wso.params import ParamSet, default_params

PROGRAMS = ("WSO", "JEM", "TFM", "BOA")
ASPECTS = (
    ("powers", "Powers"),
    ("training", "Training"),
    ("duration", "Duration"),
    ("hold_limit", "48-hour rule"),
    ("costs", "Costs"),
    ("sources", "Sources"),
)


def comparison(*, on: dt.date, params: ParamSet | None = None) -> dict[str, Any]:
    """One row per aspect: the text per program, and the reference and confidence behind it."""
    params = params or default_params()
    rows = []
    for key, label in ASPECTS:
        value = params.at(f"programs.{key}", on)
        rows.append(
            {
                "aspect": key,
                "label": label,
                "by_program": {p: value.value.get(p, "") for p in PROGRAMS},
                "reference": value.reference,
                "confidence": value.confidence,
                "version": value.version,
            }
        )
    return {"on": on.isoformat(), "programs": list(PROGRAMS), "rows": rows}
