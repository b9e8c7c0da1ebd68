"""Bind generated packages to an events app as a service does at start-up, without a broker.

``bind(create_app(...), handlers)`` registers every event the package sends and
receives, and building the app's topology checks queues, exchanges and bindings
against each other: a package that compiles but cannot start fails here.
``python -m tests.generator.binding PACKAGE...`` binds packages importable from the path.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from amqp_events import EventsApp
from tests.generator.quality import ROOT

__all__ = ["bind_in_subprocess", "bind_package"]


def _ignore(self: object, payload: object, delivery: object) -> None:
    del self, payload, delivery


def bind_package(name: str) -> EventsApp:
    """Import package ``name``, bind it with handlers that do nothing, build its topology."""
    package: Any = importlib.import_module(name)
    abstract: frozenset[str] = getattr(package.Handlers, "__abstractmethods__", frozenset())
    stub = type("Stub", (package.Handlers,), dict.fromkeys(abstract, _ignore))
    app: EventsApp = package.create_app(broker_url="amqp://guest:guest@127.0.0.1:1//")
    package.bind(app, stub())
    app.topology()
    app.publisher_topology()
    return app


def bind_in_subprocess(folder: Path, packages: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Bind ``packages`` (found in ``folder``) in a fresh interpreter, warnings as errors."""
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "tests.generator.binding", *packages],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )


if __name__ == "__main__":
    for package_name in sys.argv[1:]:
        bind_package(package_name)
