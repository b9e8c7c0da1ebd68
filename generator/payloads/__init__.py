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
from generator.emit.module import Module
from generator.payloads.build import build_model
from generator.payloads.model import Ref, TypeModel
from generator.payloads.render_examples import render_examples
from generator.payloads.render_payloads import render_payloads
from generator.payloads.render_schemas import render_schemas
from generator.payloads.typeinfo import python_classes
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
    examples: str | None = None
    """Name of the constant in ``examples.py`` holding the root's examples, if any."""
    null_only: bool = False
    """Whether JSON ``null`` is the only value (the type is ``None``), so decoding gives
    nothing to keep; mypy refuses to use what a function that only returns None returns."""
    accepts_nothing: bool = False
    """Whether no value at all is valid (the schema is ``false``, or its parts contradict
    each other): a message of this schema can never be sent or received."""


@dataclass(frozen=True, slots=True)
class TypesModule:
    """The payload modules, framed but for their header, and how each root maps into them."""

    roots: Mapping[str, RootBinding]
    payloads: Module
    schemas: Module
    examples: Module
    public_names: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def payloads_source(self) -> str:
        """The text of ``payloads.py`` without the package's header."""
        return self.payloads.render()

    @property
    def schemas_source(self) -> str:
        """The text of ``schemas.py`` without the package's header."""
        return self.schemas.render()

    @property
    def examples_source(self) -> str:
        """The text of ``examples.py`` without the package's header."""
        return self.examples.render()


def _classes(model: TypeModel, type_name: str) -> frozenset[str] | None:
    return python_classes(Ref(type_name), model.by_name.__getitem__)


def _null_only(model: TypeModel, type_name: str) -> bool:
    """Whether ``None`` is the only value of the type called ``type_name``."""
    return _classes(model, type_name) == frozenset({"None"})


def build_types(
    graph: SchemaGraph,
    roots: Sequence[TypeRoot],
    *,
    reserved_names: frozenset[str] = frozenset(),
) -> TypesModule:
    """Build the payload types of ``roots``; names in ``reserved_names`` are never used."""
    model = build_model(
        graph,
        [(r.key, r.schema, r.name_hint, r.location, r.examples) for r in roots],
        reserved=reserved_names,
    )
    bindings = {
        root.key: RootBinding(
            key=root.key,
            annotation=f"payloads.{root.type_name}",
            encode=root.encode,
            decode=root.decode,
            schema=root.schema,
            public_names=root.public_names,
            examples=root.examples_constant,
            null_only=_null_only(model, root.type_name),
            accepts_nothing=_classes(model, root.type_name) == frozenset(),
        )
        for root in model.roots
    }
    public = tuple(
        name
        for definition in model.definitions
        for name in (definition.name, definition.encode, definition.decode)
    )
    return TypesModule(
        roots=bindings,
        payloads=render_payloads(model),
        schemas=render_schemas(model),
        examples=render_examples(model),
        public_names=public,
        diagnostics=model.diagnostics,
    )
