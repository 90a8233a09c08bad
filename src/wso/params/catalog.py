"""The catalog of rules (PROGRAM.md ids A1..D3): what each says, its source and confidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from wso.params.loader import PARAMS_DIR, ParamError, ParamSet, first_error, note_read, read_yaml


class _RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    section: str
    rule: str
    source: str
    confidence: Literal["H", "M", "L", "H/M", "M/H", "design"]
    modality: Literal["must", "should"] | None = None  # None is reported by `wso rules --check`
    templates: dict[Literal["MOA-2019", "MOA-2025"], Literal["must", "should"]] = {}
    obligations: list[str] = []


@dataclass(frozen=True)
class RuleEntry:
    """One rule of PROGRAM.md. `modality` is its force (must/should); `templates` overrides it for an
    agreement template whose text binds differently (A7: H7 is "in no case more than one hour" in
    MOA-2019 but "generally within one hour" in MOA-2025); `obligations` lists duties the software
    cannot decide but must show (D1, D2)."""

    id: str
    section: str
    rule: str
    source: str
    confidence: str
    modality: str | None = None
    templates: Mapping[str, str] = field(default_factory=dict)
    obligations: tuple[str, ...] = ()

    def modality_for(self, template: str | None) -> str:
        """The rule's force for an agreement of `template` (A7); the catalog default otherwise.
        A rule without a modality counts as `must` (the safe side) and `wso rules --check` fails."""
        if template is not None and template in self.templates:
            return self.templates[template]
        return self.modality or "must"


def load_catalog(path: Path = PARAMS_DIR / "catalog.yaml") -> dict[str, RuleEntry]:
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise ParamError(f"params/{path.name}: expected a mapping of rule id to rule")
    catalog: dict[str, RuleEntry] = {}
    for rule_id, body in raw.items():
        try:
            parsed = _RuleModel.model_validate(body)
        except ValidationError as exc:
            raise ParamError(f"params/{path.name}: rule {rule_id}: {first_error(exc)}") from None
        body = parsed.model_dump()
        body["obligations"] = tuple(body["obligations"])
        catalog[str(rule_id)] = RuleEntry(id=str(rule_id), **body)
    return catalog


def default_catalog() -> dict[str, RuleEntry]:
    """The shipped catalog (read once per process); each call counts as a read of the file."""
    note_read("catalog.yaml")
    return _shipped_catalog()


@lru_cache(maxsize=1)
def _shipped_catalog() -> dict[str, RuleEntry]:
    return load_catalog()


@dataclass(frozen=True)
class CatalogRow:
    """One line of the rules catalog: a rule, or one version of a parameter that implements it."""

    id: str
    rule: str
    value: str
    source: str
    confidence: str
    validity: str
    modality: str = ""


def rule_modality_label(entry: RuleEntry) -> str:
    """ "must", or "must (MOA-2025: should)" where a template's text binds differently."""
    base = entry.modality or "MISSING"
    overrides = ", ".join(f"{t}: {m}" for t, m in entry.templates.items() if m != entry.modality)
    return f"{base} ({overrides})" if overrides else base


def catalog_rows(params: ParamSet | None = None) -> list[CatalogRow]:
    """Every rule with every version of every parameter that carries it, in rule-id order."""
    from wso.params.loader import default_params

    params = params or default_params()
    catalog = default_catalog()
    by_rule: dict[str, list[CatalogRow]] = {}
    for name in params.names():
        parameter = params.parameter(name)
        for version in parameter.versions:
            validity = version.version if version.version.startswith("MOA-") else f"from {version.version}"
            value = _render_value(version.value, parameter.unit)
            for rule_id in parameter.rules:
                by_rule.setdefault(rule_id, []).append(
                    CatalogRow(
                        rule_id,
                        f"{name}: {parameter.description}",
                        value,
                        version.reference,
                        version.confidence,
                        validity,
                        _version_modality(catalog.get(rule_id), version.modality, version.version),
                    )
                )
    rows: list[CatalogRow] = []
    for entry in sorted(catalog.values(), key=_rule_order):
        rows.append(
            CatalogRow(entry.id, entry.rule, "", entry.source, entry.confidence, "", rule_modality_label(entry))
        )
        rows.extend(
            CatalogRow(entry.id, duty, "obligation", entry.source, entry.confidence, "always", entry.modality or "")
            for duty in entry.obligations
        )
        rows.extend(by_rule.get(entry.id, []))
    return rows


def _version_modality(entry: RuleEntry | None, own: str | None, version: str) -> str:
    """The force a parameter version carries: its clause's own, else its rule's for that template (A7)."""
    if own:
        return own
    if entry is None or entry.modality is None:
        return ""
    return entry.modality_for(version if version.startswith("MOA-") else None)


def _rule_order(entry: RuleEntry) -> tuple[int, int]:
    return ("AOHCKDS".index(entry.id[0]), int(entry.id[1:]))


def _render_value(value: object, unit: str) -> str:
    if value is None:
        return "no time stated"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return f"{value} {unit}"


def coverage_problems(params: ParamSet | None = None) -> list[str]:
    """Gaps and conflicts a lawyer would want to know of (Catala-style date coverage): a template
    parameter missing a template, a dated one that ends with no successor, a rule id not in the
    catalog, and state laws that both forbid and require the same model on the same day."""
    from wso.params.loader import TEMPLATES, default_params
    from wso.params.state_laws import default_state_laws

    params = params or default_params()
    catalog = default_catalog()
    problems: list[str] = [
        f"rule {e.id}: no modality (must or should) in catalog.yaml" for e in catalog.values() if e.modality is None
    ]
    for name in params.names():
        parameter = params.parameter(name)
        problems += [f"{name}: rule {r} is not in the catalog" for r in parameter.rules if r not in catalog]
        if parameter.by_template:
            problems += [f"{name}: no value for template {t}" for t in TEMPLATES if t not in parameter.by_template]
        if parameter.dated and parameter.dated[-1][1].value is None:
            problems.append(f"{name}: its last dated value is null, so it is not in force today")
    laws = default_state_laws()
    for law in laws:
        for other in laws:
            if law.id < other.id and law.state == other.state and {law.effect, other.effect} == {"forbids", "requires"}:
                shared = set(law.models) & set(other.models)
                overlap_start = max(law.effective, other.effective)
                if shared and law.in_force_on(overlap_start) and other.in_force_on(overlap_start):
                    problems.append(
                        f"states: {law.id} forbids and {other.id} requires {sorted(shared)} from {overlap_start}"
                    )
    return problems
