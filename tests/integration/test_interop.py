"""The wire format is plain JSON: any AMQP client can produce and consume our events."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import kombu
import pika
import pytest
from kombu.utils.url import parse_url

from amqp_events import BrokerUnavailableError, events_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.workers import ROOT, WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.customer.registered"


def test_a_message_published_by_plain_pika_is_handled(
    amqp_url: str,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("crm", (EVENT,))
    start_worker(service)
    parts = parse_url(amqp_url)
    connection = pika.BlockingConnection(
        pika.ConnectionParameters(
            host=parts["hostname"] or "127.0.0.1",
            port=parts["port"] or 5672,
            virtual_host=parts["virtual_host"] or "/",
            credentials=pika.PlainCredentials(
                parts["userid"] or "guest", parts["password"] or "guest"
            ),
        )
    )
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish(
        exchange=service.exchange,
        routing_key=EVENT,
        body=json.dumps({"id": "from-pika"}).encode(),
        properties=pika.BasicProperties(content_type="application/json", delivery_mode=2),
    )
    connection.close()
    wait_for(lambda: service.ids() == ["from-pika"], timeout=15, what="the pika message")


def test_a_message_published_by_a_plain_kombu_producer_is_handled(
    amqp_url: str,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("kombu-client", (EVENT,))
    start_worker(service)
    with kombu.Connection(amqp_url) as connection:
        producer = connection.Producer()
        # The most natural kombu call: bytes and a content type; kombu adds the
        # content encoding 'binary'.
        producer.publish(
            json.dumps({"id": "from-kombu"}).encode(),
            exchange=service.exchange,
            routing_key=EVENT,
            content_type="application/json",
        )
        producer.publish(
            {"id": "from-kombu-json"},
            exchange=service.exchange,
            routing_key=EVENT,
            serializer="json",
        )
    wait_for(
        lambda: sorted(service.ids()) == ["from-kombu", "from-kombu-json"],
        timeout=15,
        what="both kombu messages",
    )


def test_a_fired_event_reads_as_exactly_the_payload_json_to_a_plain_kombu_consumer(
    amqp_url: str, broker: Broker, unique: str
) -> None:
    app = events_app(f"{unique}-shop", broker_url=amqp_url, exchange=f"{unique}-events")

    @app.event(EVENT)
    def customer_registered(
        id: str, email: str | None = None, tags: list[str] | None = None
    ) -> None:
        """A customer signed up."""

    exchange = kombu.Exchange(f"{unique}-events", "topic", durable=True)
    queue = kombu.Queue(f"{unique}-plain", exchange, routing_key=EVENT, durable=True)
    with kombu.Connection(amqp_url) as connection:
        queue(connection.default_channel).declare()
        message_id = customer_registered(id="c-1", email=None, tags=["vip", "ünï"])
        app.publisher.close()
        received: list[kombu.Message] = []
        with kombu.Consumer(
            connection,
            queues=[queue],
            callbacks=[lambda _b, m: received.append(m)],
            accept=["json"],
        ):
            connection.drain_events(timeout=5)
        queue(connection.default_channel).delete()
    broker.delete_exchange(f"{unique}-events")

    [message] = received
    assert json.loads(cast(bytes, message.body)) == {
        "id": "c-1",
        "email": None,
        "tags": ["vip", "ünï"],
    }
    assert message.content_type == "application/json"
    assert message.properties["message_id"] == message_id
    assert message.properties["type"] == EVENT
    assert message.headers == {}, "no Celery envelope, no bookkeeping headers"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fire_at(port: int) -> tuple[float, str]:
    """Fire one event at a broker URL on ``port``; the seconds until it raised, and why."""
    app = events_app(
        "offline", broker_url=f"amqp://guest:secret@127.0.0.1:{port}//", publish_timeout=1.5
    )

    @app.event("shop.order.created")
    def order_created(id: str) -> None:
        """An order was placed."""

    started = time.monotonic()
    with pytest.raises(BrokerUnavailableError) as raised:
        order_created(id="o-1")
    message = str(raised.value)
    assert f"127.0.0.1:{port}" in message
    assert "secret" not in message, "passwords never appear in errors"
    return time.monotonic() - started, message


def test_firing_without_a_reachable_broker_raises_a_clear_error_in_bounded_time() -> None:
    elapsed, message = _fire_at(_closed_port())
    assert elapsed < 5
    assert "within 1.5 s" in message


def test_firing_at_a_listener_that_never_answers_raises_in_bounded_time() -> None:
    # A port that accepts TCP connections but never speaks AMQP: a hung broker, a
    # firewall or a wrong service. The connection handshake must not wait forever.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        elapsed, _ = _fire_at(silent.getsockname()[1])
    assert elapsed < 10


PRODUCER = textwrap.dedent(
    """
    import json, os, sys
    import amqp

    opened = []
    original = amqp.Connection.__init__
    def counting(self, *args, **kwargs):
        opened.append(kwargs.get("host"))
        original(self, *args, **kwargs)
    amqp.Connection.__init__ = counting

    from tests.apps.recorder import build_app
    app = build_app(os.environ)   # handlers registered, as in a web process importing the service
    app.loader.import_default_modules()
    before = len(opened)

    @app.event(os.environ["AE_EVENTS"])
    def changed(id: str) -> None:
        pass

    changed(id="p-1")
    print(json.dumps({"before": before, "after": len(opened)}))
    """
)


def test_a_producer_opens_no_connection_until_it_fires_and_declares_no_retry_or_archive(
    amqp_url: str, broker: Broker, recorder_service: Callable[..., Service], tmp_path: Path
) -> None:
    service = recorder_service("producer-only", (EVENT,))
    # Queues Celery itself would declare; shared names may exist already on a shared broker.
    strays = [q for q in ("celery", "events", f"{service.name}:tasks") if not broker.exists(q)]
    script = tmp_path / "producer.py"
    script.write_text(PRODUCER)
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        env={**service.env, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts == {"before": 0, "after": 1}
    assert broker.exchange_exists(service.exchange), "the event exchange is declared on first fire"
    assert not broker.exists(service.archive)
    assert not broker.exists(f"{service.name}:retry.500")
    assert not broker.exists(service.queue(EVENT))
    assert not broker.exchange_exists(f"{service.name}:recover")
    for stray in strays:
        assert not broker.exists(stray), f"the producer declared {stray!r}"
