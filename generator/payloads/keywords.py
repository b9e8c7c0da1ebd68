"""Which schema keywords hold subschemas, which validate, and which only annotate.

AsyncAPI schemas are JSON Schema draft 7 plus a few keywords of their own (and, in
practice, OpenAPI's ``nullable`` and later drafts' ``prefixItems``). Walking only the
places that hold schemas keeps data (``enum``, ``const``, ``examples``) from being
mistaken for schemas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

from generator.diagnostics import escape_pointer_token
from generator.json_schema import SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMAS

__all__ = [
    "ANNOTATIONS",
    "LATER_DRAFTS",
    "SCHEMA_LISTS",
    "SCHEMA_MAPS",
    "SHAPE_KEYWORDS",
    "SINGLE_SCHEMAS",
    "VALIDATION_VALUES",
    "is_object",
    "is_schema",
    "subschemas",
]

SHAPE_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "additionalProperties",
        "patternProperties",
        "oneOf",
        "anyOf",
        "allOf",
        "format",
    }
)
"""Keywords that give a schema a shape a Python type can follow (not mere validation)."""

VALIDATION_VALUES = frozenset(
    {
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "required",
        "format",
    }
)
"""Draft 7 keywords whose value is data, copied as it is."""

ANNOTATIONS = frozenset(
    {
        "$id",
        "$schema",
        "$comment",
        "$anchor",
        "$defs",
        "definitions",
        "title",
        "description",
        "default",
        "examples",
        "example",
        "readOnly",
        "writeOnly",
        "deprecated",
        "contentEncoding",
        "contentMediaType",
        "discriminator",
        "externalDocs",
        "xml",
        "nullable",
    }
)
"""Keywords that do not validate (or are rewritten), dropped from embedded schemas."""

LATER_DRAFTS = frozenset(
    {
        "unevaluatedProperties",
        "unevaluatedItems",
        "minContains",
        "maxContains",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "contentSchema",
    }
)
"""Keywords of drafts after 7 that draft 7 cannot express."""


def is_object(value: object) -> TypeGuard[Mapping[str, Any]]:
    """Whether ``value`` is a JSON object (a parsed document holds plain dicts)."""
    # The exact-type test first: an ABC isinstance check is several times slower.
    return type(value) is dict or isinstance(value, Mapping)


def is_schema(value: object) -> bool:
    """Whether ``value`` can be a schema: an object or a boolean."""
    return isinstance(value, bool) or is_object(value)


_LIST_OR_SCHEMA = frozenset({"items", "prefixItems"})
_MAP_LIKE = frozenset({"dependencies", "dependentSchemas", "definitions", "$defs"})


def subschemas(schema: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield ``(pointer suffix, subschema)`` for every schema directly inside ``schema``."""
    for key, value in schema.items():
        token = "/" + escape_pointer_token(key)
        if key in SINGLE_SCHEMAS or key in LATER_DRAFTS:
            if is_schema(value):
                yield token, value
        elif key in SCHEMA_LISTS or key in _LIST_OR_SCHEMA:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield f"{token}/{index}", item
            elif is_schema(value) and key in _LIST_OR_SCHEMA:
                yield token, value
        elif (key in SCHEMA_MAPS or key in _MAP_LIKE) and is_object(value):
            for name, item in value.items():
                if is_schema(item):
                    yield f"{token}/{escape_pointer_token(name)}", item
