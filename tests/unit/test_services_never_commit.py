"""Issue 11 item 2: the shell owns the transaction. No use case commits: each entry point (API route,
page handler, CLI command, worker job, demo loader) opens one unit of work that commits once when
its block ends, so several services called by one entry point are still one transaction."""

from __future__ import annotations

import ast
from pathlib import Path

import wso

SRC = Path(wso.__file__).parent
USE_CASES = sorted((SRC / "services").rglob("*.py")) + [SRC / "holds" / "service.py"]


def commits_in(path: Path) -> list[int]:
    """The lines of every call of a `.commit(...)` method in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"
    ]


def test_no_service_calls_commit() -> None:
    assert len(USE_CASES) > 10  # the services were found
    found = [f"{path.relative_to(SRC.parent)}:{line}" for path in USE_CASES for line in commits_in(path)]
    assert found == [], "a service commits; leave it to the entry point's unit of work: " + ", ".join(found)


def test_the_check_sees_a_commit(tmp_path: Path) -> None:
    """The test above would catch one: `uow.commit()` and `uow.session.commit()` are both calls of .commit."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f(uow):\n    uow.session.flush()\n    uow.commit()\n    uow.session.commit()\n")
    assert commits_in(sample) == [3, 4]
