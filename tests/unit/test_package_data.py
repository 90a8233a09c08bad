"""Every file the app reads at run time ships in the package (issue 11 item 4: a folder per area).

Templates and static files live in each area's folder now (src/wso/<area>/templates/, static/); a new
folder that [tool.setuptools.package-data] in pyproject.toml does not name would work from the source
tree and be missing from an installed wso. This test reads the globs the way setuptools does (relative
to the package, `**` across folders) and finds every such file matched.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "wso"
DATA_FOLDERS = ("templates", "static", "migrations", "data")


def _globs() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["setuptools"]["package-data"]["wso"])


def _shipped() -> set[Path]:
    return {path for pattern in _globs() for path in PACKAGE.glob(pattern) if path.is_file()}


def _needed() -> set[Path]:
    """Non-Python files under a templates/, static/, migrations/ or data/ folder of the package."""
    return {
        path
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and any(part in DATA_FOLDERS for part in path.relative_to(PACKAGE).parts[:-1])
        and (path.suffix != ".py" or "migrations" in path.parts)
    }


def test_every_template_and_static_file_is_package_data() -> None:
    missing = sorted(str(p.relative_to(PACKAGE)) for p in _needed() - _shipped())
    assert not missing, f"add these to [tool.setuptools.package-data] in pyproject.toml: {missing}"


def test_the_area_templates_are_among_them() -> None:
    """The check has teeth: the moved folders are found, so a forgotten glob would be reported."""
    needed = {str(p.relative_to(PACKAGE)) for p in _needed()}
    for name in (
        "http/templates/records/layout.html",
        "officers/templates/officers/roster.html",
        "users/templates/users/login.html",
        "publicdata/templates/publicdata/overview.html",
        "holds/static/board.js",
    ):
        assert name in needed
