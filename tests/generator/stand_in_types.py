"""A stand-in for the types stage, used until ``generator.types.build_types`` exists.

Every root becomes ``JsonValue`` with identity codecs; ``schemas.py`` holds each root's
schema made self-contained (references bundled under ``x-bundled``), so the runtime
validator still checks payloads exactly. ``active_build_types`` returns the real stage
once it is implemented, so the same tests then exercise it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from generator import types as types_stage
from generator.names import constant_name, snake_name, unique
from generator.render.imports import sorted_all
from generator.render.literals import py_str, py_value
from generator.schema_graph import JsonSchema, SchemaGraph
from generator.types import RootBinding, TypeRoot, TypesModule

__all__ = ["active_build_types", "build_types", "real_types_available"]


def _refs(value: object) -> list[str]:
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _rewrite(value: object, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                f"#/x-bundled/{names[item]}"
                if key == "$ref" and isinstance(item, str) and item in names
                else _rewrite(item, names)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(item, names) for item in value]
    return value


def _object(schema: JsonSchema) -> dict[str, Any]:
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    return dict(schema)


def bundle(graph: SchemaGraph, schema: JsonSchema) -> dict[str, Any]:
    """The schema with every schema it references under ``x-bundled``."""
    reachable: list[str] = []
    pending = _refs(schema)
    while pending:
        key = pending.pop()
        if key in reachable or key not in graph.nodes:
            continue
        reachable.append(key)
        pending.extend(_refs(graph.nodes[key]))
    names = {key: f"s{index}" for index, key in enumerate(sorted(reachable))}
    root: dict[str, Any] = _rewrite(_object(schema), names)
    if names:
        root["x-bundled"] = {
            names[k]: _rewrite(_object(graph.nodes[k]), names) for k in sorted(names)
        }
    return root


def build_types(
    graph: SchemaGraph,
    roots: Sequence[TypeRoot],
    *,
    reserved_names: frozenset[str] = frozenset(),
) -> TypesModule:
    """Map every root to ``JsonValue`` with identity codecs and its bundled schema."""
    used = set(reserved_names) | {"JsonValue", "Any", "Final"}
    bindings: dict[str, RootBinding] = {}
    functions = []
    constants = []
    for root in roots:
        stem = unique(snake_name(root.name_hint), used)
        constant = unique(constant_name(stem), used)
        binding = RootBinding(
            key=root.key,
            annotation="payloads.JsonValue",
            encode=f"encode_{stem}",
            decode=f"decode_{stem}",
            schema=constant,
        )
        bindings[root.key] = binding
        functions.append(
            f"\n\ndef encode_{stem}(value: JsonValue) -> JsonValue:\n"
            f'    """Encode a {stem} value (unchanged: it is already JSON)."""\n'
            "    return value\n"
            f"\n\ndef decode_{stem}(data: JsonValue) -> JsonValue:\n"
            f'    """Decode a {stem} value (unchanged: it stays JSON)."""\n'
            "    return data\n"
        )
        constants.append(
            f"\n{constant}: Final[dict[str, Any]] = {py_value(bundle(graph, root.schema))}\n"
        )
    names = ["JsonValue"] + [n for b in bindings.values() for n in (b.decode, b.encode)]
    exports = "".join(f"    {py_str(n)},\n" for n in sorted_all(names))
    payloads = (
        '"""Payload types (every payload is a JSON value)."""\n\n'
        "from amqp_events import JsonValue\n\n"
        f"__all__ = [\n{exports}]\n" + "".join(functions)
    )
    schema_names = "".join(
        f"    {py_str(n)},\n" for n in sorted_all(b.schema for b in bindings.values())
    )
    schemas = (
        '"""The JSON Schema of every payload and header set, self-contained."""\n\n'
        "from typing import Any, Final\n\n"
        + (f"__all__ = [\n{schema_names}]\n" if bindings else "__all__: list[str] = []\n")
        + "".join(constants)
    )
    examples = '"""Examples of the document (none are checked by this stand-in)."""\n'
    return TypesModule(
        roots=bindings,
        payloads_source=payloads,
        schemas_source=schemas,
        examples_source=examples,
        public_names=(),
    )


def real_types_available() -> bool:
    """Tell whether ``generator.types.build_types`` is implemented yet."""
    try:
        types_stage.build_types(SchemaGraph(nodes={}, locate=lambda key: None), [])  # type: ignore[arg-type,return-value]
    except NotImplementedError:
        return False
    return True


def active_build_types() -> Callable[..., TypesModule]:
    """The real types stage when it exists, else this stand-in."""
    return types_stage.build_types if real_types_available() else build_types
