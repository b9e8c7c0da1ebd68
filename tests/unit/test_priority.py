"""max_priority: a queue argument for classic queues, refused where RabbitMQ refuses it."""

from __future__ import annotations

import pytest

from amqp_events import ConfigurationError, events_app

NOWHERE = "amqp://guest:guest@127.0.0.1:1//"


def _handler() -> None:
    """A handler without a payload."""


def test_max_priority_declares_the_handler_queue_with_x_max_priority_only() -> None:
    app = events_app("billing", broker_url=NOWHERE)
    app.handler("orders.created", max_priority=10)(_handler)
    app.handler("orders.paid")(_handler)
    queues = {q.name: q.argument_map for q in app.topology().queues}
    assert queues["billing.orders.created"]["x-max-priority"] == 10
    assert "x-max-priority" not in queues["billing.orders.paid"]
    assert not any("x-max-priority" in args for name, args in queues.items() if ":" in name)


@pytest.mark.parametrize("value", [0, 256, True, 2.5])
def test_max_priority_outside_rabbitmqs_range_is_refused(value: object) -> None:
    app = events_app("billing", broker_url=NOWHERE)
    with pytest.raises(ConfigurationError, match="from 1 to 255"):
        app.handler("orders.created", max_priority=value)(_handler)  # type: ignore[arg-type]


def test_max_priority_on_quorum_queues_is_refused_with_the_reason() -> None:
    app = events_app("billing", broker_url=NOWHERE, queue_type="quorum")
    with pytest.raises(ConfigurationError, match="refuses x-max-priority on quorum queues"):
        app.handler("orders.created", max_priority=5)(_handler)
