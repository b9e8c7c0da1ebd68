"""Generate a package, run a real worker on it, fire through RabbitMQ, see typed handlers run.

The test process and the worker both import the package generated into a temporary
folder; the service, its exchanges and queues get names unique to the run, and are
deleted afterwards.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amqp_events.declare import declare
from generator.pipeline import Options, TypesStage, generate
from tests.generator.functional_app import load, recorder
from tests.support.broker import Broker, wait_for
from tests.support.workers import WorkerProcess

SPEC = """\
asyncapi: 3.0.0
info:
  title: Functional Orders
  version: 1.0.0
channels:
  orderCreated:
    address: orders.created
    messages:
      OrderCreated:
        $ref: '#/components/messages/OrderCreated'
    bindings:
      amqp:
        is: routingKey
        exchange: {{name: {exchange}, type: topic}}
  orderEvents:
    address: 'orders.{{region}}.events'
    parameters:
      region: {{enum: [eu, us]}}
    messages:
      OrderShipped:
        payload:
          type: object
          required: [orderId]
          properties:
            orderId: {{type: string}}
            kind: {{const: shipped}}
        bindings: {{amqp: {{messageType: order.shipped}}}}
      OrderCancelled:
        payload:
          type: object
          required: [orderId, reason]
          properties:
            orderId: {{type: string}}
            reason: {{type: [string, 'null']}}
operations:
  sendCreated: {{action: send, channel: {{$ref: '#/channels/orderCreated'}}}}
  onCreated:
    action: receive
    channel: {{$ref: '#/channels/orderCreated'}}
    x-amqp-events-retry: {{delays: [0.5]}}
    x-amqp-events-archive: {{ttl: 3600, max_length: 50}}
  sendEvents: {{action: send, channel: {{$ref: '#/channels/orderEvents'}}}}
  onEvents: {{action: receive, channel: {{$ref: '#/channels/orderEvents'}}}}
components:
  messages:
    OrderCreated:
      headers:
        type: object
        required: [x-tenant]
        properties:
          x-tenant: {{type: string}}
          x-correlation-id: {{type: string}}
      correlationId: {{location: '$message.header#/x-correlation-id'}}
      payload:
        type: object
        required: [orderId, total]
        additionalProperties: false
        properties:
          orderId: {{type: string}}
          total: {{type: number, minimum: 0}}
          class: {{type: string}}
