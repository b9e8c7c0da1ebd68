"""Values that one schema accepts and another refuses, to show a broken contract.

``sample`` makes a small value a schema accepts (or tries to: the validators decide).
``candidates`` makes, for one ``SchemaChange``, values that should be accepted by the
new (producer's) schema and refused by the old (consumer's) one at the changed place,
and puts each into a base value at the change's path. Nothing here judges: the caller
keeps the first candidate that the producer's generated validator accepts and the
consumer's generated decoder refuses.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from generator.contracts.changes import SchemaChange, Step
from generator.schema_graph import JsonSchema, SchemaKey

__all__ = ["DELETE", "candidates", "place", "sample"]

Lookup = Callable[[SchemaKey], JsonSchema | None]

DELETE = object()
"""Put in place of a property's value: the property is left out."""

_FORMATS: Mapping[str, str] = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "someone@example.com",
    "idn-email": "someone@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/example",
    "iri-reference": "/example",
    "uri-template": "/example/{id}",
    "json-pointer": "/example",
    "relative-json-pointer": "0",
    "regex": ".*",
}
_STRINGS = ("", "a", "A", "0", "a0", "AA", "aaaaaaaa", "A-1", "not valid", "x" * 64)
_ODD_VALUES: tuple[object, ...] = (None, 0, 0.5, -1, "", "x", True, [], {})
_MAX_DEPTH = 24


def _deref(schema: JsonSchema, lookup: Lookup) -> JsonSchema:
    for _ in range(32):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return schema
        schema = lookup(schema["$ref"]) or {}
    return schema


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    names = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
    if not names:
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            return ["object"]
        if "items" in schema:
            return ["array"]
        if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
            return ["string"]
        if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "multipleOf")):
            return ["number"]
        return ["string"]
    return sorted(names, key=lambda n: n == "null")  # null only when nothing else is allowed


