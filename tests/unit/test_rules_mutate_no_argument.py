"""The core mutates no caller's lists (issue 11, item 7): no function in wso/rules changes an object it
was given (appends to it, sorts it, sets an item or attribute of it). Rules copy what they need
(`sorted(...)`, tuples) and return new values.

The one exception is hold_status's private `_Draft` (rules/holds.py): a builder the rule creates itself
and hands to its own steps, never an object from outside the rule."""

from __future__ import annotations

import ast
from pathlib import Path

import wso.rules

RULES = Path(wso.rules.__file__).parent
MUTATORS = {
    "append",
    "extend",
    "insert",
    "sort",
    "reverse",
    "update",
    "pop",
    "popitem",
    "clear",
    "remove",
    "add",
    "discard",
    "setdefault",
}
OWN_BUILDERS = {"_Draft"}  # annotations of parameters that are the rule's own builder, not a caller's object


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def _mutations(source: str, filename: str) -> list[str]:
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = function.args.posonlyargs + function.args.args + function.args.kwonlyargs
        watched = {
            a.arg
            for a in arguments
            if a.arg not in ("self", "cls")
            and not (a.annotation is not None and ast.unparse(a.annotation).strip("'\"") in OWN_BUILDERS)
        }
        for node in ast.walk(function):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                targets = [node.func.value]
            elif isinstance(node, ast.Assign):
                targets = [t for t in node.targets if isinstance(t, (ast.Subscript, ast.Attribute))]
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, (ast.Subscript, ast.Attribute)):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                targets = [t for t in node.targets if isinstance(t, (ast.Subscript, ast.Attribute))]
            for target in targets:
                root = _root(target)
                if isinstance(root, ast.Name) and root.id in watched:
                    found.append(f"{filename}:{node.lineno} {function.name} changes its argument {root.id!r}")
    return found


def test_no_rule_changes_an_object_it_was_given() -> None:
    found = [m for path in sorted(RULES.glob("*.py")) for m in _mutations(path.read_text(), path.name)]
    assert found == []


def test_the_check_finds_a_rule_that_appends_to_its_argument() -> None:
    bad = "def rule(reasons: list, *, actions: list) -> None:\n    actions.append(1)\n    reasons[0] = 2\n"
    assert len(_mutations(bad, "bad.py")) == 2
    fine = "def rule(reasons: list) -> list:\n    mine = list(reasons)\n    mine.append(1)\n    return mine\n"
    assert _mutations(fine, "fine.py") == []
