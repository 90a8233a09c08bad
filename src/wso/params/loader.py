"""Reading, validating and looking up parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

PARAMS_DIR = Path(__file__).parent
TEMPLATES = ("MOA-2019", "MOA-2025")
Confidence = Literal["H", "M", "L"]
Scalar = bool | int | float | str | None
Value = Scalar | list[Scalar] | dict[str, Scalar]

# Files below PARAMS_DIR that are not single parameters: read by their own modules.
SPECIAL_FILES = {"catalog.yaml", "states/laws.yaml"}


# Which parameter files were looked up, and for which version (a start date or a template), while a
# `recording_reads()` block runs: how a test proves every file under params/ is some rule's input.
_READS: ContextVar[set[tuple[str, str]] | None] = ContextVar("wso_param_reads", default=None)


@contextmanager
def recording_reads() -> Iterator[set[tuple[str, str]]]:
    """Collect every (file, key) looked up inside the block: the file below params/ (e.g.
    "hold/max_hours.yaml") and the version asked for ("MOA-2025", a date, or "*" for a whole file).

    Off by default (one context-variable read per lookup); nothing but the tests turns it on."""
    reads: set[tuple[str, str]] = set()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def note_read(file: str, key: str = "*") -> None:
    """Record one lookup of `file` (relative to params/) if a `recording_reads()` block is open."""
    reads = _READS.get()
    if reads is not None:
        reads.add((file, key))


class ParamError(ValueError):
    """A parameter file is malformed: names the file, the key and what is wrong."""


class NotInForce(LookupError):
    """A parameter was asked for at a date before its first value, or for an unknown template."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    value: Value
    reference: str
    confidence: Confidence
    wording: str | None = None
    note: str | None = None
    modality: Literal["must", "should"] | None = None  # the quoted clause's own force, if not the rule's

    @field_validator("reference")
    @classmethod
    def _reference_not_blank(cls, reference: str) -> str:
        if not reference.strip():
            raise ValueError("reference must name the source and section")
        return reference


class _Metadata(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    unit: str
    rules: list[str]


class _ParamFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    description: str
    metadata: _Metadata
    values: dict[str, _Entry] | None = None
    templates: dict[Literal["MOA-2019", "MOA-2025"], _Entry] | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _dates_as_written(cls, values: Any) -> Any:
        """YAML reads 2019-05-06 as a date: keep it as text so errors quote the key as written."""
        if isinstance(values, dict):
            return {k.isoformat() if isinstance(k, dt.date) else str(k): v for k, v in values.items()}
        return values

    @field_validator("values")
    @classmethod
    def _keys_are_dates(cls, values: dict[str, _Entry] | None) -> dict[str, _Entry] | None:
        for key in values or {}:
            try:
                dt.date.fromisoformat(key)
            except ValueError:
                raise ValueError(f"{key!r} is not a start date written YYYY-MM-DD") from None
        return values


@dataclass(frozen=True)
class ParamValue:
    """One value of one parameter, with the version it came from (a start date or a template)."""

    name: str
    value: Any
    unit: str
    reference: str
    confidence: str
    version: str
    wording: str | None = None
    note: str | None = None
    overridden: bool = False
    modality: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "reference": self.reference,
            "confidence": self.confidence,
            "version": self.version,
            "note": self.note,
            "modality": self.modality,
            "overridden": self.overridden,
        }


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    rules: tuple[str, ...]
    dated: tuple[tuple[dt.date, ParamValue], ...] = ()
    by_template: Mapping[str, ParamValue] = field(default_factory=dict)
    file: str = ""  # the YAML file below params/ it was read from, e.g. "hold/max_hours.yaml"

    @property
    def versions(self) -> tuple[ParamValue, ...]:
        return tuple(v for _, v in self.dated) + tuple(self.by_template.values())


