"""Program parameters as dated, cited data (OpenFisca-style), validated strictly when loaded.

One concept per YAML file; the file's path below this folder is its name
(`hold/max_hours.yaml` is `hold.max_hours`). A parameter is either dated (`values:` keyed by
the date each value starts) or belongs to an agreement template version (`templates:` keyed by
MOA-2019 / MOA-2025, rule A7). Every value carries its reference and its confidence. A lookup
before the first date, or for a template the parameter does not know, raises `NotInForce`:
never a silent default.
"""

from __future__ import annotations

from wso.params.catalog import RuleEntry
from wso.params.loader import (
    TEMPLATES,
    NotInForce,
    ParamError,
    ParamSet,
    ParamValue,
    default_params,
    load_params,
)
from wso.params.state_laws import StateLaw

__all__ = [
    "TEMPLATES",
    "NotInForce",
    "ParamError",
    "ParamSet",
    "ParamValue",
    "RuleEntry",
    "StateLaw",
    "default_params",
    "load_params",
]
