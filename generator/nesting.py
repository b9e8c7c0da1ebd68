"""Refuse payload and header schemas that nest deeper than generated code can follow.

The type builder recurses once per level of subschemas, references included, and the
runtime compiles each schema into Python code with a nested block per level. A
hostile document could chain thousands of schemas through ``$ref`` and exhaust the
stack, or nest a schema so deep that its validator cannot be compiled at run time.
Real schemas nest a few levels, so two generous bounds are checked first, without
recursion, and a deeper schema gets a located error instead of a crash.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.diagnostics import Diagnostic
from generator.payloads import TypeRoot
from generator.payloads.keywords import is_object, subschemas
from generator.schema_graph import SchemaGraph

__all__ = ["MAX_INLINE_NESTING", "MAX_NESTING", "TooDeep", "nesting_problems", "too_deep"]

_NOT_NESTED = frozenset({"definitions", "$defs"})

MAX_NESTING = 64
"""Levels of subschemas (``items``, ``properties``, ``oneOf`` ...) below a message's schema,
counted through references: the type builder recurses once per level."""

MAX_INLINE_NESTING = 16
"""Levels of subschemas written inside one another with no ``$ref`` between them.

The runtime compiles each schema into Python code with one nested block per array,
map or union level, and Python allows 20 (arrays nested 21 deep fail to compile);
a reference becomes a function of its own and starts the count again."""


@dataclass(slots=True)
class _Walk:
    """One schema being walked: its subschemas still to visit and the deepest seen below."""

    children: Iterator[tuple[object, int]]
    depth: int
    """Levels above it, from the message's schema, through references."""
    inline: int
    """Levels above it since the last reference."""
    adds: int
    """1 when it is a subschema of its parent, 0 when its parent referenced it."""
    key: str | None
    """The key of a referenced schema, None for a subschema written inline."""
    deepest: int = 0


@dataclass(frozen=True, slots=True)
class TooDeep:
    """Where a schema nests too deep and which bound it passes."""

    key: str | None
    """The referenced schema that holds the deepest inline nesting; None for the root."""
    inline: bool
    """True for ``MAX_INLINE_NESTING``, False for ``MAX_NESTING``."""


def _subschemas(schema: object) -> Iterator[tuple[object, int]]:
    """Each subschema with 1 (a level deeper), or a reference's key with 0 (the same level)."""
    if not is_object(schema):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        yield ref, 0
    for suffix, value in subschemas(schema):
        # Definitions are schemas kept for reference, not levels of this value.
        if suffix.split("/", 2)[1] not in _NOT_NESTED:
            yield value, 1


def too_deep(graph: SchemaGraph, schema: object) -> TooDeep | None:
    """The first bound ``schema`` passes, walking it and what it references once each.

    A reference back to a schema being walked is recursion, which the types express
    by name, so it adds nothing.
    """
    known: dict[str, int] = {}
    stack = [_Walk(_subschemas(schema), depth=0, inline=0, adds=0, key=None)]
    while stack:
        walk = stack[-1]
        child = next(walk.children, None)
        if child is None:
            stack.pop()
            if walk.key is not None:
                known[walk.key] = walk.deepest
            if stack:
                stack[-1].deepest = max(stack[-1].deepest, walk.deepest + walk.adds)
            continue
        value, adds = child
        depth = walk.depth + adds
        if isinstance(value, str):  # a reference, already rewritten to a key
            if value in known:
                walk.deepest = max(walk.deepest, known[value])
                if depth + known[value] > MAX_NESTING:
                    return TooDeep(key=None, inline=False)
            elif value in graph.nodes and all(w.key != value for w in stack):
                stack.append(_Walk(_subschemas(graph.nodes[value]), depth, 0, 0, value))
            continue
        if depth > MAX_NESTING:
            return TooDeep(key=None, inline=False)
        if walk.inline + 1 > MAX_INLINE_NESTING:
            owner = next((w.key for w in reversed(stack) if w.key is not None), None)
            return TooDeep(key=owner, inline=True)
        stack.append(_Walk(_subschemas(value), depth, walk.inline + 1, adds, None))
    return None


def nesting_problems(graph: SchemaGraph, roots: Sequence[TypeRoot]) -> list[Diagnostic]:
    """An error for each message schema that nests deeper than the bounds allow."""
    problems = []
    for root in roots:
        found = too_deep(graph, root.schema)
        if found is None:
            continue
        if found.inline:
            place = graph.locate(found.key) if found.key is not None else root.location
            message = (
                f"A schema of {root.name_hint!r} nests more than {MAX_INLINE_NESTING} levels "
                "of subschemas inside one another; the runtime could not compile its "
                "validator. Give some of the inner schemas a name under components/schemas "
                "and refer to them with $ref."
            )
        else:
            place = root.location
            message = (
                f"The schema of {root.name_hint!r} nests more than {MAX_NESTING} levels deep "
                "(subschemas counted through their references); amqp-events-gen refuses "
                "deeper schemas. A recursive schema is fine: refer back to it with $ref "
                "instead of repeating its levels."
            )
        problems.append(Diagnostic("error", place, message))
    return problems
