"""The JSON Schemas of a document after ``$ref`` resolution, as the type builder sees them.

Every schema reachable from a message (payload or headers) is available here. A
``$ref`` in any node has been rewritten to the canonical key of its target, so the
type builder never reads files: ``{"$ref": "common.yaml#/components/schemas/Money"}``.
Keys are ``<file as given, relative to the root document's folder>#<JSON pointer>``;
two different targets never share a key, even when their last pointer token is equal.
Recursive schemas stay recursive: a node may (indirectly) reference itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Location

__all__ = ["JsonSchema", "SchemaGraph", "SchemaKey", "split_key"]

SchemaKey = str
"""``<file>#<pointer>``, e.g. ``asyncapi.yaml#/components/schemas/Money``."""

JsonSchema = Mapping[str, Any] | bool
"""A JSON Schema object (draft 7 plus AsyncAPI's keywords) or a boolean schema."""


def split_key(key: SchemaKey) -> tuple[str, str]:
    """Split a schema key into its file and JSON pointer."""
    file, _, pointer = key.partition("#")
    return file, pointer


@dataclass(frozen=True)
class SchemaGraph:
    """All reachable schemas by key, and a way to find where any part of them is written."""

    nodes: Mapping[SchemaKey, JsonSchema]
    locate: Callable[[SchemaKey], Location]
    """Location (file, line, pointer) of a key, or of ``key + "/sub/pointer"``."""

    def get(self, key: SchemaKey) -> JsonSchema:
        """Return the schema stored under ``key``."""
        return self.nodes[key]
