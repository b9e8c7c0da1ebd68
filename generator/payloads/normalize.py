"""Rewrite an AsyncAPI schema as plain JSON Schema draft 7 for the runtime validator.

The runtime validates every payload with fastjsonschema (draft 7) against the schema
embedded in the generated package, so whatever the Python types cannot say (bounds,
patterns, ``not``, ``if``/``then``, ...) is still enforced with the schema's semantics.
This module makes that schema: references point into the embedded ``definitions``,
``nullable: true`` becomes a ``"null"`` type, ``prefixItems`` becomes ``items``,
annotations and ``x-`` extensions go, and values fastjsonschema would refuse to
compile are reported instead of embedded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Level, escape_pointer_token
from generator.payloads.keywords import (
    ANNOTATIONS,
    LATER_DRAFTS,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SINGLE_SCHEMAS,
    VALIDATION_VALUES,
    is_object,
)

__all__ = ["JSON_TYPES", "Problem", "definition_ref", "normalize"]

JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})
"""The values of the ``type`` keyword."""

_COUNTS = frozenset(
    {"maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"}
)
_NUMBERS = frozenset({"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"})
_EXCLUSIVE_FLAGS = frozenset({"exclusiveMaximum", "exclusiveMinimum"})
_ARRAY_KEYS = frozenset({"items", "prefixItems", "additionalItems"})


@dataclass(frozen=True, slots=True)
class Problem:
    """Something about a schema worth a diagnostic, at a pointer below the schema."""

    pointer: str
    level: Level
    message: str


def definition_ref(name: str) -> str:
    """The ``$ref`` value of the embedded definition ``name``."""
    return "#/definitions/" + escape_pointer_token(name)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _is_types(value: object) -> bool:
    names = value if isinstance(value, list) else [value]
    return bool(names) and all(isinstance(n, str) and n in JSON_TYPES for n in names)


def _is_pattern(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        re.compile(value)
    except re.error:
        return False
    return True


_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "type": (_is_types, f"JSON type names ({', '.join(sorted(JSON_TYPES))})"),
    "required": (
        lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v),
        "a list of property names",
    ),
    "enum": (lambda v: isinstance(v, list), "a list of values"),
    "multipleOf": (_is_positive, "a number greater than 0"),
    "uniqueItems": (lambda v: isinstance(v, bool), "true or false"),
    "format": (lambda v: isinstance(v, str), "a string"),
    "pattern": (_is_pattern, "a regular expression the validator can compile"),
    **dict.fromkeys(_COUNTS, (_is_count, "a non-negative integer")),
    **dict.fromkeys(_NUMBERS, (_is_number, "a number")),
}


def _anything(value: object) -> bool:
    del value
    return True


class _Normalizer:
    def __init__(self, definition_of: Callable[[str], str | None]) -> None:
        self.definition_of = definition_of
        self.problems: list[Problem] = []

    def schema(self, node: object, pointer: str) -> object:
        if isinstance(node, bool):
            return node
        if not is_object(node):
            self.problems.append(
                Problem(pointer, "error", f"A schema must be an object or a boolean, not {node!r}.")
            )
            return True
        if "$ref" in node:
            return self._reference(node, pointer)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _ARRAY_KEYS:
                continue
            self._keyword(out, key, value, f"{pointer}/{escape_pointer_token(key)}")
        self._array_items(out, node, pointer)
        _fold_legacy_exclusive(out, node)
        if node.get("nullable") is True:
            out = self._nullable(out)
        return out

    def _reference(self, node: Mapping[str, Any], pointer: str) -> object:
        target = node["$ref"]
        ignored = sorted(k for k in node if k != "$ref" and k not in ANNOTATIONS)
        if ignored and not all(k.startswith("x-") for k in ignored):
            self.problems.append(
                Problem(
                    pointer,
                    "warning",
                    f"Keywords next to '$ref' are ignored by JSON Schema draft 7 "
                    f"({', '.join(ignored)}); wrap them with the reference in 'allOf' "
                    "to apply them.",
                )
            )
        name = self.definition_of(target) if isinstance(target, str) else None
        if name is None:
            self.problems.append(
                Problem(
                    pointer,
                    "error",
                    f"The reference {target!r} points to no schema; the runtime accepts "
                    "any value here.",
                )
            )
            return True
        return {"$ref": definition_ref(name)}

    def _keyword(self, out: dict[str, Any], key: str, value: Any, pointer: str) -> None:
        if key in SINGLE_SCHEMAS:
            out[key] = self.schema(value, pointer)
        elif key in SCHEMA_LISTS:
            self._schema_list(out, key, value, pointer)
        elif key in SCHEMA_MAPS:
            self._schema_map(out, key, value, pointer)
        elif key in {"dependencies", "dependentRequired", "dependentSchemas"}:
            self._dependencies(out, value, pointer)
        elif key in _EXCLUSIVE_FLAGS and isinstance(value, bool):
            return  # the draft 4 / OpenAPI 3.0 spelling, folded in afterwards
        elif key in VALIDATION_VALUES:
            self._value(out, key, value, pointer)
        elif key in LATER_DRAFTS:
            self.problems.append(
                Problem(
                    pointer,
                    "warning",
                    f"{key!r} is not part of JSON Schema draft 7, which AsyncAPI schemas "
                    "use; it is not enforced.",
                )
            )

    def _schema_list(self, out: dict[str, Any], key: str, value: Any, pointer: str) -> None:
        if isinstance(value, list):
            out[key] = [self.schema(v, f"{pointer}/{i}") for i, v in enumerate(value)]
        else:
            self.problems.append(Problem(pointer, "error", f"{key!r} must be a list of schemas."))

    def _schema_map(self, out: dict[str, Any], key: str, value: Any, pointer: str) -> None:
        if is_object(value):
            out[key] = {
                name: self.schema(v, f"{pointer}/{escape_pointer_token(name)}")
                for name, v in value.items()
            }
        else:
            self.problems.append(Problem(pointer, "error", f"{key!r} must map names to schemas."))

    def _value(self, out: dict[str, Any], key: str, value: Any, pointer: str) -> None:
        check, expected = _CHECKS.get(key, (_anything, ""))
        if check(value):
            out[key] = value
            return
        self.problems.append(
            Problem(
                pointer,
                "error",
                f"{key!r} must be {expected}, but it is {value!r}; "
                "the keyword is left out of the embedded schema.",
            )
        )

    def _array_items(self, out: dict[str, Any], node: Mapping[str, Any], pointer: str) -> None:
        prefix = node.get("prefixItems")
        items = node.get("items")
        if isinstance(prefix, list):
            # 2020-12: ``prefixItems`` are positional, ``items`` covers the rest.
            out["items"] = [
                self.schema(v, f"{pointer}/prefixItems/{i}") for i, v in enumerate(prefix)
            ]
            if items is not None:
                out["additionalItems"] = self.schema(items, f"{pointer}/items")
        elif isinstance(items, list):
            out["items"] = [self.schema(v, f"{pointer}/items/{i}") for i, v in enumerate(items)]
        elif items is not None:
            out["items"] = self.schema(items, f"{pointer}/items")
        if "additionalItems" in node and "additionalItems" not in out:
            out["additionalItems"] = self.schema(
                node["additionalItems"], f"{pointer}/additionalItems"
            )

    def _dependencies(self, out: dict[str, Any], value: Any, pointer: str) -> None:
        if not is_object(value):
            self.problems.append(Problem(pointer, "error", "Dependencies must be an object."))
            return
        merged = out.setdefault("dependencies", {})
        for name, item in value.items():
            if isinstance(item, list) and all(isinstance(n, str) for n in item):
                merged[name] = list(item)
            else:
                merged[name] = self.schema(item, f"{pointer}/{escape_pointer_token(name)}")

    @staticmethod
    def _nullable(out: dict[str, Any]) -> dict[str, Any]:
        kind = out.get("type")
        if kind is not None and "enum" not in out and "const" not in out:
            kinds = kind if isinstance(kind, list) else [kind]
            if "null" not in kinds:
                out["type"] = [*kinds, "null"]
            return out
        return {"anyOf": [out, {"type": "null"}]}


def _fold_legacy_exclusive(out: dict[str, Any], node: Mapping[str, Any]) -> None:
    """Turn ``minimum: 5, exclusiveMinimum: true`` (draft 4) into ``exclusiveMinimum: 5``."""
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(flag) is True and bound in out:
            out[flag] = out.pop(bound)


def normalize(
    schema: object, *, definition_of: Callable[[str], str | None]
) -> tuple[object, list[Problem]]:
    """Return ``schema`` as draft 7 with references into ``definitions``, and its problems.

    ``definition_of`` names the embedded definition of a ``$ref`` target key (None when
    the key has no schema).
    """
    normalizer = _Normalizer(definition_of)
    return normalizer.schema(schema, ""), normalizer.problems
