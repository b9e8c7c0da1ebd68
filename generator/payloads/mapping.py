"""Map JSON Schemas to the model's types and named definitions.

One ``TypeBuilder`` walks the schemas reachable from the roots. A ``$ref`` target is
built once and named once (``Money`` from two files becomes two names, see
``keynames``); an inline schema is named after where it sits (``OrderAddress``). A
definition's name is taken before its fields are built, so recursive schemas simply
refer to it; a target whose name a definition has not taken yet (it becomes an alias
once its type is known) counts as any value meanwhile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from generator.diagnostics import Diagnostic, Level, Location
from generator.payloads.annotations import annotation
from generator.payloads.discriminators import discriminate, target_key
from generator.payloads.hints import JSON, NEVER, NONE, Hint, MatcherRequest, doc_of, nullable
from generator.payloads.keynames import key_names
from generator.payloads.keywords import ANNOTATIONS, SHAPE_KEYWORDS, is_object
from generator.payloads.model import (
    AliasDef,
    Definition,
    ListOf,
    LiteralOf,
    Nullable,
    Primitive,
    PrimitiveName,
    Ref,
    TupleDef,
    TypeExpr,
)
from generator.payloads.naming import Namespace, class_name, function_name
from generator.payloads.objects import ObjectBuilder
from generator.payloads.shape import At, Conflict, Facets, merge_into, read, same_json
from generator.payloads.typeinfo import Shape
from generator.payloads.unions import UnionBuilder
from generator.schema_graph import SchemaGraph

__all__ = ["TypeBuilder"]

_FORMATS: dict[str, PrimitiveName] = {
    "date-time": "datetime",
    "date": "date",
    "time": "time",
    "uuid": "uuid",
}
_SCALARS: dict[str, PrimitiveName] = {
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "none",
}
_KIND_ORDER = ("object", "array", "string", "integer", "number", "boolean")
_LONGEST_FIELD_TYPE = 60
# OpenAPI's ``nullable`` says something about the type too, though not about its shape.
_TYPE_KEYWORDS = SHAPE_KEYWORDS | {"nullable"}


class TypeBuilder:
    """Builds types and definitions; read the results from its attributes afterwards."""

    def __init__(
        self,
        graph: SchemaGraph,
        *,
        keys: list[str],
        reserved: frozenset[str],
        schema_reserved: frozenset[str],
        roots: Sequence[At] = (),
    ) -> None:
        self.graph = graph
        self.names = Namespace(reserved)
        """Names in ``payloads.py``; ``reserved`` holds every name its frame binds."""
        self.key_names = key_names(keys, graph, self.names)
        self.schema_names = Namespace(schema_reserved)
        """Names in ``schemas.py``; ``schema_reserved`` holds every name its frame binds."""
        self.definitions: dict[str, Definition] = {}
        self.shapes: dict[str, Shape] = {}
        self.unclaimed: set[str] = set()
        """Names of ``$ref`` targets already referred to that no definition has taken yet."""
        self.by_key: dict[str, TypeExpr] = {}
        self.by_place: dict[str, TypeExpr] = {}
        self.following: list[str] = []
        self.matchers: list[MatcherRequest] = []
        self.diagnostics: list[Diagnostic] = []
        self.unions = UnionBuilder(self)
        self.objects = ObjectBuilder(self)
        # Decided before any type is built, so a schema's class does not depend on
        # whether a union naming it was reached first.
        schemas = [*roots, *(At(graph.get(key), key) for key in keys)]
        self.tags = discriminate(graph, schemas, lambda at: read(at, graph, _ignore))
        for at, message in self.tags.problems:
            self.report("warning", at, message)

    # Names -----------------------------------------------------------------------------

    def name_for(self, hint: Hint, shape: Shape) -> tuple[str, str, str]:
        """Name a new definition: its name, encoder name and decoder name."""
        if hint.fixed in self.unclaimed:
            name = hint.fixed
            self.unclaimed.discard(name)
        else:
            name = self.names.claim_together(hint.candidates[0], ["encode_{}", "decode_{}"])
        self.shapes[name] = shape
        return name, function_name("encode", name), function_name("decode", name)

    def lookup(self, name: str) -> Definition | Shape:
        """The definition of ``name``, or its shape while it is being built."""
        if name in self.unclaimed:
            # A recursive target is referred to before its type is known. Unless a class,
            # tuple or union takes its name first, it ends up an alias of that type, and
            # until then its values could be anything.
            return "alias"
        return self.definitions.get(name) or self.shapes[name]

    def add(self, definition: Definition) -> Ref:
        """Record a finished definition; definitions are kept in the order they finish."""
        self.definitions[definition.name] = definition
        return Ref(definition.name)

    # Diagnostics -----------------------------------------------------------------------

    def locate(self, at: At) -> Location:
        """Where ``at`` is written (file, line and pointer)."""
        try:
            return self.graph.locate(at.place)
        except (LookupError, ValueError):
            file, _, pointer = at.place.partition("#")
            return Location(file, pointer)

    def report(self, level: Level, at: At, message: str) -> None:
        """Record a diagnostic about the schema at ``at``."""
        self.diagnostics.append(Diagnostic(level, self.locate(at), message))

    def conflict(self, conflict: Conflict) -> None:
        """Report ``allOf`` parts that contradict each other."""
        self.report("error", conflict.site, conflict.message)

    def read(self, at: At) -> Facets:
        """The facets of the schema at ``at``, with its discriminator value as a const."""
        facets = read(at, self.graph, self.conflict)
        key = self._key_of(at)
        tag = self.tags.by_key.get(key) if key is not None else None
        if tag is not None and key is not None:
            # The value is the schema's name: a const the document leaves unwritten.
            value = At({"const": tag.value}, key, "/discriminator")
            facets.properties.setdefault(tag.property, []).append(value)
        return facets

    def _key_of(self, at: At) -> str | None:
        """The graph key ``at`` is (or refers to), if any."""
        ref = at.schema.get("$ref") if is_object(at.schema) else None
        if isinstance(ref, str):
            return target_key(self.graph, ref)
        return at.base if at.pointer == "" and at.base in self.graph.nodes else None

    # Schemas to types ------------------------------------------------------------------

    def type_of(self, at: At, hint: Hint) -> TypeExpr:
        """The type of the schema at ``at``, making definitions as needed."""
        schema = at.schema
        if schema is True:
            return JSON
        if schema is False:
            return NEVER
        if not is_object(schema):
            return JSON
        ref = schema.get("$ref")
        target = ref if isinstance(ref, str) else _wrapped_reference(schema)
        if target is not None:
            return self.type_of_key(target, at)
        known = self.by_place.get(at.place)
        if known is not None:
            return known
        result = self.from_facets(self.read(at), at, hint)
        self.by_place[at.place] = result
        return result

    def type_of_key(self, key: str, referrer: At) -> TypeExpr:
        """The type of the ``$ref`` target ``key``: one definition, however often used."""
        known = self.by_key.get(key)
        if known is not None:
            return known
        if key not in self.graph.nodes:
            self.report(
                "error",
                referrer,
                f"The reference {key!r} points to no schema; the value is typed as JsonValue.",
            )
            return JSON
        node = self.graph.get(key)
        if is_object(node) and isinstance(node.get("$ref"), str):
            return self._reference_chain(key, node["$ref"])
        name = self.key_names[key]
        self.by_key[key] = Ref(name)
        self.unclaimed.add(name)
        at = At(node, key)
        hint = Hint((name,), _about_key(key), fixed=name, exact=True)
        result = self.from_facets(self.read(at), at, hint)
        if result in (Ref(name), Nullable(Ref(name))) and name in self.unclaimed:
            result = self._only_itself(at)
        if result != Ref(name):
            self.alias(hint, result, doc_of(self.read(at), hint))
        return Ref(name)

    def _only_itself(self, at: At) -> TypeExpr:
        """The type of a schema whose type is itself (``oneOf: [{$ref: itself}]``)."""
        self.report(
            "error",
            at,
            "This schema refers to itself without an array or object in between, so it "
            "describes no value; it is typed as JsonValue.",
        )
        return JSON

    def _reference_chain(self, key: str, target: str) -> TypeExpr:
        if key in self.following:
            self.report(
                "error",
                At(self.graph.get(key), key),
                "This schema refers to itself through '$ref' alone, so it describes no "
                "value; it is typed as JsonValue.",
            )
            return JSON
        self.following.append(key)
        try:
            result = self.type_of_key(target, At(self.graph.get(key), key))
        finally:
            self.following.pop()
        self.by_key[key] = result
        return result

    def from_facets(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        """The type of a schema described by ``facets``."""
        if facets.never:
            return NEVER
        if facets.enum is not None:
            return self._enum(facets, at, hint)
        if facets.unions:
            union = self.unions.build(facets, at, hint)
            if union is not None:
                return union
        if facets.types is not None:
            return self._typed(facets, at, hint)
        return self._untyped(facets, at, hint)

    def _untyped(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        """A schema without ``type``: typed by its object or array keywords, if any."""
        if facets.properties:
            self.report(
                "warning",
                at,
                "This schema has properties but no 'type: object', so values that are not "
                "objects pass validation although they cannot be decoded; add 'type: object'.",
            )
        if facets.properties or facets.additional:
            return self._object(facets, at, hint)
        if facets.items or facets.prefix:
            return self._array(facets, at, hint)
        return JSON

    def _typed(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        assert facets.types is not None
        kinds = set(facets.types - {"null"})
        if {"integer", "number"} <= kinds:
            kinds.discard("integer")  # every integer is a number
        if not kinds:
            return NONE
        ordered = [k for k in _KIND_ORDER if k in kinds]
        has_null = "null" in facets.types
        inner_hint = hint.without_null() if has_null else hint
        if len(ordered) == 1:
            result = self.kind_type(ordered[0], facets, at, inner_hint)
        else:
            result = self.unions.by_kind(ordered, facets, at, inner_hint)
        return nullable(result) if has_null else result

    def kind_type(self, kind: str, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        """The type of the values of JSON type ``kind`` that ``facets`` allow."""
        if kind == "string":
            return Primitive(_FORMATS.get(facets.format or "", "str"))
        if kind == "object":
            return self._object(facets, at, hint)
        if kind == "array":
            return self._array(facets, at, hint)
        return Primitive(_SCALARS[kind])

    def _enum(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        assert facets.enum is not None
        values: list[Any] = []
        for value in facets.enum:
            if _allowed_by_types(value, facets.types) and not any(
                same_json(value, v) for v in values
            ):
                values.append(value)
        has_null = any(v is None for v in values)
        rest = [_integral(v) for v in values if v is not None]
        if not rest:
            return NONE if has_null else NEVER
        if all(isinstance(v, str | int) for v in rest):
            # Named, so each Literal has a decoder typed by its own return annotation.
            literal_hint = hint.without_null() if has_null else hint
            result: TypeExpr = self.alias(
                literal_hint, LiteralOf(tuple(rest)), doc_of(facets, literal_hint)
            )
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in rest):
            result = Primitive("float")
        else:
            result = JSON
        return nullable(result) if has_null else result

    def _object(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        return self.objects.build(facets, at, hint)

    def _array(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        if facets.prefix:
            return self._tuple(facets, at, hint)
        if not facets.items:
            return ListOf(JSON)
        item_hint = hint.child("item", about=hint.of("An item of"))
        return ListOf(self.merged_type(facets.items, at, item_hint))

    def _tuple(self, facets: Facets, at: At, hint: Hint) -> TypeExpr:
        positions = tuple(
            self.merged_type(places, at, hint.child(f"item{i}", about=hint.of(f"Item {i} of")))
            for i, places in enumerate(facets.prefix)
        )
        rest: TypeExpr | None = None
        if not facets.rest_closed:
            rest = JSON
            if facets.rest_items:
                rest_hint = hint.child("rest", about=hint.of("A further item of"))
                rest = self.merged_type(facets.rest_items, at, rest_hint)
        required = min(facets.min_items, len(positions))
        name, encode, decode = self.name_for(hint, "tuple")
        return self.add(
            TupleDef(name, doc_of(facets, hint), positions, required, rest, encode, decode)
        )

    def merged_type(self, places: list[At], site: At, hint: Hint) -> TypeExpr:
        """The type of the schemas in ``places``, which all apply (``allOf`` parts).

        Contradicting parts are reported at ``site``, naming the schema ``hint`` is for.
        """
        shaping = [p for p in places if _says_anything(p.schema)] or places[:1]
        distinct: list[At] = []
        for place in shaping:
            if not any(same_json(place.schema, d.schema) for d in distinct):
                distinct.append(place)
        if len(distinct) == 1:
            return self.type_of(distinct[0], hint)

        def conflict(found: Conflict) -> None:
            file = site.base.partition("#")[0]
            where = ", ".join(
                "#" + p.place.partition("#")[2] if p.place.startswith(file + "#") else p.place
                for p in distinct
            )
            self.report(
                "error",
                site,
                f"{hint.about[:1].upper()}{hint.about[1:-1]} is declared more than once "
                f"({where}) and the declarations contradict each other: {found.message}",
            )

        facets = Facets()
        for place in distinct:
            merge_into(facets, self.read(place), site, conflict)
        return self.from_facets(facets, distinct[0], hint)

    def alias(self, hint: Hint, target: TypeExpr, doc: str) -> Ref:
        """Name ``target`` with a type alias."""
        name, encode, decode = self.name_for(hint, "alias")
        return self.add(AliasDef(name, doc, target, encode, decode))

    def short(self, expr: TypeExpr, owner: str, part: str) -> TypeExpr:
        """``expr``, or an alias for it when its annotation would crowd a line.

        Field lines and union operands stay within the line length this way, which is
        where ruff's own choices would otherwise be hard to predict.
        """
        if len(annotation(expr)) <= _LONGEST_FIELD_TYPE:
            return expr
        inner = expr.inner if isinstance(expr, Nullable) else expr
        hint = Hint((class_name(owner, part, keep_tail=True),), f"Type of ``{owner}.{part}``.")
        named = self.alias(hint, inner, hint.about)
        return nullable(named) if isinstance(expr, Nullable) else named

    def union_part_facets(self, facets: Facets) -> Facets:
        """A copy of ``facets`` without union keywords: what every member also satisfies."""
        return dataclasses.replace(
            facets,
            properties={k: list(v) for k, v in facets.properties.items()},
            required=list(facets.required),
            additional=list(facets.additional),
            closed=list(facets.closed),
            items=list(facets.items),
            prefix=[list(p) for p in facets.prefix],
            rest_items=list(facets.rest_items),
            unions=[],
            enum=None if facets.enum is None else list(facets.enum),
        )


def _ignore(conflict: Conflict) -> None:
    del conflict  # reported when the type is built


def _says_anything(schema: Any) -> bool:
    if not is_object(schema):
        return True
    return any(key in _TYPE_KEYWORDS for key in schema)


def _json_type(value: Any) -> str:
    kinds = {type(None): "null", bool: "boolean", str: "string", list: "array", dict: "object"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "integer" if isinstance(value, int) or value.is_integer() else "number"
    return kinds.get(type(value), "object")


def _allowed_by_types(value: Any, types: frozenset[str] | None) -> bool:
    if types is None:
        return True
    kind = _json_type(value)
    return kind in types or (kind == "integer" and "number" in types)


def _integral(value: Any) -> Any:
    # JSON Schema counts 1.0 as the integer 1; a Literal needs the int.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _about_key(key: str) -> str:
    file, _, pointer = key.partition("#")
    return f"The schema ``{pointer or '/'}`` of ``{file}``."


def _wrapped_reference(schema: Mapping[str, Any]) -> str | None:
    """The target of ``{allOf: [{$ref: X}]}`` with only annotations beside it.

    Documents wrap a reference in ``allOf`` to give it a description of its own; the
    type is the target's, and reading it as a merge would follow a recursive target
    without end.
    """
    parts = schema.get("allOf")
    if not isinstance(parts, list) or len(parts) != 1 or not is_object(parts[0]):
        return None
    ref = parts[0].get("$ref")
    if not isinstance(ref, str) or len(parts[0]) != 1:
        return None
    others = set(schema) - {"allOf"}
    return ref if others <= ANNOTATIONS else None
