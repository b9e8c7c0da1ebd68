"""Publishing: confirmed, pipelined in batches, recovering from a lost connection."""

from __future__ import annotations

import json
import time

import pytest

from amqp_events import JsonValue, OutgoingEvent, PublishError, UnroutableError, events_app
from amqp_events.publisher import Envelope
from tests.support.broker import Broker

pytestmark = pytest.mark.broker


@pytest.fixture
def sink(broker: Broker, unique: str):  # type: ignore[no-untyped-def]
    """A queue bound to '<unique>-events' with routing key 'sink.#'."""
    channel = broker.connection.channel()
    channel.exchange_declare(f"{unique}-events", "topic", durable=True, auto_delete=False)
    channel.queue_declare(f"{unique}-sink", durable=True, auto_delete=False)
    channel.queue_bind(f"{unique}-sink", f"{unique}-events", "sink.#")
    yield f"{unique}-sink"
    channel.queue_delete(f"{unique}-sink")
    channel.exchange_delete(f"{unique}-events")
    channel.close()


def test_a_batch_pipelines_confirms_and_every_message_arrives_in_order(
    amqp_url: str, broker: Broker, unique: str, sink: str
) -> None:
    app = events_app(unique, broker_url=amqp_url, exchange=f"{unique}-events")

    @app.event("sink.counted")
    def counted(n: int) -> None:
        """A number."""

    with app.batch() as batch:
        ids = [counted(n) for n in range(500)]
    assert batch.sent == 500
    assert batch.failures == []
    assert len(set(ids)) == 500
    received = broker.get_all(sink)
    assert [json.loads(m.body)["n"] for m in received] == list(range(500))
    app.publisher.close()


def test_an_unroutable_event_raises_when_the_app_asks_for_mandatory_routing(
    amqp_url: str, unique: str, sink: str
) -> None:
    app = events_app(unique, broker_url=amqp_url, exchange=f"{unique}-events", mandatory=True)

    @app.event("nobody.listens")
    def lonely(n: int) -> None:
        """Nobody is bound for this."""

    @app.event("sink.routed")
    def routed(n: int) -> None:
        """Someone is bound for this."""

    with pytest.raises(UnroutableError, match="unroutable"):
        lonely(1)
    routed(2)  # the connection is still usable
    with pytest.raises(UnroutableError, match="2 of 3 message"), app.batch():
        lonely(3)
        routed(4)
        lonely(5)
    app.publisher.close()


def test_a_lost_connection_is_reopened_and_the_publish_still_confirmed(
    amqp_url: str, broker: Broker, unique: str, sink: str
) -> None:
    app = events_app(unique, broker_url=amqp_url, exchange=f"{unique}-events")

    @app.event("sink.counted")
    def counted(n: int) -> None:
        """A number."""

    counted(1)
    link = app.publisher._local.link  # simulate the network dropping it
    link.connection.transport.sock.close()
    counted(2)
    assert [json.loads(m.body)["n"] for m in broker.get_all(sink)] == [1, 2]
    app.publisher.close()


def test_publishing_to_a_missing_exchange_is_an_error_not_a_silent_drop(
    amqp_url: str, unique: str
) -> None:
    app = events_app(unique, broker_url=amqp_url)
    with pytest.raises(PublishError, match="NOT_FOUND"):
        app.publisher.publish(Envelope(f"{unique}-missing", "x", b"{}"))
    # The broker closed the channel; the next publish opens another, at once.
    started = time.monotonic()
    app.publisher.publish(Envelope("", f"{unique}-no-such-queue", b"{}"))  # confirmed, unrouted
    assert time.monotonic() - started < 2
    app.publisher.close()


def test_an_event_is_published_with_its_documents_json_media_type(
    amqp_url: str, broker: Broker, unique: str, sink: str
) -> None:
    app = events_app(unique, broker_url=amqp_url, exchange=f"{unique}-events")
    cloud: OutgoingEvent[JsonValue] = OutgoingEvent(
        name="sink.cloud", encode=lambda value: value, content_type="application/cloudevents+json"
    )
    plain: OutgoingEvent[JsonValue] = OutgoingEvent(name="sink.plain", encode=lambda value: value)
    payload: JsonValue = {"n": 1}
    app.publish(cloud, payload)
    app.publish(plain, payload)
    received = broker.get_all(sink)
    assert [m.properties["content_type"] for m in received] == [
        "application/cloudevents+json",
        "application/json",
    ]
    app.publisher.close()
