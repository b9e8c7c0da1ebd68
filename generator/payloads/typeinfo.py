"""Facts about model types: which JSON kinds they accept, which Python classes they are.

Unions are decoded by JSON kind (and schema) and encoded by Python class, so both
views are needed. A definition still being built is known only by its shape
(``"class"``, ``"tuple"``, ...); ``Shapes`` answers for those.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from generator.payloads.model import (
    JSON_KINDS,
    AliasDef,
    ClassDef,
    Definition,
    ListOf,
    LiteralOf,
    MapOf,
    Nullable,
    Primitive,
    Ref,
    TupleDef,
    TypeExpr,
    UnionDef,
)

__all__ = [
    "NATIVE_CLASSES",
    "Lookup",
    "Shape",
    "is_native",
    "json_kinds",
    "python_classes",
    "references",
]

Shape = Literal["class", "tuple", "union", "alias"]

Lookup = Callable[[str], Definition | Shape]
"""The definition of a name, or only its shape while it is being built."""

NATIVE_CLASSES = frozenset({"str", "int", "float", "bool", "None", "list", "dict"})
"""Python classes whose values are their own JSON."""

_PRIMITIVE_KINDS: dict[str, tuple[str, ...]] = {
    "str": ("string",),
    "datetime": ("string",),
    "date": ("string",),
    "time": ("string",),
    "uuid": ("string",),
    "int": ("number",),
    "float": ("number",),
    "bool": ("boolean",),
    "none": ("null",),
    "json": JSON_KINDS,
    "never": (),
}

_PRIMITIVE_CLASSES: dict[str, frozenset[str]] = {
    "str": frozenset({"str"}),
    "int": frozenset({"int"}),
    "float": frozenset({"int", "float"}),
    "bool": frozenset({"bool"}),
    "none": frozenset({"None"}),
    "json": NATIVE_CLASSES,
    "datetime": frozenset({"_dt.datetime"}),
    "date": frozenset({"_dt.date"}),
    "time": frozenset({"_dt.time"}),
    "uuid": frozenset({"UUID"}),
    "never": frozenset(),
}


def _ordered(kinds: set[str]) -> tuple[str, ...]:
    return tuple(kind for kind in JSON_KINDS if kind in kinds)


def _literal_kind(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int) else "string"


def _definition_kinds(name: str, lookup: Lookup) -> tuple[str, ...]:
    found = lookup(name)
    if found == "class" or isinstance(found, ClassDef):
        return ("object",)
    if found == "tuple" or isinstance(found, TupleDef):
        return ("array",)
    if isinstance(found, AliasDef):
        return json_kinds(found.target, lookup)
    if isinstance(found, UnionDef):
        return _ordered({kind for member in found.members for kind in member.kinds})
    return JSON_KINDS  # an alias or union still being built: it could be anything


def json_kinds(expr: TypeExpr, lookup: Lookup) -> tuple[str, ...]:
    """The JSON kinds whose values ``expr`` can decode, in ``JSON_KINDS`` order."""
    match expr:
        case Primitive(name=name):
            kinds = _PRIMITIVE_KINDS[name]
        case LiteralOf(values=values):
            kinds = _ordered({_literal_kind(v) for v in values})
        case ListOf():
            kinds = ("array",)
        case MapOf():
            kinds = ("object",)
        case Nullable(inner=inner):
            kinds = _ordered({"null", *json_kinds(inner, lookup)})
        case Ref(name=name):
            kinds = _definition_kinds(name, lookup)
    return kinds


def _definition_classes(name: str, lookup: Lookup) -> frozenset[str] | None:
    found = lookup(name)
    if found == "class" or isinstance(found, ClassDef):
        return frozenset({name})
    if found == "tuple" or isinstance(found, TupleDef):
        return frozenset({"tuple"})
    if isinstance(found, AliasDef):
        return python_classes(found.target, lookup)
    if isinstance(found, UnionDef):
        member_classes = [python_classes(member.type, lookup) for member in found.members]
        if any(classes is None for classes in member_classes):
            return None
        return frozenset().union(*(c for c in member_classes if c is not None))
    return None


def python_classes(expr: TypeExpr, lookup: Lookup) -> frozenset[str] | None:
    """Python classes of the values of ``expr``; None while that is not known yet."""
    classes: frozenset[str] | None
    match expr:
        case Primitive(name=name):
            classes = _PRIMITIVE_CLASSES[name]
        case LiteralOf(values=values):
            classes = frozenset(type(v).__name__ for v in values)
        case ListOf():
            classes = frozenset({"list"})
        case MapOf():
            classes = frozenset({"dict"})
        case Nullable(inner=inner):
            inner_classes = python_classes(inner, lookup)
            classes = None if inner_classes is None else inner_classes | {"None"}
        case Ref(name=name):
            classes = _definition_classes(name, lookup)
    return classes


def is_native(expr: TypeExpr, lookup: Lookup, seen: frozenset[str] = frozenset()) -> bool:
    """Whether values of ``expr`` are their own JSON (so encoding only copies them).

    A recursive type is native when it is native wherever it refers to itself.
    """
    classes = python_classes(expr, lookup)
    if classes is None or not classes <= NATIVE_CLASSES:
        return False
    # A list or map is native only when its items are.
    match expr:
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            native = is_native(inner, lookup, seen)
        case Ref(name=name) if name in seen:
            native = True
        case Ref(name=name):
            found = lookup(name)
            inside = seen | {name}
            native = (isinstance(found, AliasDef) and is_native(found.target, lookup, inside)) or (
                isinstance(found, UnionDef)
                and all(is_native(member.type, lookup, inside) for member in found.members)
            )
        case _:
            native = True
    return native


def encoded_classes(expr: TypeExpr, lookup: Lookup) -> tuple[str, ...]:
    """The Python classes a union's encoder tells ``expr``'s values by; () if it copies them."""
    if is_native(expr, lookup):
        return ()
    classes = python_classes(expr, lookup)
    return () if classes is None else tuple(sorted(classes))


def references(expr: TypeExpr) -> list[str]:
    """Names of the definitions ``expr`` mentions, in order."""
    if isinstance(expr, Ref):
        return [expr.name]
    if isinstance(expr, ListOf):
        return references(expr.item)
    if isinstance(expr, MapOf):
        return references(expr.value)
    if isinstance(expr, Nullable):
        return references(expr.inner)
    return []
