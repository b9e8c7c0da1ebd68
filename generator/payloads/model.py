"""The intermediate model of payload types: the only thing the renderers see.

Schemas are mapped to ``TypeExpr`` values (``str``, ``list[X]``, a reference to a named
definition ...) and to named ``Definition`` values (classes, aliases, tuples, unions).
Everything is frozen, and every tuple is in a deterministic order (the order in which
the schemas were first reached from the roots).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Diagnostic

__all__ = [
    "JSON_KINDS",
    "AliasDef",
    "ClassDef",
    "Definition",
    "Extra",
    "Field",
    "ListOf",
    "LiteralOf",
    "MapOf",
    "Nullable",
    "Primitive",
    "PrimitiveName",
    "Ref",
    "RootDef",
    "SchemaConstant",
    "SchemaDefinition",
    "TupleDef",
    "TypeExpr",
    "TypeModel",
    "UnionDef",
    "UnionMember",
]

PrimitiveName = Literal[
    "str", "int", "float", "bool", "none", "json", "datetime", "date", "time", "uuid", "never"
]

JSON_KINDS = ("null", "boolean", "number", "string", "array", "object")
"""The kinds of JSON value a union member can be recognised by (integers are numbers)."""


@dataclass(frozen=True, slots=True)
class Primitive:
    """A type without parameters: ``str``, ``datetime``, ``JsonValue``, ``Never`` ..."""

    name: PrimitiveName


@dataclass(frozen=True, slots=True)
class LiteralOf:
    """``Literal[...]`` of JSON strings, integers and booleans, in the spec's order."""

    values: tuple[str | int | bool, ...]


@dataclass(frozen=True, slots=True)
class ListOf:
    """``list[item]``."""

    item: TypeExpr


@dataclass(frozen=True, slots=True)
class MapOf:
    """``dict[str, value]``: a JSON object used as a map."""

    value: TypeExpr


@dataclass(frozen=True, slots=True)
class Nullable:
    """``inner | None``: JSON ``null`` is allowed too."""

    inner: TypeExpr


@dataclass(frozen=True, slots=True)
class Ref:
    """A named definition of the payload module."""

    name: str


TypeExpr = Primitive | LiteralOf | ListOf | MapOf | Nullable | Ref


@dataclass(frozen=True, slots=True)
class Field:
    """A property of an object: attribute name, wire name, type, required or optional."""

    attribute: str
    wire: str
    type: TypeExpr
    required: bool
    doc: str
    """The attribute's docstring; empty when the document says nothing about it."""


@dataclass(frozen=True, slots=True)
class Extra:
    """The field keeping properties the schema does not name, so nothing is lost."""

    attribute: str
    value: TypeExpr
    known: tuple[str, ...]
    """Wire names of the named properties (everything else is extra)."""


@dataclass(frozen=True, slots=True)
class ClassDef:
    """A frozen dataclass for a JSON object with named properties."""

    name: str
    doc: str
    fields: tuple[Field, ...]
    extra: Extra | None
    encode: str
    decode: str


@dataclass(frozen=True, slots=True)
class AliasDef:
    """A type alias for a non-object schema, with its own encoder and decoder."""

    name: str
    doc: str
    target: TypeExpr
    encode: str
    decode: str


@dataclass(frozen=True, slots=True)
class TupleDef:
    """``tuple[...]`` for positional arrays; ``rest`` types any further items."""

    name: str
    doc: str
    items: tuple[TypeExpr, ...]
    required: int
    """How many leading items every value has (the others may be missing)."""
    rest: TypeExpr | None
    encode: str
    decode: str


@dataclass(frozen=True, slots=True)
class UnionMember:
    """One member of a union and how to recognise it."""

    type: TypeExpr
    kinds: tuple[str, ...]
    """The JSON kinds it accepts, in ``JSON_KINDS`` order."""
    tags: tuple[str, ...]
    """Values of the union's tag property that select it."""
    matcher: str | None
    """Constant in ``schemas.py`` that tells it apart from members of the same kind."""
    classes: tuple[str, ...]
    """Python classes its values are instances of, when its encoder is not the identity."""


@dataclass(frozen=True, slots=True)
class UnionDef:
    """A ``oneOf``/``anyOf`` union of members."""

    name: str
    doc: str
    members: tuple[UnionMember, ...]
    tag: str | None
    encode: str
    decode: str
    cases: str
    """Private constant holding the encoding cases."""
    variants: str
    """Private constant holding the decoding variants."""


Definition = ClassDef | AliasDef | TupleDef | UnionDef


@dataclass(frozen=True, slots=True)
class SchemaDefinition:
    """A normalized schema that other schemas refer to as ``#/definitions/<name>``."""

    name: str
    constant: str
    schema: object


@dataclass(frozen=True, slots=True)
class SchemaConstant:
    """A self-contained schema in ``schemas.py``: a root's or a union member's."""

    constant: str
    target: str
    """Definition the schema is (``{"$ref": "#/definitions/<target>"}``)."""
    definitions: tuple[str, ...]
    """Every definition it reaches, ``target`` first."""
    doc: str


@dataclass(frozen=True, slots=True)
class RootDef:
    """A root: a message's payload or headers, named and with its examples."""

    key: str
    label: str
    type_name: str
    encode: str
    decode: str
    schema: str
    public_names: tuple[str, ...]
    examples: tuple[object, ...]
    examples_constant: str | None


@dataclass(frozen=True, slots=True)
class TypeModel:
    """Everything the three generated modules are rendered from."""

    definitions: tuple[Definition, ...]
    schema_definitions: tuple[SchemaDefinition, ...]
    schema_constants: tuple[SchemaConstant, ...]
    roots: tuple[RootDef, ...]
    by_name: Mapping[str, Definition]
    diagnostics: tuple[Diagnostic, ...]
