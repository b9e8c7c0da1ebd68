"""The relay: confirmed copies settled by the broker's answer, on an event loop or a thread."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from kombu.asynchronous import Hub

from amqp_events import events_app
from amqp_events.errors import PublishError
from amqp_events.publisher import Envelope, masked_url
from amqp_events.relay import Relay
from tests.support.broker import Broker

pytestmark = pytest.mark.broker


@pytest.fixture
def queue(broker: Broker, unique: str) -> Iterator[str]:
    """A queue reached through the default exchange."""
    channel = broker.connection.channel()
    channel.queue_declare(unique, durable=True, auto_delete=False)
    yield unique
    channel.queue_delete(unique)
    channel.close()


def _settled(relay: Relay, envelope: Envelope, wait: Callable[[], None]) -> PublishError | None:
    answers: list[PublishError | None] = []
    relay.publish(envelope, answers.append)
    deadline = time.monotonic() + 10
    while not answers and time.monotonic() < deadline:
        wait()
    assert answers, f"no answer for {envelope.describe()}"
    return answers[0]


@pytest.mark.parametrize("reading", ["event-loop", "thread"])
def test_the_relay_answers_again_after_the_broker_closed_its_channel(
    reading: str, amqp_url: str, broker: Broker, unique: str, queue: str
) -> None:
    app = events_app(unique, broker_url=amqp_url, exchange=f"{unique}-events")
    relay = Relay(app._connect, timeout=5, url_for_errors=masked_url(amqp_url))
    hub = Hub()
    if reading == "event-loop":
        relay.register_with_event_loop(hub)
        wait: Callable[[], None] = hub.run_once
    else:
        relay.read_in_thread()
        wait = lambda: time.sleep(0.01)  # noqa: E731
    try:
        good = Envelope("", queue, b"{}", {"message_id": "good"}, mandatory=True)
        nowhere = Envelope(f"{unique}-missing", "x", b"{}", {"message_id": "lost"})
        assert _settled(relay, good, wait) is None
        refused = _settled(relay, nowhere, wait)  # 404: the broker closes the channel
        assert isinstance(refused, PublishError)
        assert "closed the channel" in str(refused)
        # A new connection, read like the first: its confirm arrives.
        assert _settled(relay, good, wait) is None
        assert broker.depth(queue) == 2
    finally:
        relay.close()
        hub.close()
