"""The schemas embedded in the generated package, normalized and self-contained.

Every ``$ref`` target becomes one definition (named like its Python type); every
root, and every union member that decoding tells apart by validation, becomes a
constant ``{"$schema": ..., "$ref": "#/definitions/X", "definitions": {...}}`` that
lists exactly the definitions it reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, Location
from generator.payloads.discriminators import Tag
from generator.payloads.keynames import words_of_key
from generator.payloads.keywords import is_object
from generator.payloads.model import SchemaConstant, SchemaDefinition
from generator.payloads.naming import Namespace, class_name, constant_name
from generator.payloads.normalize import Problem, definition_ref, normalize
from generator.payloads.shape import At
from generator.schema_graph import SchemaGraph

__all__ = ["DRAFT_7", "Embedder", "self_contained"]

DRAFT_7 = "http://json-schema.org/draft-07/schema#"
"""The ``$schema`` of every embedded schema."""

_PREFIX = "#/definitions/"


@dataclass(slots=True)
class Embedder:
    """Collects definitions and constants; diagnostics locate problems in the spec."""

    graph: SchemaGraph
    locate: Callable[[At], Location]
    constants: Namespace
    tags: Mapping[str, Tag] = field(default_factory=dict)
    """Discriminator values of named schemas, which their embedded copy requires."""
    definitions: dict[str, SchemaDefinition] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    schema_constants: list[SchemaConstant] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _names: Namespace = field(default_factory=lambda: Namespace(python_names=False))
    _refs: dict[str, list[str]] = field(default_factory=dict)

    def add_keys(self, keys: Sequence[str], python_names: Mapping[str, str]) -> None:
        """Name a definition for each key (its Python name when it has one), then fill them."""
        for key in keys:
            name = python_names.get(key)
            if name is not None and self._names.is_free(name):
                self.by_key[key] = self._names.claim([name])
        for key in keys:
            if key not in self.by_key:
                self.by_key[key] = self._names.claim([class_name(*words_of_key(key))])
        for key in keys:
            self._define(self.by_key[key], At(self.graph.get(key), key), self.tags.get(key))

    def definition_for(self, at: At, candidates: Sequence[str]) -> str:
        """The definition of the schema at ``at``: its target's when it is a ``$ref``."""
        ref = at.schema.get("$ref") if is_object(at.schema) else None
        if isinstance(ref, str) and ref in self.by_key:
            self._report(at, normalize(at.schema, definition_of=self._definition_of)[1])
            return self.by_key[ref]
        name = self._names.claim(list(candidates))
        self._define(name, at)
        return name

    def constant(self, constant: str, target: str, doc: str) -> SchemaConstant:
        """Add a self-contained schema constant for the definition ``target``."""
        result = SchemaConstant(constant, target, tuple(self.closure(target)), doc)
        self.schema_constants.append(result)
        return result

    def claim_constant(self, *texts: str) -> str:
        """A free public constant name made of ``texts``."""
        return self.constants.claim([constant_name(*texts)])

    def closure(self, target: str) -> list[str]:
        """``target`` and every definition it reaches, in the order first reached."""
        order: dict[str, None] = {}
        stack = [target]
        while stack:
            name = stack.pop()
            if name in order:
                continue
            order[name] = None
            stack.extend(reversed(self._refs.get(name, [])))
        return list(order)

    def _define(self, name: str, at: At, tag: Tag | None = None) -> None:
        normalized, problems = normalize(at.schema, definition_of=self._definition_of)
        self._report(at, problems)
        if tag is not None:
            normalized = _requiring(normalized, tag)
        constant = self.constants.claim([constant_name(name, private=True)])
        self.definitions[name] = SchemaDefinition(name, constant, normalized)
        self._refs[name] = _references(normalized)

    def _report(self, at: At, problems: list[Problem]) -> None:
        for problem in problems:
            place = At(None, at.base, at.pointer + problem.pointer)
            self.diagnostics.append(Diagnostic(problem.level, self.locate(place), problem.message))

    def _definition_of(self, key: str) -> str | None:
        return self.by_key.get(key)


def _requiring(schema: object, tag: Tag) -> dict[str, Any]:
    """``schema`` that also requires the discriminator value ``tag``.

    The document leaves the value unwritten (it is the schema's name), and the
    validator does not know ``discriminator``: without the const, every member of a
    ``oneOf`` that accepts the property's type matches, and the payload is rejected.
    """
    const = {"properties": {tag.property: {"const": tag.value}}, "required": [tag.property]}
    return {"allOf": [schema, const]}


def _references(schema: Any) -> list[str]:
    found: dict[str, None] = {}
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                found[ref[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")] = None
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return list(found)


def self_contained(
    target: str, definitions: Mapping[str, SchemaDefinition], names: Sequence[str]
) -> dict[str, Any]:
    """The schema constant for ``target`` as a plain dict (for checks at generation time)."""
    return {
        "$schema": DRAFT_7,
        "$ref": definition_ref(target),
        "definitions": {name: definitions[name].schema for name in names},
    }
