"""Read what a schema says about the shape of its values, merging ``allOf`` parts.

``Facets`` collect the keywords that decide a Python type: the allowed JSON types,
``enum``/``const``, ``format``, properties, items and union members. ``read`` follows
``$ref`` and merges every ``allOf`` part into one ``Facets`` (all parts must hold, so
types and enums intersect and properties add up); parts that contradict each other are
reported, never silently merged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import escape_pointer_token
from generator.payloads.keywords import is_object, is_schema
from generator.schema_graph import SchemaGraph

__all__ = ["At", "Conflict", "Facets", "UnionPart", "read", "same_json"]


@dataclass(frozen=True, slots=True)
class At:
    """A schema and its place: a graph key (or a root's place) and a pointer below it."""

    schema: Any
    base: str
    pointer: str = ""

    @property
    def place(self) -> str:
        """``<file>#<pointer>`` of the schema, unique per schema node."""
        return self.base + self.pointer

    def child(self, schema: Any, *tokens: str | int) -> At:
        """The subschema reached through ``tokens``."""
        suffix = "".join(f"/{escape_pointer_token(t)}" for t in tokens)
        return At(schema, self.base, self.pointer + suffix)


@dataclass(frozen=True, slots=True)
class UnionPart:
    """A ``oneOf`` or ``anyOf`` keyword with its members."""

    keyword: str
    members: tuple[At, ...]
    site: At


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two ``allOf`` parts that no value can satisfy together."""

    site: At
    message: str


@dataclass(slots=True)
class Facets:
    """The shape of the values a schema (with its ``allOf`` parts) accepts."""

    types: frozenset[str] | None = None
    """Allowed JSON types; None when the schema does not restrict them."""
    enum: list[Any] | None = None
    format: str | None = None
    properties: dict[str, list[At]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    additional: list[At] = field(default_factory=list)
    """Schemas given as ``additionalProperties``."""
    closed: list[At] = field(default_factory=list)
    """Schemas that say ``additionalProperties: false``."""
    pattern_properties: bool = False
    items: list[At] = field(default_factory=list)
    prefix: list[list[At]] = field(default_factory=list)
    rest_items: list[At] = field(default_factory=list)
    rest_closed: bool = False
    min_items: int = 0
    unions: list[UnionPart] = field(default_factory=list)
    discriminator: str | None = None
    """The property a ``discriminator`` names, here or in an ``allOf`` part."""
    discriminator_at: At | None = None
    """The schema that says ``discriminator`` (its ``mapping`` is read from there)."""
    never: bool = False
    title: str | None = None
    description: str | None = None
    object_keywords: bool = False
    array_keywords: bool = False
    refines: bool = False
    """Whether it says more than ``type`` (so it changes what a union member means)."""

    @property
    def nullable(self) -> bool:
        """Whether JSON ``null`` is allowed."""
        if self.enum is not None:
            return any(value is None for value in self.enum)
        return self.types is None or "null" in self.types


_OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependencies",
    }
)
_ARRAY_KEYWORDS = frozenset(
    {"items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"}
)
_NOT_REFINING = frozenset(
    {"type", "title", "description", "discriminator", "nullable", "examples", "example"}
)


def same_json(left: Any, right: Any) -> bool:
    """JSON equality: numbers by value, but ``true`` is not ``1``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_json, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_json(v, right[k]) for k, v in left.items())
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and bool(left == right)


def _intersect_types(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    common = set(left & right)
    # An integer is a number, so {number} and {integer} share "integer".
    if ("number" in left and "integer" in right) or ("integer" in left and "number" in right):
        common.add("integer")
    return frozenset(common)


_JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})


def _type_names(value: Any) -> frozenset[str] | None:
    # Names that are no JSON type are reported when the schema is embedded; here they
    # are left out, and a type keyword with no valid name restricts nothing.
    names = value if isinstance(value, list) else [value]
    valid = frozenset(n for n in names if isinstance(n, str) and n in _JSON_TYPES)
    return valid or None


