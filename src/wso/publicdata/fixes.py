"""Manual identity decisions: which printed rows are one agreement, or must never be joined, and why.

The automatic rules (identity.py) join rows only on strong evidence and list the doubtful cases
for review. A person then decides each case here, in `data/identity-fixes.csv`, shaped like the
public archive deportationdata/ice-287g (`inputs/agency-name-fixes.csv`, `inputs/agency-aliases.csv`):
one row per decision, naming the two printings (state, model, agency and SIGNED as ICE printed
them), the decision (`same`: one agreement; `distinct`: never join them automatically), the
reason and the source (the MOA, the sheet rows, the archive row). The file is read strictly: a
bad row stops the import with the row and the field named, never a silent skip.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from wso.publicdata.ids import agreement_id
from wso.publicdata.sheets import SUPPORT_TYPES
from wso.publicdata.states import STATE_NAMES

FIXES_FILE = Path(__file__).parent / "data" / "identity-fixes.csv"
COLUMNS = (
    "state", "model", "agency_before", "signed_before", "agency_after", "signed_after", "decision", "reason", "source",
)  # fmt: skip
Decision = Literal["same", "distinct"]
_MODELS = set(SUPPORT_TYPES.values())


class FixesError(ValueError):
    """The fixes file is malformed: names the file, the line and the field."""


@dataclass(frozen=True)
class Fix:
    """One decision: the agreement printed as `before` and the one printed as `after` are `decision`."""

    line: int
    state: str
    model: str
    agency_before: str
    signed_before: dt.date | None
    agency_after: str
    signed_after: dt.date | None
    decision: Decision
    reason: str
    source: str

    @property
    def before_key(self) -> str:
        return _key(self.state, self.agency_before, self.model, self.signed_before)

    @property
    def after_key(self) -> str:
        return _key(self.state, self.agency_after, self.model, self.signed_after)

    @property
    def fix_id(self) -> str:
        """A stable name for the decision, shown beside the rows it joined."""
        return f"fix:{self.before_key}>{self.after_key}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "fix": self.fix_id,
            "file": FIXES_FILE.name,
            "line": self.line,
            "state": self.state,
            "model": self.model,
            "agency_before": self.agency_before,
            "signed_before": self.signed_before.isoformat() if self.signed_before else None,
            "agency_after": self.agency_after,
            "signed_after": self.signed_after.isoformat() if self.signed_after else None,
            "decision": self.decision,
            "reason": self.reason,
            "source": self.source,
        }


def _key(state: str, agency: str, model: str, signed: dt.date | None) -> str:
    """The printed key (ids.py) of a row: a blank date names a pending row."""
    return agreement_id(
        state=state, agency=agency, model=model, signed_on=signed, signed_raw=None, pending=signed is None
    )


def _date(value: str, *, where: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FixesError(f"{where}, {field}: {value!r} is not a date YYYY-MM-DD (blank for a pending row)") from None


def read_fixes(path: Path = FIXES_FILE) -> tuple[Fix, ...]:
    """Every decision in the file, checked; the first bad field stops the read with its line named."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise FixesError(
                f"{path.name}: header must be {','.join(COLUMNS)}, found {','.join(reader.fieldnames or ())}"
            )
        fixes = [_fix(row, line=number, name=path.name) for number, row in enumerate(reader, start=2)]
    seen: dict[tuple[str, str], int] = {}
    for fix in fixes:
        pair = (fix.before_key, fix.after_key)
        if pair in seen:
            raise FixesError(f"{path.name}: line {fix.line}: the same two rows as line {seen[pair]}")
        seen[pair] = fix.line
    return tuple(fixes)


def _fix(row: dict[str, str | None], *, line: int, name: str) -> Fix:
    where = f"{name}: line {line}"
    cell = {c: (row.get(c) or "").strip() for c in COLUMNS}
    if None in row:
        raise FixesError(f"{where}: more cells than the {len(COLUMNS)} columns")
    if cell["state"] not in STATE_NAMES:
        raise FixesError(f"{where}, state: {cell['state']!r} is not a two-letter US state or territory code")
    if cell["model"] not in _MODELS:
        raise FixesError(f"{where}, model: {cell['model']!r} is not one of {', '.join(sorted(_MODELS))}")
    for field in ("agency_before", "agency_after", "reason", "source"):
        if not cell[field]:
            raise FixesError(f"{where}, {field}: blank; every decision names both printings, its reason and its source")
    if cell["decision"] not in ("same", "distinct"):
        raise FixesError(f"{where}, decision: {cell['decision']!r} is not 'same' or 'distinct'")
    fix = Fix(
        line=line,
        state=cell["state"],
        model=cell["model"],
        agency_before=cell["agency_before"],
        signed_before=_date(cell["signed_before"], where=where, field="signed_before"),
        agency_after=cell["agency_after"],
        signed_after=_date(cell["signed_after"], where=where, field="signed_after"),
        decision=cell["decision"],  # type: ignore[arg-type]
        reason=cell["reason"],
        source=cell["source"],
    )
    if fix.before_key == fix.after_key:
        raise FixesError(f"{where}: before and after are the same printing ({fix.before_key}); nothing to decide")
    return fix


@lru_cache(maxsize=1)
def shipped_fixes() -> tuple[Fix, ...]:
    """The project's own decisions, read once per process."""
    return read_fixes()
