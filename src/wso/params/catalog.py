"""The catalog of rules (PROGRAM.md ids A1..D3): what each says, its source and confidence."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from wso.params.loader import PARAMS_DIR, ParamError, read_yaml


class _RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    section: str
    rule: str
    source: str
    confidence: Literal["H", "M", "L", "H/M", "M/H", "design"]


@dataclass(frozen=True)
class RuleEntry:
    id: str
    section: str
    rule: str
    source: str
    confidence: str


def load_catalog(path: Path = PARAMS_DIR / "catalog.yaml") -> dict[str, RuleEntry]:
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise ParamError(f"params/{path.name}: expected a mapping of rule id to rule")
    catalog: dict[str, RuleEntry] = {}
    for rule_id, body in raw.items():
        try:
            parsed = _RuleModel.model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(p) for p in first["loc"]) or "(entry)"
            raise ParamError(f"params/{path.name}: key {rule_id}.{key}: {first['msg']}") from None
        catalog[str(rule_id)] = RuleEntry(id=str(rule_id), **parsed.model_dump())
    return catalog


@lru_cache(maxsize=1)
def default_catalog() -> dict[str, RuleEntry]:
    return load_catalog()
