"""One document read into its model: what ``diff`` and ``contracts`` compare.

A side is read by the pipeline's own stages (``generator.pipeline.model_document``), so
it means exactly what generating from it would mean. Only errors stop it; warnings
belong to the document, not to the comparison.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.contracts.revisions import (
    GitSource,
    Named,
    RevisionError,
    open_revision,
    revision_problem,
)
from generator.diagnostics import Diagnostic, Location, errors_in
from generator.documents import Documents
from generator.model import Message, Service
from generator.pipeline import Options, model_document
from generator.resolve import ResolvedSchemas
from generator.schema_graph import JsonSchema, SchemaKey

__all__ = ["PARTS", "Side", "SideResult", "open_sides", "read_side"]

PARTS: tuple[Literal["payload", "headers"], ...] = ("payload", "headers")
"""The two schemas of a message."""


@dataclass(frozen=True)
class Side:
    """A document that compiles: its files, its resolved schemas and its service."""

    named: Named
    options: Options
    documents: Documents
    schemas: ResolvedSchemas
    service: Service
    _sites: dict[int, SchemaKey] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The service name."""
        return self.service.name

    def locate(self, key: SchemaKey) -> Location:
        """Where ``file#pointer`` is written, with its line and column."""
        return self.documents.locate_key(key)

    def schema(self, key: SchemaKey) -> JsonSchema | None:
        """The resolved schema at ``key`` (a schema site or a ``$ref`` target)."""
        found = self.schemas.nodes.get(key)
        return found if found is not None else self.schemas.roots.get(key)

    def part(
        self, message: Message, part: Literal["payload", "headers"]
    ) -> tuple[SchemaKey, JsonSchema]:
        """Where a message's payload or headers schema is written, and the schema.

        A message without headers accepts any (``True``), known by its ``headers`` place;
        so are headers merged from traits, a value of their own written nowhere as a whole.
        """
        root = message.payload if part == "payload" else message.headers
        written = f"{message.key}/{part}"
        if root is None:
            return written, True
        if not self._sites:
            self._sites.update({id(value): key for key, value in self.schemas.roots.items()})
        return self._sites.get(id(root.schema), written), root.schema


@dataclass(frozen=True, slots=True)
class SideResult:
    """A side, or the errors that stop it."""

    side: Side | None
    errors: tuple[Diagnostic, ...]


def read_side(
    named: Named, *, both_sides: bool = False, source: GitSource | None = None
) -> SideResult:
    """Read a document (from the disk or from ``source``) into its model."""
    options = Options(
        spec=named.path,
        output=Path(),
        both_sides=both_sides,
        display=named.text,
        source=source,
    )
    modelled = model_document(options)
    errors = tuple(errors_in(modelled.diagnostics))
    if errors or modelled.service is None or modelled.documents is None:
        return SideResult(None, errors)
    assert modelled.schemas is not None
    return SideResult(
        Side(named, options, modelled.documents, modelled.schemas, modelled.service), ()
    )


@contextlib.contextmanager
def open_sides(
    names: Sequence[Named], *, both_sides: bool = False
) -> Iterator[tuple[list[Side], list[Diagnostic]]]:
    """Read every document; yield the sides and every error, then close git readers."""
    sources: list[GitSource] = []
    sides: list[Side] = []
    errors: list[Diagnostic] = []
    try:
        for named in names:
            source = None
            if named.revision is not None:
                try:
                    source = open_revision(named)
                except RevisionError as error:
                    errors.append(revision_problem(named, error))
                    continue
                sources.append(source)
            result = read_side(named, both_sides=both_sides, source=source)
            errors.extend(result.errors)
            if result.side is not None:
                sides.append(result.side)
        yield sides, errors
    finally:
        for source in sources:
            source.close()
