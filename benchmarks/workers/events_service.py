"""The ``amqp_events`` service: handlers validate the payload's schema and record it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from amqp_events import (
    Delivery,
    EventsApp,
    Headers,
    IncomingEvent,
    JsonValue,
    PayloadError,
    RetryPolicy,
    events_app,
)
from amqp_events.schema import SchemaValidator
from benchmarks.payloads import EVENT, SCHEMA
from benchmarks.sink import Sink

Decoder = Callable[[JsonValue, Delivery[Headers]], dict[str, JsonValue]]


def event_names(count: int) -> list[str]:
    """Names of ``count`` events; the first is the one the message scenarios send."""
    return [EVENT] + [f"bench.thing{i}.changed" for i in range(1, count)]


def _decoder(name: str) -> Decoder:
    validator = SchemaValidator(SCHEMA, event=name)

    def decode(value: JsonValue, delivery: Delivery[Headers]) -> dict[str, JsonValue]:
        # What generated code does: check the spec's schema, then hand over the fields.
        del delivery
        validator.validate(value)
        if not isinstance(value, dict):
            raise PayloadError(name, "an object was expected")
        return value

    return decode


def build_events_app(env: Mapping[str, str]) -> EventsApp:
    """Build the service; a payload with ``fail: k`` makes its first k attempts raise."""
    sink = Sink(env.get("BENCH_SINK", "/dev/null"))
    app = events_app(
        env["BENCH_NAME"],
        broker_url=env["BENCH_URL"],
        exchange=env["BENCH_EXCHANGE"],
        retry=RetryPolicy(delays=(float(env.get("BENCH_RETRY", "3")),)),
    )

    def handle(payload: dict[str, JsonValue], delivery: Delivery[Headers]) -> None:
        fail, seq = payload.get("fail", 0), payload["seq"]
        assert isinstance(fail, int)
        assert isinstance(seq, int)
        if delivery.attempt <= fail:
            raise RuntimeError(f"event {seq} fails attempt {delivery.attempt}")
        sink.record(seq)

    for name in event_names(int(env.get("BENCH_COUNT", "1"))):
        app.add_handler(IncomingEvent(name=name, decode=_decoder(name)), handle)
    return app