"""


@pytest.fixture
def service(
    tmp_path: Path, unique: str, amqp_url: str, broker: Broker, build_types: TypesStage
) -> Iterator[dict[str, str]]:
    """A generated package with a unique service and exchange, and its environment."""
    spec = tmp_path / "asyncapi.yaml"
    exchange = f"{unique}-orders"
    spec.write_text(SPEC.format(exchange=exchange))
    package = "fx_" + unique.replace("-", "_")
    result = generate(
        Options(spec=spec, output=tmp_path / "gen", package=package, service=unique),
        build_types=build_types,
    )
    assert result.ok, [d.render() for d in result.diagnostics]
    env = {
        "AMQP_URL": amqp_url,
        "AE_GEN_DIR": str(tmp_path / "gen"),
        "AE_PACKAGE": package,
        "AE_EXCHANGE": f"{unique}-events",
        "AE_OUT": str(tmp_path / "calls.jsonl"),
    }
    yield env
    generated = load(env)
    app = generated.create_app(broker_url=amqp_url, exchange=env["AE_EXCHANGE"])
    generated.bind(app, recorder(generated, env["AE_OUT"]))
    broker.delete(app.topology(), extra_queues=[f"{unique}:tasks"])
    for name in (exchange, env["AE_EXCHANGE"], f"{unique}:tasks"):
        broker.delete_exchange(name)
    sys.path.remove(env["AE_GEN_DIR"])
    for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[module]


def _calls(env: dict[str, str]) -> list[dict[str, Any]]:
    path = Path(env["AE_OUT"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.broker
def test_fired_events_reach_the_typed_handlers_through_a_real_worker(
    service: dict[str, str], broker: Broker, tmp_path: Path
) -> None:
    worker = WorkerProcess(
        "tests.generator.functional_app",
        env=service,
        log=tmp_path / "worker.log",
        name=service["AE_PACKAGE"],
        # Prefork, not solo: the solo pool with late acks can stall deliveries for 10 s.
        pool="prefork",
        concurrency=1,
    )
    worker.start()
    try:
        generated = load(service)
        names = generated.topology.SERVICE
        worker.wait_consuming(broker, f"{names}.orders.created")
        worker.wait_consuming(broker, f"{names}.orders.{{region}}.events")
        app = generated.create_app(broker_url=service["AMQP_URL"], exchange=service["AE_EXCHANGE"])
        generated.bind(app)
        # events.decode_* validate JSON and build the typed values fire_* takes.
        events = generated.events
        created = events.decode_order_created({"orderId": "o-1", "total": 12.5, "class": "gold"})
        shipped = events.decode_order_shipped({"orderId": "o-2", "kind": "shipped"})
        cancelled = events.decode_order_cancelled({"orderId": "o-3", "reason": None})
        headers = events.decode_order_created_headers({"x-tenant": "acme"})
        message_id = generated.fire_order_created(created, headers=headers, correlation_id="c-1")
        assert message_id
        with app.batch():
            generated.fire_order_shipped(shipped, region="eu")
            generated.fire_order_cancelled(cancelled, region="us")
        # Another AMQP client that writes only the document's correlation header.
        broker.publish(
            events.SEND_ORDER_CREATED.exchange.name or "",
            "orders.created",
            json.dumps({"orderId": "o-4", "total": 1}).encode(),
            content_type="application/json",
            application_headers={"x-tenant": "acme", "x-correlation-id": "c-raw"},
        )
        wait_for(lambda: len(_calls(service)) >= 4, timeout=30, what="four handler calls")
    finally:
        worker.stop()
    [raw] = [c for c in _calls(service) if c["payload"].get("orderId") == "o-4"]
    assert raw["correlation_id"] == "c-raw", "read from the header the document names"
    calls = {c["method"]: c for c in _calls(service) if c["payload"].get("orderId") != "o-4"}
    assert sorted(calls) == ["on_order_cancelled", "on_order_created", "on_order_shipped"]
    assert calls["on_order_created"]["payload"] == events.SEND_ORDER_CREATED.encode(created)
    assert calls["on_order_created"]["headers"] == {"x-correlation-id": "c-1", "x-tenant": "acme"}
    assert calls["on_order_created"]["correlation_id"] == "c-1"
    assert calls["on_order_shipped"]["payload"] == {"orderId": "o-2", "kind": "shipped"}
    assert calls["on_order_shipped"]["message_type"] == "order.shipped"
    assert calls["on_order_shipped"]["routing_key"] == "orders.eu.events"
    assert calls["on_order_cancelled"]["payload"] == {"orderId": "o-3", "reason": None}
    assert calls["on_order_cancelled"]["routing_key"] == "orders.us.events"
    assert calls["on_order_cancelled"]["queue"] == calls["on_order_shipped"]["queue"]


@pytest.mark.broker
def test_decoding_checks_schemas_and_firing_checks_parameters(service: dict[str, str]) -> None:
    generated = load(service)
    app = generated.create_app(broker_url=service["AMQP_URL"], exchange=service["AE_EXCHANGE"])
    generated.bind(app)
    import amqp_events  # noqa: PLC0415

    events = generated.events
    with pytest.raises(amqp_events.PayloadError, match=r"minimum|bigger than or equal"):
        events.decode_order_created({"orderId": "o-1", "total": -1})
    with pytest.raises(amqp_events.PayloadError, match="x-tenant"):
        events.decode_order_created_headers({})
    shipped = events.decode_order_shipped({"orderId": "x"})
    with pytest.raises(amqp_events.ConfigurationError, match="one routing-key word"):
        generated.fire_order_shipped(shipped, region="eu.west")


@pytest.mark.broker
def test_the_documents_retry_and_archive_extensions_become_broker_entities(
    service: dict[str, str], broker: Broker, unique: str
) -> None:
    generated = load(service)
    app = generated.create_app(broker_url=service["AMQP_URL"], exchange=service["AE_EXCHANGE"])
    generated.bind(app, recorder(generated, service["AE_OUT"]))
    routes = {
        registration.route.event: registration.route for registration in app.handlers.values()
    }
    created, events = routes["orders.created"], routes["orders.{region}.events"]
    assert created.retry.delays == (0.5,)
    assert (created.archive.ttl, created.archive.max_length) == (3600, 50)
    assert created.archive_queue == f"{unique}:archive.orders.created"
    assert events.retry == app.settings.retry, "no extension: the app's policy"
    assert events.archive_queue == f"{unique}:archive"

    declare(app.topology(), broker.connection)
    assert broker.exists(f"{unique}:retry.500")
    assert broker.exists(f"{unique}:archive.orders.created")
    for delay in app.settings.retry.delays:
        assert broker.exists(f"{unique}:retry.{round(delay * 1000)}")
