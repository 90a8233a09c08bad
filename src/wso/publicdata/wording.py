"""Words for the public: what the public pages say instead of the project's own shorthand (issue 15, item 7).

The rules' data cites the project's files (`PROGRAM.md`, `data/ice/moa/`) and names its inputs as code
(`holds_per_year`); a reader of the public record needs the same facts in plain words. Jinja filters, registered
on the shared template environment by `register`.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment

CONFIDENCE = {
    "H": "confidence high: read in the primary text",
    "M": "confidence medium: a reputable secondary source",
    "L": "confidence low: unverified",
}
# The cost estimator's assumptions, as its form names them.
ASSUMPTIONS = {
    "holds_per_year": "Holds for ICE a year",
    "holds_per_month": "Holds for ICE a month",
    "hours_per_hold": "Hours a person stays in the jail per hold",
    "officers": "Officers trained and authorized",
    "hourly_wage_usd": "Loaded hourly wage of an officer (USD)",
    "lea_daily_cost_usd": "The jail's own cost of a bed-day (USD)",
    "staff_hours_per_hold": "Officer hours spent on each hold",
    "training_hours": "Initial training per officer (hours)",
    "igsa_bed_rate_usd": "IGSA bed rate ICE pays per day (USD)",
}
_PROJECT_PATH = re.compile(r"\s*\(?\b(?:in |see )?(?:data|src)/[\w./-]+\)?")
_PROGRAM_SOURCES = re.compile(r"PROGRAM\.md sources list", re.IGNORECASE)
_PROGRAM = re.compile(r"PROGRAM\.md(?: section (\d+))?")


def public_text(text: Any) -> str:
    """Project file names out of a source or reason: `PROGRAM.md` becomes "the program's rules", paths go."""
    if text is None:
        return ""
    plain = _PROGRAM_SOURCES.sub("the program's list of sources", str(text))
    plain = _PROGRAM.sub(lambda m: (f"section {m.group(1)} of " if m.group(1) else "") + "the program's rules", plain)
    plain = _PROJECT_PATH.sub("", plain)
    return re.sub(r"\s+([;,.])", r"\1", plain).strip(" ;,")


def confidence(code: Any) -> str:
    """H, M, L in words."""
    return CONFIDENCE.get(str(code), f"confidence {code}")


def assumption(name: str) -> str:
    """An estimator input's label (`holds_per_year` -> "Holds for ICE a year")."""
    return ASSUMPTIONS.get(name, name.replace("_usd", " (USD)").replace("_", " ").capitalize())


def register(env: Environment) -> None:
    env.filters["public_text"] = public_text
    env.filters["confidence"] = confidence
    env.filters["assumption"] = assumption
