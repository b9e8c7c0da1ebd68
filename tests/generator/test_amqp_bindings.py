"""AMQP bindings reach the runtime: exchange names, types and flags, publish options."""

from __future__ import annotations

from collections.abc import Callable

from generator.pipeline import Compiled

SPEC = """\
asyncapi: 3.0.0
info: {title: Flags, version: 1.0.0}
channels:
  created:
    address: orders.created
    messages:
      Created: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: transient-orders, type: fanout, durable: false, autoDelete: true}
  paid:
    address: orders.paid
    messages:
      Paid: {payload: {type: object}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: orders, type: direct}
operations:
  sendCreated:
    action: send
    channel: {$ref: '#/channels/created'}
    bindings: {amqp: {deliveryMode: 1, priority: 7}}
  onPaid: {action: receive, channel: {$ref: '#/channels/paid'}}
"""


def test_exchange_flags_and_publish_options_are_carried_into_the_package(
    compile_spec: Callable[..., Compiled],
) -> None:
    compiled = compile_spec(SPEC)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    events = compiled.tree.files["pkg/events.py"]
    handlers = compiled.tree.files["pkg/handlers.py"]
    assert 'name="transient-orders"' in events
    assert 'type="fanout"' in events
    assert "durable=False" in events
    assert "auto_delete=True" in events
    assert "delivery_mode=1" in events
    assert "priority=7" in events
    assert 'amqp_events.ExchangeSpec(name="orders", type="direct")' in handlers
    assert not [d for d in compiled.diagnostics if "durable" in d.message]


def test_a_messages_json_content_type_is_carried_to_the_wire(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = SPEC.replace(
        "      Created: {payload: {type: object}}",
        "      Created: {payload: {type: object}, contentType: application/cloudevents+json}",
    )
    compiled = compile_spec(spec)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    events = compiled.tree.files["pkg/events.py"]
    assert 'content_type="application/cloudevents+json"' in events
    assert events.count("content_type=") == 1, "application/json is the runtime's default"


def test_an_ack_setting_is_reported_as_unused(compile_spec: Callable[..., Compiled]) -> None:
    spec = SPEC.replace(
        "bindings: {amqp: {deliveryMode: 1, priority: 7}}", "bindings: {amqp: {ack: false}}"
    )
    compiled = compile_spec(spec)
    [warning] = [d for d in compiled.diagnostics if "'ack'" in d.message]
    assert warning.level == "warning"
    assert warning.location.pointer.endswith("/bindings/amqp/ack")


def test_two_sends_of_one_message_with_other_publish_options_warn(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = SPEC.replace(
        "  onPaid:",
        "  sendCreatedAgain:\n    action: send\n    channel: {$ref: '#/channels/created'}\n"
        "    bindings: {amqp: {priority: 9}}\n  onPaid:",
    )
    compiled = compile_spec(spec)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    [warning] = [d for d in compiled.diagnostics if "publish options" in d.message]
    assert "'sendCreatedAgain'" in warning.message and "'sendCreated'" in warning.message
    assert warning.location.pointer == "/operations/sendCreatedAgain"


def test_a_receive_operations_priority_orders_its_handler_queue_by_priority(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = SPEC.replace(
        "  onPaid: {action: receive, channel: {$ref: '#/channels/paid'}}",
        "  onPaid:\n    action: receive\n    channel: {$ref: '#/channels/paid'}\n"
        "    bindings: {amqp: {priority: 5}}",
    )
    compiled = compile_spec(spec)
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    handlers = compiled.tree.files["pkg/handlers.py"]
    assert handlers.count("max_priority=") == 1
    assert "max_priority=5" in handlers
    plain = compile_spec(SPEC)
    assert plain.tree is not None
    assert "max_priority" not in plain.tree.files["pkg/handlers.py"], "a send's priority is its own"


def test_a_content_encoding_the_runtime_reads_as_it_is_needs_no_warning(
    compile_spec: Callable[..., Compiled],
) -> None:
    # kombu labels a body of bytes it did not serialize "binary", and the runtime reads
    # such a body as it is; a document that says so describes what happens.
    for encoding in ("binary", "utf-8", "identity"):
        spec = SPEC.replace(
            "      Created: {payload: {type: object}}",
            "      Created:\n"
            "        payload: {type: object}\n"
            f"        bindings: {{amqp: {{contentEncoding: {encoding}}}}}",
        )
        compiled = compile_spec(spec)
        assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
        assert not [d for d in compiled.diagnostics if "contentEncoding" in d.message], encoding


def test_a_content_encoding_the_runtime_refuses_is_reported(
    compile_spec: Callable[..., Compiled],
) -> None:
    spec = SPEC.replace(
        "      Created: {payload: {type: object}}",
        "      Created:\n"
        "        payload: {type: object}\n"
        "        bindings: {amqp: {contentEncoding: gzip}}",
    )
    compiled = compile_spec(spec)
    [warning] = [d for d in compiled.diagnostics if "contentEncoding" in d.message]
    assert warning.level == "warning"
    assert warning.location.pointer.endswith("/bindings/amqp/contentEncoding")
