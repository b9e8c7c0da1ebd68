"""JSON Schema to Python types: the payload half of the generated package.

The document pipeline hands over every schema a message uses (``TypeRoot``); this
stage decides class names, renders ``payloads.py`` (types plus one encode and one decode
function per root), ``schemas.py`` (each root's schema, normalized to self-contained
draft 7 that the runtime validator compiles) and ``examples.py`` (the spec's examples,
with a round-trip check). The rest of the generated package refers to a root only
through its ``RootBinding``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Location
from generator.schema_graph import JsonSchema, SchemaGraph

__all__ = ["RootBinding", "TypeRoot", "TypesModule", "build_types"]


@dataclass(frozen=True, slots=True)
class TypeRoot:
    """A schema that generated code refers to by name: a message's payload or headers."""

    key: str
    """Caller-chosen stable id, unique per root, e.g. ``messages/orderCreated/payload``."""
    schema: JsonSchema
    """The root schema; ``$ref`` values inside are keys of the ``SchemaGraph``."""
    name_hint: str
    """Preferred source of the Python name, e.g. the message name ``OrderCreated``."""
    location: Location
    """Where the schema is written, for diagnostics."""
    examples: tuple[object, ...] = ()
    """The spec's examples of this payload or header set, as parsed JSON values."""


@dataclass(frozen=True, slots=True)
class RootBinding:
    """How generated code names, encodes, decodes and validates one root."""

    key: str
    annotation: str
    """A type expression valid where ``payloads`` is imported as a module, e.g.
    ``payloads.OrderCreated`` or ``list[payloads.Item]`` or ``str | None``."""
    encode: str
    """Name of ``def <encode>(value: <type>) -> JsonValue`` in ``payloads.py``."""
    decode: str
    """Name of ``def <decode>(data: JsonValue) -> <type>`` in ``payloads.py``; ``data`` was
    validated against the schema first, so decoding does not re-check it."""
    schema: str
    """Name of the constant in ``schemas.py`` holding the normalized schema."""
    public_names: tuple[str, ...] = ()
    """Names in ``payloads.py`` a user needs to build or read this root (classes, enums)."""


@dataclass(frozen=True, slots=True)
class TypesModule:
    """The rendered payload modules and how each root maps into them."""

    roots: Mapping[str, RootBinding]
    payloads_source: str
    schemas_source: str
    examples_source: str
    public_names: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def build_types(
    graph: SchemaGraph,
    roots: Sequence[TypeRoot],
    *,
    reserved_names: frozenset[str] = frozenset(),
) -> TypesModule:
    """Build the payload types of ``roots``; names in ``reserved_names`` are never used."""
    raise NotImplementedError("The type builder is not written yet.")
