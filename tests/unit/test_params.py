"""The params loader: strict, and every error names the file, the key and what is wrong."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from wso.params import NotInForce, ParamError, default_params, load_params
from wso.params.loader import PARAMS_DIR
from wso.params.state_laws import load_state_laws

GOOD = """description: Longest hold
metadata: {unit: hour, rules: [H5]}
values:
  2019-05-06: {value: 48, reference: "MOA App. A", confidence: H}
  2030-01-01: {value: 24, reference: "a future amendment", confidence: L}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_dated_lookup_and_not_in_force_before_the_first_date(tmp_path: Path) -> None:
    write(tmp_path, "hold/max.yaml", GOOD)
    params = load_params(tmp_path)
    assert params.at("hold.max", dt.date(2019, 5, 6)).value == 48
    assert params.at("hold.max", dt.date(2029, 12, 31)).value == 48
    assert params.at("hold.max", dt.date(2030, 1, 1)).value == 24
    with pytest.raises(NotInForce, match="2019-05-05"):
        params.at("hold.max", dt.date(2019, 5, 5))
    with pytest.raises(NotInForce, match="template"):
        params.for_template("hold.max", "MOA-2019")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('reference: "MOA App. A", ', ""), "values.2019-05-06.reference"),
        (GOOD.replace("confidence: H", "confidence: X"), "values.2019-05-06.confidence"),
        (GOOD.replace("2019-05-06", "May 2019"), "'May 2019' is not a start date written YYYY-MM-DD"),
        (GOOD + "extra: 1\n", "extra"),
        (GOOD.replace("unit: hour, ", ""), "metadata.unit"),
        (GOOD.replace("[H5]", "[Z9]"), "metadata.rules"),
        (
            GOOD.replace(
                '  2030-01-01: {value: 24, reference: "a future amendment", confidence: L}\n',
                "  2019-05-06: {value: 24, reference: x, confidence: L}\n",
            ),
            "duplicate key",
        ),
        ("description: x\nmetadata: {unit: hour, rules: [H5]}\n", "exactly one of"),
        ("description: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_malformed_file_fails_naming_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "hold/max.yaml", text)
    with pytest.raises(ParamError) as error:
        load_params(tmp_path)
    assert "params/hold/max.yaml" in str(error.value) and message in str(error.value)


def test_a_malformed_state_law_names_the_law_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "laws.yaml",
        "laws:\n  - {id: XX-1, state: California, law: x, effective: 2020-01-01, effect: forbids,"
        " models: [WSO], summary: s, source: s, confidence: H}\n",
    )
    with pytest.raises(ParamError, match="law XX-1: key state"):
        load_state_laws(path)


def test_overrides_change_every_version_and_are_marked() -> None:
    what_if = default_params().with_overrides({"hold.max_hours": 24})
    value = what_if.for_template("hold.max_hours", "MOA-2019")
    assert value.value == 24 and value.overridden
    assert default_params().for_template("hold.max_hours", "MOA-2019").value == 48


def test_shipped_params_all_load_and_cover_both_templates() -> None:
    from wso.params.catalog import coverage_problems

    assert coverage_problems() == []


FRAMEWORKS = {"fastapi", "starlette", "sqlalchemy", "alembic", "typer", "rich", "uvicorn", "jinja2", "psycopg", "httpx"}


@pytest.mark.parametrize("package", ["rules", "params"])
def test_rules_and_params_import_no_web_database_or_cli_library(package: str) -> None:
    for path in (PARAMS_DIR.parent / package).rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert name.split(".")[0] not in FRAMEWORKS, f"{path.name} imports {name}"
