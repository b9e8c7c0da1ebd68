"""The runtime's topic matching rule is RabbitMQ's: the same cases against the real broker."""

from __future__ import annotations

import pytest

from amqp_events.addresses import topic_matches
from tests.support.broker import Broker
from tests.unit.test_addresses import TOPIC_CASES


@pytest.mark.broker
def test_the_broker_routes_exactly_what_topic_matches_says(broker: Broker, unique: str) -> None:
    channel = broker.connection.channel()
    exchange = f"{unique}-topics"
    channel.exchange_declare(exchange, "topic", durable=False, auto_delete=False)
    bindings = sorted({binding for binding, _, _ in TOPIC_CASES})
    queues = {binding: f"{unique}-{index}" for index, binding in enumerate(bindings)}
    try:
        for binding, queue in queues.items():
            channel.queue_declare(queue, durable=False, auto_delete=False)
            channel.queue_bind(queue, exchange, binding)
        keys = sorted({key for _, key, _ in TOPIC_CASES})
        for key in keys:
            broker.publish(exchange, key, key.encode() or b"(empty)")
        for binding, queue in queues.items():
            bodies = [m.body for m in broker.get_all(queue)]
            routed = sorted(b.decode() if isinstance(b, bytes) else b for b in bodies)
            expected = sorted(k or "(empty)" for k in keys if topic_matches(binding, k))
            assert routed == expected, binding
    finally:
        for queue in queues.values():
            channel.queue_delete(queue)
        channel.exchange_delete(exchange)
        channel.close()
