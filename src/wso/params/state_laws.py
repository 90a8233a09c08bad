"""State laws that forbid, restrict or require participation (PROGRAM.md section 8), as data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from wso.params.loader import PARAMS_DIR, ParamError, first_error, note_read, read_yaml

Effect = Literal["forbids", "restricts", "requires"]
Model = Literal["WSO", "JEM", "TFM", "BOA", "detainer"]


class _LawModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: str
    state: str
    law: str
    signed: dt.date | None = None
    effective: dt.date
    comply_by: dt.date | None = None
    ends: dt.date | None = None
    effect: Effect
    models: list[Model]
    summary: str
    source: str
    confidence: Literal["H", "M", "L", "H/M", "M/H"]
    doubt: str | None = None

    @field_validator("state")
    @classmethod
    def _two_letters(cls, state: str) -> str:
        if len(state) != 2 or not state.isupper():
            raise ValueError("state must be a two-letter postal code such as CA")
        return state


@dataclass(frozen=True)
class StateLaw:
    """One state law as data. `signed` and `effective` are kept apart (a law binds from its effective
    date, not its signing); `comply_by` is when a law that requires an agreement must be met; `doubt`
    is shown with every answer that rests on the law."""

    id: str
    state: str
    law: str
    effective: dt.date
    ends: dt.date | None
    effect: Effect
    models: tuple[str, ...]
    summary: str
    source: str
    confidence: str
    signed: dt.date | None = None
    comply_by: dt.date | None = None
    doubt: str | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective <= day and (self.ends is None or day < self.ends)

    @property
    def deadline(self) -> dt.date:
        """For a law that requires an agreement: the day by which it must be met."""
        return self.comply_by or self.effective


def load_state_laws(path: Path = PARAMS_DIR / "states" / "laws.yaml") -> tuple[StateLaw, ...]:
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("laws"), list):
        raise ParamError("params/states/laws.yaml: expected a key 'laws' holding a list")
    laws: list[StateLaw] = []
    seen: set[str] = set()
    for index, body in enumerate(raw["laws"]):
        try:
            parsed = _LawModel.model_validate(body)
        except ValidationError as exc:
            label = body.get("id", f"#{index}") if isinstance(body, dict) else f"#{index}"
            raise ParamError(f"params/states/laws.yaml: law {label}: {first_error(exc)}") from None
        if parsed.id in seen:
            raise ParamError(f"params/states/laws.yaml: law {parsed.id}: key id: duplicate id")
        seen.add(parsed.id)
        laws.append(StateLaw(**{**parsed.model_dump(), "models": tuple(parsed.models)}))
    return tuple(laws)


def default_state_laws() -> tuple[StateLaw, ...]:
    """The shipped state laws (read once per process); each call counts as a read of the file."""
    note_read("states/laws.yaml")
    return _shipped_state_laws()


@lru_cache(maxsize=1)
def _shipped_state_laws() -> tuple[StateLaw, ...]:
    return load_state_laws()
