"""The link between a generated event package and the app it publishes through.

A generated package's ``fire_*`` functions are plain module functions, so they need to
know the service's app. ``bind(app)`` in the generated package records it here; firing
before that raises ``NotBoundError`` with a sentence that says what to call.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from amqp_events.errors import NotBoundError

if TYPE_CHECKING:
    from amqp_events.app import EventsApp

__all__ = ["PackageBinding"]


class PackageBinding:
    """The events app a generated package is bound to; set by the package's ``bind()``."""

    def __init__(self, package: str, service: str) -> None:
        self.package = package
        self.service = service
        self._app: EventsApp | None = None
        self._lock = threading.Lock()

    def bind(self, app: EventsApp) -> None:
        """Publish this package's events through ``app`` from now on."""
        with self._lock:
            self._app = app

    def unbind(self) -> None:
        """Forget the app (tests use this to start from scratch)."""
        with self._lock:
            self._app = None

    @property
    def bound(self) -> bool:
        """Tell whether ``bind()`` was called."""
        return self._app is not None

    @property
    def app(self) -> EventsApp:
        """The bound app; raises ``NotBoundError`` before ``bind()``."""
        app = self._app
        if app is None:
            raise NotBoundError(
                f"The generated package {self.package!r} is not bound to an events app yet; "
                f"call {self.package}.bind(app) once at start-up, with the app of service "
                f"{self.service!r} (for example {self.package}.create_app(broker_url=...))."
            )
        return app
