"""A service built from a generated package, for the functional test's real worker.

``celery -A tests.generator.functional_app worker`` imports the package from
``AE_GEN_DIR`` (name ``AE_PACKAGE``), binds an implementation of its ``Handlers`` that
writes each call as a JSON line to ``AE_OUT``, and exposes the app.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from amqp_events import Delivery, EventsApp


def load(env: Mapping[str, str]) -> ModuleType:
    """Import the generated package named in ``env``."""
    if env["AE_GEN_DIR"] not in sys.path:
        sys.path.insert(0, env["AE_GEN_DIR"])
    return importlib.import_module(env["AE_PACKAGE"])


def recorder(package: ModuleType, out: str) -> Any:
    """An instance of the package's ``Handlers`` that records every call."""

    def record(method: str, payload: Any, delivery: Delivery[Any]) -> None:
        # The service also sends every message it receives, so SEND_* knows the encoding.
        message = method.removeprefix("on_")
        encode = getattr(package.events, "SEND_" + message.upper()).encode
        headers = delivery.headers
        if not isinstance(headers, Mapping):
            # Typed headers: write them as they travel, with the spec's names.
            headers = getattr(package.payloads, f"encode_{message}_headers")(headers)
        line = {
            "method": method,
            "payload": encode(payload),
            "headers": {k: str(v) for k, v in dict(headers).items()},
            "correlation_id": delivery.correlation_id,
            "message_type": delivery.message_type,
            "routing_key": delivery.routing_key,
            "queue": delivery.queue,
        }
        with open(out, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(line, sort_keys=True) + "\n")

    def method(name: str) -> Any:
        return lambda self, payload, delivery: record(name, payload, delivery)

    methods = {name: method(name) for name in package.handlers.Handlers.__abstractmethods__}
    return type("Recorder", (package.Handlers,), methods)()


def build(env: Mapping[str, str]) -> EventsApp:
    """The service's app, bound to the package with the recording handlers."""
    package = load(env)
    app: EventsApp = package.create_app(
        broker_url=env["AMQP_URL"], exchange=env["AE_EXCHANGE"], retry=None
    )
    package.bind(app, recorder(package, env["AE_OUT"]))
    return app


app = build(os.environ) if "AE_GEN_DIR" in os.environ else None
