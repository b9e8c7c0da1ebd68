"""From roots to the model: types, embedded schemas, checked examples, diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from generator.diagnostics import Diagnostic, Location
from generator.emit.imports import Import, Imports
from generator.payloads import render_examples, render_payloads, render_schemas
from generator.payloads.embedding import Embedder, self_contained
from generator.payloads.example_check import check_examples
from generator.payloads.hints import Hint
from generator.payloads.keynames import reachable_keys
from generator.payloads.mapping import TypeBuilder
from generator.payloads.model import (
    AliasDef,
    ClassDef,
    Definition,
    Ref,
    RootDef,
    TupleDef,
    TypeModel,
    UnionDef,
)
from generator.payloads.naming import Namespace, class_name, constant_name
from generator.payloads.shape import At
from generator.payloads.typeinfo import encoded_classes, json_kinds, references
from generator.schema_graph import JsonSchema, SchemaGraph

__all__ = ["RootInput", "build_model"]

RootInput = tuple[str, JsonSchema, str, Location, tuple[object, ...]]
"""A root as ``(key, schema, name hint, location, examples)``."""


def _mentions(definition: Definition) -> list[str]:
    match definition:
        case ClassDef(fields=fields, extra=extra):
            names = [n for f in fields for n in references(f.type)]
            return names + (references(extra.value) if extra else [])
        case AliasDef(target=target):
            return references(target)
        case TupleDef(items=items, rest=rest):
            return [n for i in items for n in references(i)] + (references(rest) if rest else [])
        case UnionDef(members=members):
            return [n for m in members for n in references(m.type)]


def _reachable(name: str, definitions: dict[str, Definition]) -> tuple[str, ...]:
    order: dict[str, None] = {}
    stack = [name]
    while stack:
        current = stack.pop()
        if current in order:
            continue
        order[current] = None
        stack.extend(reversed(_mentions(definitions[current])))
    return tuple(order)


def _settle_union_classes(builder: TypeBuilder) -> None:
    """Each union member's JSON kinds and Python classes, again once every definition exists.

    A member that refers to a recursive schema still being typed when its union is
    could be anything then: it would be decoded from every kind of JSON value and
    encoded as if its values were their own JSON. With every definition built, what
    it accepts is known.
    """
    for name, definition in list(builder.definitions.items()):
        if not isinstance(definition, UnionDef):
            continue
        members = tuple(
            replace(
                member,
                kinds=json_kinds(member.type, builder.lookup),
                classes=encoded_classes(member.type, builder.lookup),
            )
            for member in definition.members
        )
        if members != definition.members:
            builder.definitions[name] = replace(definition, members=members)


def _bound(imports: Iterable[Import]) -> frozenset[str]:
    """The names ``imports`` bind in a module, which its own names must not take."""
    return Imports().add(*imports).bound


def build_model(
    graph: SchemaGraph, roots: Sequence[RootInput], *, reserved: frozenset[str]
) -> TypeModel:
    """Build the model of ``roots``: every root typed, named, embedded and exemplified."""
    keys = reachable_keys(graph, [schema for _, schema, _, _, _ in roots])
    root_places = [
        At(schema, f"{location.file}#{location.pointer}") for _, schema, _, location, _ in roots
    ]
    builder = TypeBuilder(
        graph,
        keys=keys,
        reserved=reserved | _bound(render_payloads.IMPORTS.values()),
        schema_reserved=reserved | _bound(render_schemas.IMPORTS.values()),
        roots=root_places,
    )
    key_names = set(builder.key_names.values())
    typed: list[tuple[RootInput, At, Hint, str, bool]] = []
    for root, at in zip(roots, root_places, strict=True):
        key, _, name_hint, _, _ = root
        hint = Hint((class_name(name_hint),), f"The ``{key}`` schema.", exact=True)
        before = set(builder.definitions)
        result = builder.type_of(at, hint)
        if not isinstance(result, Ref):
            result = builder.alias(hint, result, hint.about)
        created = result.name not in before and result.name not in key_names
        typed.append((root, at, hint, result.name, created))

    _settle_union_classes(builder)
    embedder = Embedder(graph, builder.locate, builder.schema_names, tags=builder.tags.by_key)
    embedder.add_keys(keys, builder.key_names)
    for matcher in builder.matchers:
        target = embedder.definition_for(matcher.member, [class_name(matcher.constant)])
        embedder.constant(matcher.constant, target, matcher.doc)

    diagnostics: list[Diagnostic] = []
    example_names = Namespace(
        reserved | _bound(render_examples.IMPORTS.values()) | set(render_examples.DEFINED)
    )
    root_defs: list[RootDef] = []
    for (key, _, name_hint, location, examples), at, hint, type_name, created in typed:
        candidates = [type_name, hint.candidates[0]] if created else [hint.candidates[0]]
        target = embedder.definition_for(at, candidates)
        constant = embedder.claim_constant(name_hint)
        doc = f"Schema of ``{name_hint}`` (``{key}``), typed as ``payloads.{type_name}``."
        schema_constant = embedder.constant(constant, target, doc)
        kept: list[Any] = []
        if examples:
            full = self_contained(target, embedder.definitions, schema_constant.definitions)
            kept, problems = check_examples(name_hint, examples, full, location)
            diagnostics += problems
        definition = builder.definitions[type_name]
        root_defs.append(
            RootDef(
                key=key,
                label=name_hint,
                type_name=type_name,
                encode=definition.encode,
                decode=definition.decode,
                schema=constant,
                public_names=_reachable(type_name, builder.definitions),
                examples=tuple(kept),
                examples_constant=example_names.claim([constant_name(name_hint)]) if kept else None,
            )
        )
    return TypeModel(
        definitions=tuple(builder.definitions.values()),
        schema_definitions=tuple(embedder.definitions.values()),
        schema_constants=tuple(embedder.schema_constants),
        roots=tuple(root_defs),
        by_name=dict(builder.definitions),
        diagnostics=tuple(builder.diagnostics + embedder.diagnostics + diagnostics),
    )
