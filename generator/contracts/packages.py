"""The package each service would generate, imported to run its own validators and decoders.

``contracts`` judges a value the way the services will: the producer's ``OutgoingEvent``
validates what ``fire_*`` sends, the consumer's ``IncomingEvent`` decodes what its
worker receives. Each package is generated in memory by the pipeline, written to a
temporary folder and imported under a name of its own, so two services (or two
revisions of one) with the same package name never meet in ``sys.modules``.

The generated names read here are ``events.OUTGOING`` and ``handlers.RECEIVED``, the
tuples each package's ``bind()`` registers.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from amqp_events.events import Delivery, IncomingEvent, OutgoingEvent
from generator.contracts.sides import Side
from generator.diagnostics import Diagnostic, errors_in
from generator.pipeline import compile_document

__all__ = ["Package", "load_packages"]

_COUNTER = itertools.count()


@dataclass(frozen=True)
class Package:
    """One service's generated events: what it sends and what it receives."""

    side: Side
    outgoing: dict[tuple[str, str], OutgoingEvent[Any]]
    """By event name and AMQP message type."""
    incoming: dict[str, IncomingEvent[Any]]
    """By event name."""

    def delivery(
        self, event: str, routing_key: str, exchange: str, headers: object, message_type: str
    ) -> Delivery[Any]:
        """A delivery of ``event`` to this service's handler queue, as its worker builds it."""
        return Delivery(
            event=event,
            queue=f"{self.side.name}.{event}",
            routing_key=routing_key,
            exchange=exchange,
            headers=headers if isinstance(headers, dict) else {},
            message_type=message_type,
        )


def _import(folder: Path, package: str) -> ModuleType:
    name = f"_amqp_events_contracts_{next(_COUNTER)}_{package}"
    spec = importlib.util.spec_from_file_location(
        name, folder / package / "__init__.py", submodule_search_locations=[str(folder / package)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def load_packages(sides: Sequence[Side]) -> Iterator[tuple[list[Package], list[Diagnostic]]]:
    """Generate and import every side's package; yield them with the errors of generating."""
    packages: list[Package] = []
    errors: list[Diagnostic] = []
    imported: list[str] = []
    with tempfile.TemporaryDirectory(prefix="amqp-events-contracts-") as scratch:
        try:
            for index, side in enumerate(sides):
                folder = Path(scratch) / str(index)
                compiled = compile_document(replace(side.options, output=folder))
                errors.extend(errors_in(compiled.diagnostics))
                if compiled.tree is None:
                    continue
                for path, text in compiled.tree.files.items():
                    target = folder / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
                module = _import(folder, compiled.tree.package)
                imported.extend(n for n in sys.modules if n.startswith(module.__name__))
                events = sys.modules[f"{module.__name__}.events"]
                handlers = sys.modules[f"{module.__name__}.handlers"]
                packages.append(
                    Package(
                        side,
                        {(e.name, e.message_type or e.name): e for e in events.OUTGOING},
                        {e.name: e for e in handlers.RECEIVED},
                    )
                )
            yield packages, errors
        finally:
            for name in imported:
                sys.modules.pop(name, None)
