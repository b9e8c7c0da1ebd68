"""The package each service would generate, bound as the service binds it, to judge values.

``contracts`` judges a value the way the services will: the producer's ``OutgoingEvent``
validates what ``fire_*`` sends, the consumer's ``IncomingEvent`` decodes what its
worker receives. Each package is generated in memory by the pipeline, written to a
temporary folder and imported under a name of its own, so two services (or two
revisions of one) with the same package name never meet in ``sys.modules``.

A package is used only as a service uses it: ``create_app()`` and ``bind(app,
handlers)``, with handlers that are never called. What it sends and receives is then
what its app registered (``EventsApp.outgoing`` and ``EventsApp.handlers``); nothing
else of the generated modules is read.
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
from typing import TYPE_CHECKING, Any

from amqp_events.events import Delivery, OutgoingEvent
from generator.contracts.sides import Side
from generator.diagnostics import Diagnostic, errors_in
from generator.pipeline import compile_document

if TYPE_CHECKING:
    # Only named: a generated package's create_app() builds the app.
    from amqp_events.app import EventsApp, HandlerRegistration

__all__ = ["Package", "load_packages"]

_COUNTER = itertools.count()


@dataclass(frozen=True)
class Package:
    """One service's generated package, bound to an events app of its own."""

    side: Side
    app: EventsApp

    def outgoing(self, event: str, message_type: str) -> OutgoingEvent[Any] | None:
        """What ``fire_*`` publishes for the messages of ``event`` of one AMQP type."""
        return self.app.outgoing.get((event, message_type))

    def handler(self, event: str) -> HandlerRegistration | None:
        """The handler the package registers for ``event``, if the service receives it."""
        return self.app.handlers.get(self.app.names.handler_queue(event))

    def delivery(
        self, handler: HandlerRegistration, headers: object, message_type: str
    ) -> Delivery[Any]:
        """A delivery to the handler's queue, as its worker builds it."""
        route = handler.route
        return Delivery(
            event=route.event,
            queue=route.queue,
            routing_key=route.event,
            exchange=route.exchange.name,
            headers=headers if isinstance(headers, dict) else {},
            message_type=message_type,
        )


def _idle_handlers(package: ModuleType) -> object:
    """An implementation of the package's ``Handlers`` whose methods are never called."""
    interface = package.Handlers

    def idle(self: object, payload: object, delivery: object) -> None:
        raise AssertionError("contracts decodes messages; it never handles one")

    # A service that receives nothing has a plain class, without abstract methods.
    methods = dict.fromkeys(getattr(interface, "__abstractmethods__", ()), idle)
    return type(f"Idle{interface.__name__}", (interface,), methods)()


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
                app = module.create_app()
                module.bind(app, _idle_handlers(module))
                packages.append(Package(side, app))
            yield packages, errors
        finally:
            for name in imported:
                sys.modules.pop(name, None)