class ParamSet:
    """All parameters, looked up by name and by date or template version."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self._parameters = dict(parameters)

    def __contains__(self, name: str) -> bool:
        return name in self._parameters

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise NotInForce(f"unknown parameter {name!r}") from None

    def at(self, name: str, when: dt.date | dt.datetime) -> ParamValue:
        """The dated value in force on `when` (a value holds from its date to the next one's)."""
        parameter = self.parameter(name)
        if not parameter.dated:
            raise NotInForce(f"{name} is set per agreement template, not by date; ask with a template")
        day = when.date() if isinstance(when, dt.datetime) else when
        current: ParamValue | None = None
        for start, value in parameter.dated:
            if start <= day:
                current = value
        note_read(parameter.file, current.version if current is not None else day.isoformat())
        if current is None or current.value is None:
            first = parameter.dated[0][0].isoformat()
            raise NotInForce(f"{name} is not in force on {day.isoformat()} (first value from {first})")
        return current

    def for_template(self, name: str, template: str) -> ParamValue:
        """The value an agreement of template `template` carries (rule A7)."""
        parameter = self.parameter(name)
        note_read(parameter.file, template)
        if template not in parameter.by_template:
            known = ", ".join(parameter.by_template) or "none"
            raise NotInForce(f"{name} has no value for template {template!r} (known: {known})")
        return parameter.by_template[template]

    def with_overrides(self, overrides: Mapping[str, Any]) -> ParamSet:
        """A what-if copy in which each named parameter takes the given value in every version."""
        changed = dict(self._parameters)
        for name, value in overrides.items():
            parameter = self.parameter(name)
            changed[name] = replace(
                parameter,
                dated=tuple((d, replace(v, value=value, overridden=True)) for d, v in parameter.dated),
                by_template={t: replace(v, value=value, overridden=True) for t, v in parameter.by_template.items()},
            )
        return ParamSet(changed)


def _parse_file(path: Path, name: str, where: str) -> Parameter:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)
    except yaml.YAMLError as exc:
        raise ParamError(f"params/{where}: not valid YAML: {exc}") from None
    try:
        parsed = _ParamFile.model_validate(raw)
    except ValidationError as exc:
        raise ParamError(f"params/{where}: {first_error(exc)}") from None
    if (parsed.values is None) == (parsed.templates is None):
        raise ParamError(f"params/{where}: give exactly one of 'values' (dated) or 'templates' (per MOA version)")
    unknown_rules = [r for r in parsed.metadata.rules if not _is_rule_id(r)]
    if unknown_rules:
        raise ParamError(f"params/{where}: key metadata.rules: {unknown_rules} are not rule ids like H5")

    def to_value(entry: _Entry, version: str) -> ParamValue:
        return ParamValue(
            name=name,
            value=entry.value,
            unit=parsed.metadata.unit,
            reference=entry.reference,
            confidence=entry.confidence,
            version=version,
            wording=entry.wording,
            note=entry.note,
            modality=entry.modality,
        )

    dated = tuple(sorted((dt.date.fromisoformat(d), to_value(e, d)) for d, e in (parsed.values or {}).items()))
    by_template = {t: to_value(e, t) for t, e in (parsed.templates or {}).items()}
    return Parameter(
        name=name,
        description=parsed.description,
        unit=parsed.metadata.unit,
        rules=tuple(parsed.metadata.rules),
        dated=dated,
        by_template=by_template,
        file=where,
    )


def _is_rule_id(text: str) -> bool:
    return len(text) >= 2 and text[0] in "AOHCKDS" and text[1:].isdigit()


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of keeping the last one silently."""


def _mapping_without_duplicates(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def first_error(exc: ValidationError) -> str:
    """The first validation error as "key a.b.c: what is wrong", with dates written as in the file."""
    first = exc.errors()[0]
    key = ".".join(part.isoformat() if isinstance(part, dt.date) else str(part) for part in first["loc"])
    return f"key {key or '(top level)'}: {first['msg']}"


def read_yaml(path: Path) -> Any:
    """A YAML document read with duplicate keys refused (shared by the special files)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)


def load_params(directory: Path = PARAMS_DIR) -> ParamSet:
    """Every parameter file below `directory`; the first malformed one stops the load."""
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.rglob("*.yaml")):
        relative = path.relative_to(directory).as_posix()
        if relative in SPECIAL_FILES:
            continue
        name = relative.removesuffix(".yaml").replace("/", ".")
        parameters[name] = _parse_file(path, name, relative)
    return ParamSet(parameters)


@lru_cache(maxsize=1)
def default_params() -> ParamSet:
    """The shipped parameters, read once per process."""
    return load_params()
