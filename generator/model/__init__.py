"""Build the intermediate model (``Service``) from a validated, resolved document."""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Location
from generator.documents import Documents
from generator.model import v2, v3
from generator.model.reader import Reader
from generator.model.routing import Inbound, check_routing, inbound_events
from generator.model.values import (
    Archive,
    Channel,
    CorrelationId,
    Direction,
    Message,
    Operation,
    Parameter,
    Retry,
    Service,
)
from generator.names import slug, snake_name
from generator.resolve import ResolvedSchemas
from generator.validate import Version
from generator.validate.common import info

__all__ = [
    "Archive",
    "Channel",
    "CorrelationId",
    "Direction",
    "Inbound",
    "Message",
    "ModelResult",
    "Operation",
    "Parameter",
    "Retry",
    "Service",
    "build_model",
    "inbound_events",
]


@dataclass(frozen=True, slots=True)
class ModelResult:
    """The model, or None when the document means something that cannot be generated."""

    service: Service | None
    diagnostics: tuple[Diagnostic, ...]
    referenced: frozenset[str] = frozenset()
    """Keys (``file#pointer``) of every place a reference the model followed named."""


def build_model(
    documents: Documents,
    version: Version,
    schemas: ResolvedSchemas,
    *,
    service: str | None = None,
    package: str | None = None,
    both_sides: bool = False,
) -> ModelResult:
    """Read the operations, channels and messages of the root document into a ``Service``.

    ``both_sides`` receives every operation's messages, as the package will.
    """
    root = documents.root()
    if root is None or not isinstance(root.value, dict):  # pragma: no cover - validated before
        return ModelResult(None, ())
    reader = Reader(documents, schemas, version, root)
    read = v2.read_operations if version[0] == 2 else v3.read_operations
    operations = tuple(read(reader))
    for operation in operations:
        if operation.direction == "send" and (operation.retry or operation.archive):
            reader.diagnostics.append(
                Diagnostic(
                    "warning",
                    operation.location,
                    f"Operation {operation.id!r} sends its messages, so its retry and archive "
                    "settings have no effect; they apply to operations that receive.",
                )
            )
    reader.diagnostics.extend(check_routing(operations, both_sides=both_sides))
    about = info(reader.parsing, root.child("info"))
    chosen = service or about.service or slug(about.title)
    named_by = "x-amqp-events-service" if about.service else "title"
    errors = [d for d in reader.diagnostics if d.level == "error"]
    model = Service(
        name=chosen,
        package=package or snake_name(chosen, fallback="events"),
        title=about.title,
        version=about.version,
        description=about.description,
        asyncapi=str(root.value.get("asyncapi", "")),
        source=documents.root_file,
        operations=operations,
        roots=tuple(reader.roots),
        name_location=(
            Location("--service") if service else reader.where(root.child("info").child(named_by))
        ),
    )
    return ModelResult(
        None if errors else model, tuple(reader.diagnostics), frozenset(reader.referenced)
    )
