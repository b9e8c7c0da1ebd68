"""Build schema graphs from inline documents and import what the type builder makes."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.diagnostics import Location
from generator.payloads import TypeRoot, TypesModule, build_types
from generator.schema_graph import SchemaGraph

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[3]


def _canonical(ref: str, file: str) -> str:
    target, _, pointer = ref.partition("#")
    return f"{target or file}#{pointer}"


def _rewrite(node: Any, file: str, found: list[str]) -> Any:
    if isinstance(node, Mapping):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                result[key] = _canonical(value, file)
                found.append(result[key])
            else:
                result[key] = _rewrite(value, file, found)
        return result
    if isinstance(node, list):
        return [_rewrite(item, file, found) for item in node]
    return node


def _resolve(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def graph_of(documents: Mapping[str, Any], roots: Sequence[TypeRoot] = ()) -> SchemaGraph:
    """A ``SchemaGraph`` of every ``$ref`` target in ``documents`` (file name -> document)
    and in the ``roots``."""
    found: list[str] = []
    rewritten = {file: _rewrite(doc, file, found) for file, doc in documents.items()}
    for root in roots:
        _rewrite(root.schema, root.location.file, found)
    nodes = {}
    for key in found:
        file, _, pointer = key.partition("#")
        if file in rewritten:
            try:
                nodes[key] = _resolve(rewritten[file], pointer)
            except (KeyError, IndexError, ValueError):
                continue
    return SchemaGraph(nodes=nodes, locate=_locate)


def _locate(key: str) -> Location:
    file, _, pointer = key.partition("#")
    return Location(file, pointer)


def roots_of(
    documents: Mapping[str, Any],
    file: str,
    schemas: Mapping[str, Any],
    examples: Mapping[str, list[Any]] | None = None,
) -> list[TypeRoot]:
    """One root per ``name -> schema`` (schemas may ``$ref`` into ``documents``)."""
    roots = []
    for name, schema in schemas.items():
        found: list[str] = []
        roots.append(
            TypeRoot(
                key=f"messages/{name}/payload",
                schema=_rewrite(schema, file, found),
                name_hint=name,
                location=Location(file, f"/components/messages/{name}/payload"),
                examples=tuple((examples or {}).get(name, ())),
            )
        )
    return roots


def build(
    schemas: Mapping[str, Any],
    documents: Mapping[str, Any] | None = None,
    *,
    file: str = "asyncapi.yaml",
    reserved: frozenset[str] = frozenset(),
    examples: Mapping[str, list[Any]] | None = None,
) -> TypesModule:
    """Build types for ``name -> schema`` roots written in ``file``."""
    documents = dict(documents or {})
    documents.setdefault(file, {})
    roots = roots_of(documents, file, schemas, examples)
    return build_types(graph_of(documents, roots), roots, reserved_names=reserved)


def write_package(module: TypesModule, root: Path, name: str) -> Path:
    """Write the three modules as package ``name`` under ``root``."""
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Generated payloads under test."""\n')
    (package / "payloads.py").write_text(module.payloads_source)
    (package / "schemas.py").write_text(module.schemas_source)
    (package / "examples.py").write_text(module.examples_source)
    return package


def import_package(module: TypesModule, root: Path, name: str) -> dict[str, ModuleType]:
    """Write and import the package; returns its modules by short name."""
    write_package(module, root, name)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    return {
        short: importlib.import_module(f"{name}.{short}")
        for short in ("payloads", "schemas", "examples")
    }


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a tool of this virtualenv with the project's configuration."""
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def undocumented(source: str) -> list[str]:
    """Public module-level names, classes and methods of ``source`` without a docstring.

    A class attribute has one when the document describes its property (or renames it),
    and otherwise none: a sentence that only repeats the name would be filler.
    """
    import ast  # noqa: PLC0415 -- only this check parses generated code

    missing: list[str] = []

    def check(body: list[ast.stmt], prefix: str) -> None:
        for index, node in enumerate(body):
            following = body[index + 1] if index + 1 < len(body) else None
            documented = (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            )
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                if not node.name.startswith("_") and ast.get_docstring(node) is None:
                    missing.append(prefix + node.name)
                if isinstance(node, ast.ClassDef):
                    check(node.body, f"{node.name}.")
            elif (
                isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and not prefix
            ):
                name = node.target.id
                if not name.startswith("_") and not documented:
                    missing.append(prefix + name)

    check(ast.parse(source).body, "")
    return missing