def _count(schema: Mapping[str, Any], keyword: str) -> int:
    value = schema.get(keyword)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _real(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _string(schema: Mapping[str, Any], lookup: Lookup, depth: int) -> object:
    del lookup, depth
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return _FORMATS[fmt]
    least = _count(schema, "minLength")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        for text in (*_STRINGS, "a" * least):
            try:
                if re.search(pattern, text) and len(text) >= least:
                    return text
            except re.error:
                break
    return "a" * max(least, 1)


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low, high = _real(schema.get("minimum")), _real(schema.get("maximum"))
    above, below = _real(schema.get("exclusiveMinimum")), _real(schema.get("exclusiveMaximum"))
    nudge = 1 if integer else 0.5
    value = 0.0
    if low is not None and (low > 0 or high is None or high < 0):
        value = low
    if above is not None and value <= above:
        value = above + nudge
    if high is not None and value > high:
        value = high
    if below is not None and value >= below:
        value = below - nudge
    step = _real(schema.get("multipleOf"))
    if step is not None and step > 0:
        value = math.ceil(value / step) * step
    if integer:
        return math.ceil(value)
    return int(value) if value.is_integer() else value


def _array(schema: Mapping[str, Any], lookup: Lookup, depth: int) -> object:
    items = schema.get("items", True)
    if isinstance(items, list):
        return [sample(s, lookup, depth + 1) for s in items]
    item = sample(items, lookup, depth + 1)
    return [_varied(item, n) for n in range(_count(schema, "minItems"))]


def _object(schema: Mapping[str, Any], lookup: Lookup, depth: int) -> object:
    found = schema.get("properties")
    properties: Mapping[str, Any] = found if isinstance(found, dict) else {}
    result: dict[str, object] = {}
    for name in schema.get("required") or ():
        if isinstance(name, str):
            described = properties.get(name, schema.get("additionalProperties", True))
            result[name] = sample(described, lookup, depth + 1)
    for name, described in properties.items():
        if len(result) >= _count(schema, "minProperties"):
            break
        result.setdefault(name, sample(described, lookup, depth + 1))
    return result


_BY_TYPE: Mapping[str, Callable[[Mapping[str, Any], Lookup, int], object]] = {
    "object": _object,
    "array": _array,
    "integer": lambda schema, lookup, depth: _number(schema, integer=True),
    "number": lambda schema, lookup, depth: _number(schema, integer=False),
    "boolean": lambda schema, lookup, depth: True,
    "null": lambda schema, lookup, depth: None,
    "string": _string,
}


def sample(schema: JsonSchema, lookup: Lookup, depth: int = 0) -> object:
    """A small value ``schema`` probably accepts: required properties, least items."""
    schema = _deref(schema, lookup)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return copy.deepcopy(schema["enum"][0])
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and members:
            rest = {k: v for k, v in schema.items() if k != keyword}
            return sample({"allOf": [rest, members[0]]} if rest else members[0], lookup, depth + 1)
    if isinstance(schema.get("allOf"), list):
        return sample(_merged(schema, lookup), lookup, depth + 1)
    return _BY_TYPE[_types(schema)[0]](schema, lookup, depth)


def _varied(value: object, n: int) -> object:
    """The ``n``-th of several items, different from the others where that is easy."""
    if isinstance(value, bool) or n == 0:
        return value
    if isinstance(value, int | float):
        return value + n
    if isinstance(value, str):
        return value + str(n)
    return value


def _merged(schema: Mapping[str, Any], lookup: Lookup) -> dict[str, Any]:
    """The members of ``allOf`` folded into one object, shallowly: a guess to validate."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for member in schema["allOf"]:
        part = _deref(member, lookup)
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("allOf"), list):
            part = _merged(part, lookup)
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


def place(base: object, path: tuple[Step, ...], value: object) -> object:
    """A copy of ``base`` with ``value`` at ``path``, making the containers on the way."""
    if not path:
        return value
    (kind, name), rest = path[0], path[1:]
    if kind in ("property", "extra"):
        found = copy.copy(base) if isinstance(base, dict) else {}
        key = name if kind == "property" else "unlisted-property"
        inner = place(found.get(key), rest, value)
        if inner is DELETE:
            found.pop(key, None)
        else:
            found[key] = inner
        return found
    if kind == "item":
        items = list(base) if isinstance(base, list) else []
        index = int(name)
        while len(items) <= index:
            items.append(copy.deepcopy(items[-1]) if items else None)
        items[index] = place(items[index], rest, value)
        return items
    return base


def _around(bound: object) -> list[object]:
    """Numbers near a bound or a step: on it, just inside, just outside, multiples."""
    value = _real(bound)
    if value is None:
        return []
    near = [value, value - 1, value + 1, value - 0.5, value + 0.5, value * 2, value * 3]
    return [int(v) if v.is_integer() else v for v in near]


def _counted(change: SchemaChange, make: Callable[[int], object]) -> Iterator[object]:
    for count in change.values:
        if isinstance(count, int):
            yield from (make(n) for n in (count - 1, count, count + 1) if n >= 0)


def _local(change: SchemaChange, lookup: Lookup) -> Iterator[object]:
    """Values for the changed place itself, by what changed there."""
    new = _deref(change.new_schema, lookup)
    described: Mapping[str, Any] = new if isinstance(new, dict) else {}
    kind = change.kind
    if kind == "type":
        loose = {k: v for k, v in described.items() if k not in ("enum", "const")}
        yield from (sample({**loose, "type": name}, lookup) for name in change.values)
    elif kind == "values":
        yield from change.values
    elif kind in ("lower", "upper", "multiple"):
        yield from (v for bound in change.values for v in _around(bound))
    elif kind in ("minLength", "maxLength"):
        yield from _counted(change, lambda n: "a" * n)
    elif kind in ("minItems", "maxItems", "unique"):
        item = sample(described.get("items", True), lookup)
        if kind == "unique":
            yield [item, copy.deepcopy(item)]
        yield from _counted(change, lambda n: [_varied(item, i) for i in range(n)])
    elif kind in ("pattern", "format"):
        yield from (*_STRINGS, _string(described, lookup, 0))
    elif kind in ("property-removed", "additional"):
        yield from _ODD_VALUES
    yield sample(change.new_schema, lookup)


def candidates(change: SchemaChange, base: object, lookup: Lookup) -> Iterator[object]:
    """Whole values to try: ``base`` with each local candidate at the change's path."""
    path = change.path
    if change.kind == "required-removed":
        name = str(change.values[0])
        yield place(base, (*path, ("property", name)), DELETE)
        return
    if any(step[0] == "name" for step in path):
        return
    for value in _local(change, lookup):
        yield place(base, path, value)
