"""The import graph (issue 11, "Done when"): no import from a lower layer to a higher one.

The contracts live in `.importlinter` at the repository root; import-linter checks them over the
static imports of src/wso. These tests run it, prove it would catch a broken contract, keep the
"law is pure" contract naming every package of wso, and check that no contract is vacuous: each
module expression (`wso.*.api`, `wso.http`...) names modules that exist. The API and the pages no
longer import each other (contracts api-imports-no-pages and pages-import-no-api); docs/architecture.md.
"""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), str(config), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_every_import_contract_is_kept() -> None:
    result = lint_imports(CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails_the_check(tmp_path: Path) -> None:
    """The check has teeth: services do import the store, so forbidding it must be reported broken."""
    config = tmp_path / "broken.ini"
    config.write_text(
        "[importlinter]\nroot_package = wso\n\n"
        "[importlinter:contract:broken]\nname = services never touch the store\ntype = forbidden\n"
        "source_modules =\n    wso.services\nforbidden_modules =\n    wso.store\n"
    )
    result = lint_imports(config)
    assert result.returncode != 0
    assert "services never touch the store BROKEN" in result.stdout
    assert "wso.services.lookup -> wso.store" in result.stdout


def test_the_law_contract_names_every_other_package_of_wso() -> None:
    """A new top-level package (holds, events, http...) must be forbidden to rules and params too."""
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    forbidden = set(parser["importlinter:contract:law-is-pure"]["forbidden_modules"].split())
    graph = grimp.build_graph("wso")
    top_level = {m for m in graph.modules if m.count(".") == 1}
    missing = top_level - forbidden - {"wso.rules", "wso.params"}
    assert not missing, f"add {sorted(missing)} to forbidden_modules of law-is-pure in .importlinter"


def _matches(expression: str, modules: set[str]) -> set[str]:
    """The modules an import-linter expression names: `*` is one segment, `**` any number of them."""
    pattern = re.escape(expression).replace(r"\*\*", r"[\w.]+").replace(r"\*", r"\w+")
    return {m for m in modules if re.fullmatch(pattern, m)}


def test_no_contract_is_vacuous() -> None:
    """A renamed package or a wildcard that matches nothing would keep a contract silently: each must name modules."""
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    modules = set(grimp.build_graph("wso").modules)
    empty = []
    for section in parser.sections():
        for key in ("source_modules", "forbidden_modules", "layers"):
            for expression in parser[section].get(key, "").split():
                if expression.startswith("wso") and not _matches(expression, modules):
                    empty.append(f"{section}: {key} {expression}")
    assert not empty, f"these expressions name no module of wso: {empty}"


def test_the_api_and_the_pages_are_kept_apart_for_every_area() -> None:
    """The wildcards reach every area that has a router and pages (officers, holds...), not only today's names."""
    modules = set(grimp.build_graph("wso").modules)
    routers = _matches("wso.*.api", modules)
    pages = _matches("wso.*.pages", modules)
    assert {"wso.officers.api", "wso.holds.api", "wso.users.api"} <= routers
    assert {"wso.officers.pages", "wso.holds.pages", "wso.publicdata.pages"} <= pages
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    assert "wso.*.pages" in parser["importlinter:contract:api-imports-no-pages"]["forbidden_modules"].split()
    assert "wso.*.api" in parser["importlinter:contract:pages-import-no-api"]["forbidden_modules"].split()
