"""The ``amqp_events`` service: the generated package's handlers, recording each event.

``BENCH_PACKAGE`` names the package ``amqp-events-gen`` generated into
``BENCH_PACKAGE_DIR`` (see ``benchmarks.package``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from amqp_events import Delivery, EventsApp, Headers, RetryPolicy, events_app
from benchmarks.sink import Sink


def load_package(env: Mapping[str, str]) -> ModuleType:
    """Import the generated package the environment names."""
    folder = env["BENCH_PACKAGE_DIR"]
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(env["BENCH_PACKAGE"])


def recording_handlers(base: type[Any], sink: Sink) -> type[Any]:
    """Implement every method of a generated ``Handlers`` class with the same recorder."""

    def handle(self: object, payload: Any, delivery: Delivery[Headers]) -> None:
        # A payload with ``fail: k`` fails its first k attempts, to exercise the retry ladder.
        fail = payload.fail
        if isinstance(fail, int) and delivery.attempt <= fail:
            raise RuntimeError(f"event {payload.seq} fails attempt {delivery.attempt}")
        sink.record(payload.seq)

    methods = dict.fromkeys(base.__abstractmethods__, handle)
    return type("RecordingHandlers", (base,), methods)


def build_events_app(env: Mapping[str, str]) -> EventsApp:
    """The service's app with the generated package bound to it, handlers included."""
    package = load_package(env)
    app = events_app(
        env["BENCH_NAME"],
        broker_url=env["BENCH_URL"],
        exchange=env["BENCH_EXCHANGE"],
        retry=RetryPolicy(delays=(float(env.get("BENCH_RETRY", "3")),)),
    )
    handlers = recording_handlers(package.Handlers, Sink(env.get("BENCH_SINK", "/dev/null")))
    package.bind(app, handlers())
    return app
