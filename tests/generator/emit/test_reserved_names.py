"""The names a module reserves are read from what it declares, so they never fall behind."""

from __future__ import annotations

import ast

import pytest

from generator.render.package import package_names
from tests.golden.cases import Case, cases

CASES = cases()


def _bound(tree: ast.Module) -> set[str]:
    """Every name a module binds at its top level: imports, functions, classes, assignments."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    # Dunders (__all__) are the frame's; names made from a document never are.
    return {name for name in names if not name.startswith("__")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_name_a_package_init_binds_is_reserved_or_the_documents(case: Case) -> None:
    [init] = case.expected.glob("*/__init__.py")
    tree = ast.parse(init.read_text(encoding="utf-8"))
    bound = _bound(tree) | {path.stem for path in init.parent.glob("*.py")} - {"__init__"}
    # What the document names: the payload types and the fire_* functions re-exported.
    from_document = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module in ("payloads", "publishers")
        for alias in node.names
    }
    assert bound - from_document <= package_names()
    assert from_document.isdisjoint(package_names())
