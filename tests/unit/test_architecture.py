"""The import graph (issue 11, "Done when"): no import from a lower layer to a higher one.

The contracts live in `.importlinter` at the repository root; import-linter checks them over the
static imports of src/wso. These tests run it, prove it would catch a broken contract, keep the
"law is pure" contract naming every package of wso, and hold the line on the API and the pages
importing each other until the shared http/ package replaces those imports.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# The imports between wso.api and wso.web that exist today (importer, imported). The http/ refactor of
# issue 11 item 4 removes them; this list may only shrink. A new one fails the test below.
API_WEB_IMPORTS_TO_REMOVE = {
    ("wso.api.v1", "wso.http.auth"),
    ("wso.api.v1", "wso.http.errors"),
    ("wso.api.v1", "wso.http.headers"),  # security headers on API answers too (issue 14 item 6)
    ("wso.users.api", "wso.http.gate"),  # the token endpoint shares the password-hashing gate (item 5)
    ("wso.http.api_routes", "wso.http.auth"),
    ("wso.users.api", "wso.http.auth"),
    ("wso.officers.pages", "wso.officers.api"),
}


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


def test_the_api_and_the_pages_import_each_other_no_more_than_today() -> None:
    """Not a contract yet (issue 11 item 4 moves auth, sessions, CSRF and errors to http/): a ratchet."""
    graph = grimp.build_graph("wso")
    found = set()
    for importer, imported in (("wso.api", "wso.web"), ("wso.web", "wso.api")):
        for module in graph.find_descendants(importer) | {importer}:
            for target in graph.find_modules_directly_imported_by(module):
                if target == imported or target.startswith(imported + "."):
                    found.add((module, target))
    new = found - API_WEB_IMPORTS_TO_REMOVE
    assert not new, f"new imports between wso.api and wso.web (move the shared code to one package): {sorted(new)}"
    gone = API_WEB_IMPORTS_TO_REMOVE - found
    assert not gone, f"these imports are gone: remove them from API_WEB_IMPORTS_TO_REMOVE: {sorted(gone)}"
