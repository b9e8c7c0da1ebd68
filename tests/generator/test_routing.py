"""How channels become routing: one event per address, one handler queue per event.

The channel address is the event name and the routing key. Whatever channels carry
one address, a consuming service has one queue for that event, and the AMQP ``type``
of each message picks its handler. What RabbitMQ would refuse, or route where no
handler expects it, is reported where the document says it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.output import write_tree
from generator.pipeline import Compiled
from tests.generator.binding import bind_in_subprocess
from tests.generator.conftest import errors

SAME_ADDRESS = """\
asyncapi: 3.0.0
info: {title: Socket, version: 1.0.0}
channels:
  ping:
    address: /
    messages:
      ping: {payload: {type: object, properties: {event: {const: ping}}}}
  subscribe:
    address: /
    messages:
      subscribe: {payload: {type: object, properties: {event: {const: subscribe}}}}
  unsubscribe:
    address: /
    messages:
      unsubscribe: {payload: {type: object, properties: {event: {const: unsubscribe}}}}
      also: {name: Also, payload: {type: object}}
operations:
  onPing: {action: receive, channel: {$ref: '#/channels/ping'}}
  onSubscribe: {action: receive, channel: {$ref: '#/channels/subscribe'}}
  onUnsubscribe: {action: receive, channel: {$ref: '#/channels/unsubscribe'}}
  sendPing: {action: send, channel: {$ref: '#/channels/ping'}}
"""


def _squeezed(code: str) -> str:
    """Code without white space or trailing commas, to compare displays however wrapped."""
    return re.sub(r"\s+", "", code).replace(",)", ")").replace(",}", "}")


def _bound(compiled: Compiled, tmp_path: Path) -> None:
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    output = tmp_path / "bound"
    output.mkdir()
    assert write_tree(output, compiled.tree).diagnostics == ()
    done = bind_in_subprocess(output, [compiled.tree.package])
    assert done.returncode == 0, done.stderr


def test_channels_with_one_address_share_one_handler_queue(
    compile_spec: Callable[..., Compiled], tmp_path: Path
) -> None:
    compiled = compile_spec(SAME_ADDRESS)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    handlers = compiled.tree.files["pkg/handlers.py"]
    assert handlers.count("amqp_events.IncomingEvent(") == 1
    assert '"ping": _receive_ping' in handlers
    assert '"subscribe": _receive_subscribe' in handlers
    assert '"unsubscribe": _receive_unsubscribe' in handlers
    assert '"Also": _receive_also' in handlers
    # The one handler queue of the event "/" is bound with the key "/".
    assert handlers.count("binding_keys=") == 1
    assert 'name="/"' in handlers
    assert 'binding_keys=("/")' in _squeezed(handlers)
    _bound(compiled, tmp_path)


def test_a_catalog_of_channels_with_one_address_binds_on_both_sides(
    compile_spec: Callable[..., Compiled], tmp_path: Path
) -> None:
    _bound(compile_spec(SAME_ADDRESS, both_sides=True), tmp_path)


OTHER_EXCHANGE = """\
asyncapi: 3.0.0
info: {title: Socket, version: 1.0.0}
channels:
  ping:
    address: /
    messages:
      ping: {payload: {type: object}}
  pong:
    address: /
    messages:
      pong: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: socket, type: topic}
operations:
  onPing: {action: receive, channel: {$ref: '#/channels/ping'}}
  onPong: {action: receive, channel: {$ref: '#/channels/pong'}}
"""


def test_received_channels_of_one_address_on_different_exchanges_are_an_error(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(OTHER_EXCHANGE)
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/channels/pong"
    assert found.location.line is not None
    assert "'ping'" in found.message
    assert "'/'" in found.message
    assert "'socket'" in found.message
    assert "exchange" in found.message


OTHER_RETRY = """\
asyncapi: 3.0.0
info: {title: Socket, version: 1.0.0}
channels:
  ping:
    address: /
    messages:
      ping: {payload: {type: object}}
  pong:
    address: /
    messages:
      pong: {payload: {type: object}}
operations:
  onPing:
    action: receive
    channel: {$ref: '#/channels/ping'}
    x-amqp-events-retry: {delays: [1]}
  onPong:
    action: receive
    channel: {$ref: '#/channels/pong'}
    x-amqp-events-retry: {delays: [5]}
"""


def test_operations_receiving_one_event_with_different_retry_settings_are_an_error(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(OTHER_RETRY)
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/operations/onPong"
    assert "'onPing'" in found.message
    assert "x-amqp-events-retry" in found.message


def test_one_retry_setting_among_operations_receiving_one_event_applies_to_its_queue(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(OTHER_RETRY.replace("    x-amqp-events-retry: {delays: [5]}\n", ""))
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    assert '"/": amqp_events.RetryPolicy(delays=(1.0,))' in compiled.tree.files["pkg/topology.py"]


TWO_DECLARATIONS = """\
asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  created:
    address: orders.created
    messages:
      Created: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: orders, type: topic}
  paid:
    address: orders.paid
    messages:
      Paid: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: orders, %s}
operations:
  sendCreated: {action: send, channel: {$ref: '#/channels/created'}}
  onPaid: {action: receive, channel: {$ref: '#/channels/paid'}}
