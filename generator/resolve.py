"""Resolve the ``$ref``s of every schema the document declares, and check each schema once.

Each schema is copied with its references rewritten to canonical keys
(``<file>#<pointer>``, the file relative to the root document's folder), and every
schema a reference names is copied the same way, once. Only keywords that hold schemas
are walked, so a ``$ref`` inside ``enum``, ``const``, ``default`` or ``examples`` stays
data. Every schema is checked as JSON Schema draft-07 (``json_schema``) as it is
first read. A chain of references that returns to its start is an error; recursion
through ``properties`` or ``items`` is fine and stays recursive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic
from generator.documents import Documents, Node, RefProblem
from generator.json_schema import SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMAS, schema_problems
from generator.schema_graph import JsonSchema, SchemaGraph, SchemaKey
from generator.validate import SchemaSite

__all__ = ["ResolvedSchemas", "resolve_schemas"]

_MAPS_OF_SCHEMAS = SCHEMA_MAPS | {"definitions", "$defs"}
_SCHEMA_OR_LIST = SCHEMA_LISTS | {"items"}


@dataclass(frozen=True, slots=True)
class ResolvedSchemas:
    """Every declared schema with canonical references, and the schemas they reach."""

    roots: Mapping[SchemaKey, JsonSchema]
    """Each schema site (by the key of where it is written), references rewritten."""
    nodes: Mapping[SchemaKey, JsonSchema]
    """Each schema some reference names, by its canonical key, references rewritten."""
    edges: Mapping[SchemaKey, frozenset[SchemaKey]]
    """The references each root or node makes, for reachability."""
    diagnostics: tuple[Diagnostic, ...]
    referenced: frozenset[str] = frozenset()
    """Keys (``file#pointer``) of every place a schema's reference named on the way."""

    def graph(self, documents: Documents, roots: Iterable[JsonSchema]) -> SchemaGraph:
        """The graph of the schemas reachable from ``roots`` (rewritten root schemas)."""
        reachable: dict[SchemaKey, JsonSchema] = {}
        pending = [key for root in roots for key in _references(root) if key in self.nodes]
        while pending:
            key = pending.pop()
            if key in reachable or key not in self.nodes:
                continue
            reachable[key] = self.nodes[key]
            pending.extend(self.edges.get(key, ()))
        ordered = {key: reachable[key] for key in sorted(reachable)}
        return SchemaGraph(nodes=ordered, locate=documents.locate_key)


class _Resolver:
    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self.done: dict[SchemaKey, JsonSchema] = {}
        self.targets: set[SchemaKey] = set()
        self._pending: list[Node] = []
        self._queued: set[SchemaKey] = set()
        self.edges: dict[SchemaKey, frozenset[SchemaKey]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.checked: set[SchemaKey] = set()
        self.referenced: set[str] = set()
        self._refs: set[SchemaKey] = set()

    def error(self, node: Node, message: str) -> None:
        self.diagnostics.append(Diagnostic("error", self.documents.where(node), message))

    def schema(self, node: Node) -> JsonSchema:
        """Check and rewrite the schema at ``node`` once; record the references it makes.

        The schemas its references name are queued, not rewritten here, so a long chain
        of references costs a longer queue instead of a deeper Python stack.
        """
        key = node.key
        if key in self.done:
            return self.done[key]
        self.check(node)
        self._refs = set()
        rewritten = self.rewrite(node)
        self.edges[key] = frozenset(self._refs)
        self.done[key] = rewritten
        return rewritten

    def drain(self) -> None:
        """Rewrite every schema that a reference named and that is not rewritten yet."""
        while self._pending:
            self.schema(self._pending.pop())

    def check(self, node: Node) -> None:
        """Check a schema's structure (JSON Schema draft-07), once per place."""
        if node.key in self.checked:
            return
        self.checked.add(node.key)
        for tokens, message in schema_problems(node.value):
            place = node
            for token in tokens:
                place = place.child(token)
            self.error(place, f"Invalid JSON Schema: {message}")

    def rewrite(self, node: Node) -> JsonSchema:
        value = node.value
        if not isinstance(value, dict):
            return value if isinstance(value, bool) else {}
        result: dict[str, Any] = {}
        for keyword, child in value.items():
            if keyword == "$ref":
                result[keyword] = self.reference(node, child)
            elif keyword in _MAPS_OF_SCHEMAS and isinstance(child, dict):
                result[keyword] = {
                    name: self.rewrite(node.child(keyword).child(name)) for name in child
                }
            elif keyword in _SCHEMA_OR_LIST and isinstance(child, list):
                result[keyword] = [
                    self.rewrite(node.child(keyword).child(index)) for index in range(len(child))
                ]
            elif keyword in _SCHEMA_OR_LIST or keyword in SINGLE_SCHEMAS:
                result[keyword] = self.rewrite(node.child(keyword))
            elif keyword == "dependencies" and isinstance(child, dict):
                result[keyword] = {
                    name: (
                        self.rewrite(node.child(keyword).child(name))
                        if isinstance(item, dict | bool)
                        else item
                    )
                    for name, item in child.items()
                }
            else:
                result[keyword] = child
        return result

    def reference(self, node: Node, ref: object) -> object:
        end = self.documents.deref(node, self.referenced)
        if isinstance(end, RefProblem):
            self.error(node.child("$ref"), end.message)
            return ref
        target = self.documents.follow(ref, node.file, self.referenced)
        if isinstance(target, RefProblem):  # pragma: no cover - deref reported it
            return ref
        key = target.key
        self._refs.add(key)
        self.targets.add(key)
        if key not in self.done and key not in self._queued:
            self._queued.add(key)
            self._pending.append(target)
        return key


def _references(schema: object) -> list[str]:
    """Every ``$ref`` value inside a rewritten schema (its own and its subschemas')."""
    found = []
    stack = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def resolve_schemas(documents: Documents, sites: Iterable[SchemaSite]) -> ResolvedSchemas:
    """Resolve, check and rewrite each schema site and everything it references."""
    resolver = _Resolver(documents)
    roots = {site.node.key: resolver.schema(site.node) for site in sites}
    resolver.drain()
    return ResolvedSchemas(
        roots=roots,
        nodes={key: resolver.done[key] for key in resolver.targets if key in resolver.done},
        edges=resolver.edges,
        diagnostics=tuple(resolver.diagnostics),
        referenced=frozenset(resolver.referenced),
    )
