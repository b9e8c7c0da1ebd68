"""Find the ``$ref`` targets the roots reach, and give each a name of its own.

A target is named after the last meaningful token of its pointer (``Money`` for
``#/components/schemas/Money``). When targets in different files want the same name,
each is named after its file too (``BillingMoney``, ``ShippingMoney``), so neither
takes the plain name by the accident of being found first; any remaining clash is
numbered in the order the targets are reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from generator.payloads.keywords import is_object, subschemas
from generator.payloads.naming import Namespace, class_name
from generator.schema_graph import SchemaGraph, split_key

__all__ = ["is_reference_only", "key_names", "reachable_keys", "words_of_key"]

_CONTAINERS = frozenset(
    {
        "components",
        "schemas",
        "messages",
        "channels",
        "operations",
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "allOf",
        "anyOf",
        "oneOf",
        "prefixItems",
        "dependencies",
        "dependentSchemas",
    }
)
_ROLES = frozenset(
    {
        "payload",
        "headers",
        "items",
        "additionalProperties",
        "additionalItems",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "schema",
    }
)


def reachable_keys(graph: SchemaGraph, schemas: Iterable[Any]) -> list[str]:
    """Graph keys reachable from ``schemas`` through ``$ref``, in the order first reached."""
    order: dict[str, None] = {}
    stack = list(reversed(list(schemas)))
    while stack:
        schema = stack.pop()
        if not is_object(schema):
            continue
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref not in order and ref in graph.nodes:
                order[ref] = None
                stack.append(graph.get(ref))
            continue  # draft 7: keywords next to $ref do not count
        stack.extend(reversed([sub for _, sub in subschemas(schema)]))
    return list(order)


def is_reference_only(schema: Any) -> bool:
    """Whether a schema is only a ``$ref`` (its type is its target's)."""
    return is_object(schema) and isinstance(schema.get("$ref"), str)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def words_of_key(key: str) -> list[str]:
    """The spec words a key is named after, e.g. ``["Order", "payload"]``."""
    file, pointer = split_key(key)
    tokens = [_unescape(t) for t in pointer.split("/")[1:]]
    meaningful = [t for t in tokens if t not in _CONTAINERS]
    if not meaningful:
        return [PurePosixPath(file).stem or "schema"]
    last = meaningful[-1]
    if (last.isdigit() or last in _ROLES) and len(meaningful) > 1:
        return [meaningful[-2], last]
    return [last]


def key_names(keys: list[str], graph: SchemaGraph, names: Namespace) -> dict[str, str]:
    """Claim a class name in ``names`` for every key that is more than a ``$ref``."""
    typed = [key for key in keys if not is_reference_only(graph.get(key))]
    plain = {key: class_name(*words_of_key(key)) for key in typed}
    files_by_name: dict[str, set[str]] = {}
    for key, name in plain.items():
        files_by_name.setdefault(name.casefold(), set()).add(split_key(key)[0])
    claimed: dict[str, str] = {}
    for key in typed:
        name = plain[key]
        if len(files_by_name[name.casefold()]) > 1:
            name = class_name(PurePosixPath(split_key(key)[0]).stem, *words_of_key(key))
        claimed[key] = names.claim_together(name, ["encode_{}", "decode_{}"])
    return claimed