"""


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        ("type: direct", "type 'direct'"),
        ("type: topic, durable: false", "not durable"),
        ("type: topic, autoDelete: true", "auto-deleted"),
    ],
)
def test_one_exchange_declared_with_different_settings_is_an_error(
    compile_spec: Callable[..., Compiled], flags: str, said: str
) -> None:
    compiled = compile_spec(TWO_DECLARATIONS % flags)
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/channels/paid/bindings/amqp/exchange"
    assert found.location.line is not None
    assert "'orders'" in found.message
    assert "(#/channels/created/bindings/amqp/exchange)" in found.message
    assert said in found.message
    assert "PRECONDITION_FAILED" in found.message


def test_one_exchange_declared_alike_in_several_channels_is_fine(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(TWO_DECLARATIONS % "type: topic, durable: true")
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]


IGNORING_KEYS = """\
asyncapi: 3.0.0
info: {title: Alerts, version: 1.0.0}
channels:
  raised:
    address: alerts.raised
    messages:
      Raised: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: alerts, type: %(type)s}
  cleared:
    address: alerts.cleared
    messages:
      Cleared: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: alerts, type: %(type)s}
operations:
  onRaised: {action: receive, channel: {$ref: '#/channels/raised'}}
  clear: {action: %(other)s, channel: {$ref: '#/channels/cleared'}}
"""


@pytest.mark.parametrize("kind", ["fanout", "headers"])
def test_receiving_through_an_exchange_that_ignores_routing_keys_is_a_warning(
    compile_spec: Callable[..., Compiled], kind: str
) -> None:
    compiled = compile_spec(IGNORING_KEYS % {"type": kind, "other": "send"})
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    [found] = [d for d in compiled.diagnostics if "ignores routing keys" in d.message]
    assert found.level == "warning"
    assert found.location.pointer == "/channels/raised/bindings/amqp/exchange"
    assert found.location.line is not None
    assert f"type '{kind}'" in found.message
    assert "'alerts.raised'" in found.message
    assert "unknown-event" in found.message


def test_sending_through_an_exchange_that_ignores_routing_keys_says_nothing(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = (IGNORING_KEYS % {"type": "fanout", "other": "send"}).replace(
        "onRaised: {action: receive", "onRaised: {action: send"
    )
    compiled = compile_spec(spec)
    assert compiled.tree is not None
    assert not [d for d in compiled.diagnostics if "routing keys" in d.message]


@pytest.mark.parametrize("kind", ["fanout", "headers"])
def test_two_events_received_through_an_exchange_that_ignores_routing_keys_are_an_error(
    compile_spec: Callable[..., Compiled], kind: str
) -> None:
    compiled = compile_spec(IGNORING_KEYS % {"type": kind, "other": "receive"})
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/channels/cleared/bindings/amqp/exchange"
    assert "'alerts.raised'" in found.message
    assert "'alerts.cleared'" in found.message
    assert f"{kind} exchange 'alerts'" in found.message
    assert "unknown-event" in found.message


DIRECT = """\
asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  orders:
    address: 'orders.{kind}.{region}'
    parameters:
      kind: {%(kind)s}
      region: {enum: [eu, us]}
    messages:
      Order: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: shop, type: direct}
operations:
  act: {action: %(action)s, channel: {$ref: '#/channels/orders'}}
"""


def test_a_direct_exchange_cannot_bind_a_parameter_without_an_enum(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(DIRECT % {"kind": "description: any", "action": "receive"})
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/channels/orders/bindings/amqp/exchange"
    assert found.location.line is not None
    assert "direct exchange 'shop'" in found.message
    assert "'orders.{kind}.{region}'" in found.message
    assert "parameter 'kind' without an enum" in found.message
    assert "topic exchange" in found.message


def test_a_service_that_only_sends_through_a_direct_exchange_needs_no_enum(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(DIRECT % {"kind": "description: any", "action": "send"})
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]


def test_a_direct_exchange_binds_the_queue_once_per_value_of_the_enums(
    compile_spec: Callable[..., Compiled], tmp_path: Path
) -> None:
    compiled = compile_spec(DIRECT % {"kind": "enum: [big, small]", "action": "receive"})
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    keys = '("orders.big.eu","orders.big.us","orders.small.eu","orders.small.us")'
    handlers = _squeezed(compiled.tree.files["pkg/handlers.py"])
    assert f"binding_keys={keys}" in handlers
    # ... and they are the keys of the event's own handler queue.
    event = 'IncomingEvent(name="orders.{kind}.{region}",decode=_receive_order,'
    assert f"{event}binding_keys={keys}" in handlers
    _bound(compiled, tmp_path)


def test_a_direct_exchange_refuses_more_bindings_than_a_queue_should_carry(
    compile_spec: Callable[..., Compiled],
) -> None:
    many = ", ".join(f"k{i}" for i in range(200))
    compiled = compile_spec(DIRECT % {"kind": f"enum: [{many}]", "action": "receive"})
    assert compiled.tree is None
    [found] = errors(compiled.diagnostics)
    assert found.location.pointer == "/channels/orders/bindings/amqp/exchange"
    assert "400 binding keys" in found.message


def test_a_direct_exchange_binds_a_parameter_inside_a_word_exactly(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = DIRECT % {"kind": "enum: [big, small]", "action": "receive"}
    compiled = compile_spec(spec.replace("'orders.{kind}.{region}'", "'orders.{kind}-{region}'"))
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    assert '"orders.small-us"' in compiled.tree.files["pkg/handlers.py"]
    assert not [d for d in compiled.diagnostics if "inside a routing-key word" in d.message]