class _Reader:
    def __init__(self, graph: SchemaGraph, report: Callable[[Conflict], None]) -> None:
        self.graph = graph
        self.report = report
        self.following: list[str] = []

    def read(self, at: At) -> Facets:
        schema = at.schema
        if schema is False:
            return Facets(never=True, refines=True)
        if not is_object(schema):
            return Facets()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._reference(ref, at)
        facets = self._own(schema, at)
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for index, part in enumerate(all_of):
                merge_into(facets, self.read(at.child(part, "allOf", index)), at, self.report)
        return facets

    def _reference(self, ref: str, at: At) -> Facets:
        if ref in self.following or ref not in self.graph.nodes:
            # A cycle through allOf, or a dangling reference: the caller reports it.
            return Facets()
        self.following.append(ref)
        try:
            facets = self.read(At(self.graph.get(ref), ref))
        finally:
            self.following.pop()
        facets.title = facets.description = None  # the referrer documents itself
        return facets

    def _own(self, schema: Mapping[str, Any], at: At) -> Facets:
        facets = Facets(
            title=_text(schema.get("title")),
            description=_text(schema.get("description")),
            object_keywords=not _OBJECT_KEYWORDS.isdisjoint(schema),
            array_keywords=not _ARRAY_KEYWORDS.isdisjoint(schema),
            refines=any(k not in _NOT_REFINING and not k.startswith("x-") for k in schema),
        )
        if "type" in schema:
            facets.types = _type_names(schema["type"])
        if "enum" in schema and isinstance(schema["enum"], list):
            facets.enum = list(schema["enum"])
        if "const" in schema:
            facets.enum = [schema["const"]]
        if schema.get("nullable") is True:
            if facets.enum is not None and not any(v is None for v in facets.enum):
                facets.enum.append(None)
            if facets.types is not None:
                facets.types |= {"null"}
        if isinstance(schema.get("format"), str):
            facets.format = schema["format"]
        self._object(facets, schema, at)
        self._array(facets, schema, at)
        for keyword in ("oneOf", "anyOf"):
            members = schema.get(keyword)
            if isinstance(members, list):
                facets.unions.append(
                    UnionPart(
                        keyword,
                        tuple(at.child(m, keyword, i) for i, m in enumerate(members)),
                        at,
                    )
                )
        facets.discriminator = _discriminator(schema.get("discriminator"))
        if facets.discriminator is not None:
            facets.discriminator_at = at
        return facets

    @staticmethod
    def _object(facets: Facets, schema: Mapping[str, Any], at: At) -> None:
        properties = schema.get("properties")
        if is_object(properties):
            for name, sub in properties.items():
                facets.properties[name] = [at.child(sub, "properties", name)]
        required = schema.get("required")
        if isinstance(required, list):
            facets.required = [n for n in dict.fromkeys(required) if isinstance(n, str)]
        additional = schema.get("additionalProperties")
        if additional is False:
            facets.closed.append(at)
        elif is_object(additional):
            facets.additional.append(at.child(additional, "additionalProperties"))
        facets.pattern_properties = isinstance(schema.get("patternProperties"), Mapping)

    @staticmethod
    def _array(facets: Facets, schema: Mapping[str, Any], at: At) -> None:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(prefix, list):
            facets.prefix = [[at.child(p, "prefixItems", i)] for i, p in enumerate(prefix)]
            rest: Any = items
            rest_at = at.child(items, "items")
        elif isinstance(items, list):
            facets.prefix = [[at.child(p, "items", i)] for i, p in enumerate(items)]
            rest = schema.get("additionalItems")
            rest_at = at.child(rest, "additionalItems")
        else:
            if is_schema(items):
                facets.items.append(at.child(items, "items"))
            return
        if rest is False:
            facets.rest_closed = True
        elif is_object(rest):
            facets.rest_items.append(rest_at)
        min_items = schema.get("minItems")
        if isinstance(min_items, int) and not isinstance(min_items, bool):
            facets.min_items = min_items


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _discriminator(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if is_object(value) and isinstance(value.get("propertyName"), str):
        return str(value["propertyName"])
    return None


def merge_into(target: Facets, part: Facets, site: At, report: Callable[[Conflict], None]) -> None:
    """Add the constraints of ``part`` (an ``allOf`` part of ``site``) to ``target``."""
    if target.types is not None and part.types is not None:
        common = _intersect_types(target.types, part.types)
        if not common:
            report(
                Conflict(
                    site,
                    f"The allOf parts allow no common JSON type: one allows "
                    f"{_listed(target.types)}, another {_listed(part.types)}.",
                )
            )
            target.never = True
        target.types = common
    elif part.types is not None:
        target.types = part.types
    if part.enum is not None:
        if target.enum is None:
            target.enum = list(part.enum)
        else:
            target.enum = [v for v in target.enum if any(same_json(v, w) for w in part.enum)]
    if part.format is not None:
        if target.format is not None and target.format != part.format:
            report(
                Conflict(
                    site,
                    f"The allOf parts ask for different formats, {target.format!r} and "
                    f"{part.format!r}; a value cannot have both.",
                )
            )
        target.format = target.format or part.format
    for name, places in part.properties.items():
        target.properties.setdefault(name, []).extend(places)
    target.required.extend(n for n in part.required if n not in target.required)
    target.additional.extend(part.additional)
    target.closed.extend(part.closed)
    target.pattern_properties |= part.pattern_properties
    target.items.extend(part.items)
    for index, places in enumerate(part.prefix):
        if index < len(target.prefix):
            target.prefix[index].extend(places)
        else:
            target.prefix.append(list(places))
    target.rest_items.extend(part.rest_items)
    target.rest_closed |= part.rest_closed
    target.min_items = max(target.min_items, part.min_items)
    target.unions.extend(part.unions)
    # The first part that names a discriminator also says where its mapping is.
    if_unset = target.discriminator is None
    target.discriminator_at = part.discriminator_at if if_unset else target.discriminator_at
    target.discriminator = part.discriminator if if_unset else target.discriminator
    target.never |= part.never
    target.title = target.title or part.title
    target.description = target.description or part.description
    target.object_keywords |= part.object_keywords
    target.array_keywords |= part.array_keywords
    target.refines |= part.refines


def _listed(types: frozenset[str]) -> str:
    return " or ".join(sorted(types))


def read(at: At, graph: SchemaGraph, report: Callable[[Conflict], None]) -> Facets:
    """The facets of the schema at ``at``, with references followed and ``allOf`` merged."""
    return _Reader(graph, report).read(at)
