"""Check that a schema is well-formed JSON Schema draft-07, keyword by keyword.

This is the draft-07 metaschema written as rules: each keyword has the shape of value
it needs, and keywords that hold schemas are checked recursively. It reports every
problem with the JSON pointer tokens below the schema, costs nothing to import, and
agrees with ``jsonschema``'s metaschema validation (the tests compare the two).
Unknown keywords are allowed, as in draft-07; so are AsyncAPI's and OpenAPI's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from generator.words import describe

__all__ = ["SCHEMA_LISTS", "SCHEMA_MAPS", "SINGLE_SCHEMAS", "Problem", "schema_problems"]

Problem = tuple[tuple[str | int, ...], str]
"""The place below the schema (pointer tokens) and a sentence."""

_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
SINGLE_SCHEMAS = frozenset(
    {
        "additionalItems",
        "additionalProperties",
        "contains",
        "propertyNames",
        "not",
        "if",
        "then",
        "else",
    }
)
"""Draft-07 keywords whose value is one schema."""

SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
"""Draft-07 keywords whose value is a list of schemas (``items`` may be one or a list)."""

SCHEMA_MAPS = frozenset({"properties", "patternProperties"})
"""Draft-07 keywords whose value maps names to schemas (also ``definitions``, and
``dependencies`` in part)."""
_SCHEMA_MAPS = SCHEMA_MAPS | {"definitions"}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: object) -> bool:
    return _is_number(value) and float(value).is_integer()  # type: ignore[arg-type]


def _string(value: object) -> str | None:
    return None if isinstance(value, str) else "a string"


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "a boolean"


def _number(value: object) -> str | None:
    return None if _is_number(value) else "a number"


def _count(value: object) -> str | None:
    ok = _is_integer(value) and value >= 0  # type: ignore[operator]
    return None if ok else "a whole number, 0 or more"


def _positive(value: object) -> str | None:
    return None if _is_number(value) and value > 0 else "a number greater than 0"  # type: ignore[operator]


def _array(value: object) -> str | None:
    return None if isinstance(value, list) else "a list"


def _unique(items: list[object]) -> bool:
    seen: list[object] = []
    for item in items:
        if any(item == other and type(item) is type(other) for other in seen):
            return False
        seen.append(item)
    return True


def _strings(value: object) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value) and _unique(value)
    return None if ok else "a list of different strings"


def _type(value: object) -> str | None:
    if value in _TYPES:
        return None
    if isinstance(value, list) and value and all(v in _TYPES for v in value) and _unique(value):
        return None
    return f"one of {', '.join(_TYPES)}, or a non-empty list of different ones"


def _regex(value: object) -> str | None:
    if not isinstance(value, str):
        return "a string"
    try:
        re.compile(value)
    except re.error as error:
        return f"a valid regular expression ({error})"
    return None


_VALUES: dict[str, Callable[[object], str | None]] = {
    "$id": _string,
    "$schema": _string,
    "$ref": _string,
    "$comment": _string,
    "title": _string,
    "description": _string,
    "readOnly": _boolean,
    "examples": _array,
    "multipleOf": _positive,
    "maximum": _number,
    "exclusiveMaximum": _number,
    "minimum": _number,
    "exclusiveMinimum": _number,
    "maxLength": _count,
    "minLength": _count,
    "pattern": _regex,
    "maxItems": _count,
    "minItems": _count,
    "uniqueItems": _boolean,
    "maxProperties": _count,
    "minProperties": _count,
    "required": _strings,
    "enum": _array,
    "type": _type,
    "format": _string,
    "contentMediaType": _string,
    "contentEncoding": _string,
}


def schema_problems(schema: object) -> list[Problem]:
    """Every way ``schema`` is not a draft-07 schema; empty when it is one."""
    return list(_check(schema, ()))


def _check(schema: object, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        yield path, f"A schema must be an object or a boolean, got {describe(schema)}."
        return
    for keyword, value in schema.items():
        here = (*path, keyword)
        check = _VALUES.get(keyword)
        if check is not None:
            expected = check(value)
            if expected is not None:
                yield here, f"'{keyword}' must be {expected}, got {describe(value)}."
        elif keyword in SINGLE_SCHEMAS:
            yield from _check(value, here)
        elif keyword in _SCHEMA_MAPS:
            yield from _schema_map(keyword, value, here)
        elif keyword in SCHEMA_LISTS:
            yield from _schema_list(keyword, value, here)
        elif keyword == "items":
            if isinstance(value, list):
                yield from _schema_list(keyword, value, here)
            else:
                yield from _check(value, here)
        elif keyword == "dependencies":
            yield from _dependencies(value, here)


def _schema_map(keyword: str, value: object, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if not isinstance(value, dict):
        yield path, f"'{keyword}' must be an object of schemas, got {describe(value)}."
        return
    for name, item in value.items():
        if keyword == "patternProperties":
            expected = _regex(name)
            if expected is not None:
                yield (*path, name), f"The pattern {name!r} must be {expected}."
        yield from _check(item, (*path, name))


def _schema_list(keyword: str, value: object, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if not isinstance(value, list) or not value:
        yield path, f"'{keyword}' must be a non-empty list of schemas, got {describe(value)}."
        return
    for index, item in enumerate(value):
        yield from _check(item, (*path, index))


def _dependencies(value: object, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if not isinstance(value, dict):
        yield path, f"'dependencies' must be an object, got {describe(value)}."
        return
    for name, item in value.items():
        if isinstance(item, list):
            expected = _strings(item)
            if expected is not None:
                yield (*path, name), f"A property dependency must be {expected}."
        else:
            yield from _check(item, (*path, name))
