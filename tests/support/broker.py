"""Talk to the test broker directly: inspect queues, publish raw messages, clean up."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from typing import Any

import amqp
from amqp.exceptions import NotFound

from amqp_events.publisher import amqp_connection
from amqp_events.topology import Topology


def connect(url: str, *, timeout: float = 5.0) -> amqp.Connection:
    """Open a py-amqp connection to ``url``."""
    connection = amqp_connection(url, connect_timeout=timeout)
    connection.connect()
    return connection


class Broker:
    """A connection for tests: queue depths, raw gets and publishes, deletion."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connection = connect(url)

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(Exception):  # best effort on teardown
            self.connection.close()

    def _channel(self) -> amqp.Channel:
        channel = self.connection.channel()
        channel.auto_decode = False
        return channel

    def _status(self, queue: str) -> tuple[int, int] | None:
        channel = self._channel()
        try:
            declared = channel.queue_declare(queue, passive=True)
        except NotFound:
            return None
        channel.close()
        assert declared is not None  # only nowait declares return nothing
        return declared[1], declared[2]

    def exists(self, queue: str) -> bool:
        """Tell whether a queue exists."""
        return self._status(queue) is not None

    def exchange_exists(self, exchange: str) -> bool:
        """Tell whether an exchange exists."""
        channel = self._channel()
        try:
            channel.exchange_declare(exchange, "topic", passive=True)
        except NotFound:
            return False
        channel.close()
        return True

    def depth(self, queue: str) -> int:
        """Messages ready in a queue (unacknowledged ones are not counted)."""
        status = self._status(queue)
        if status is None:
            raise AssertionError(f"Queue {queue!r} does not exist.")
        return status[0]

    def consumers(self, queue: str) -> int:
        """Consumers attached to a queue (0 when it does not exist)."""
        status = self._status(queue)
        return 0 if status is None else status[1]

    def get_all(self, queue: str) -> list[amqp.Message]:
        """Take every ready message out of a queue (acknowledged)."""
        channel = self._channel()
        messages = []
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            messages.append(message)
        channel.close()
        return messages

    def publish(
        self,
        exchange: str,
        routing_key: str,
        body: bytes,
        *,
        mandatory: bool = False,
        **properties: Any,
    ) -> None:
        """Publish one raw message and wait for the broker's confirm."""
        channel = self._channel()
        channel.confirm_select()
        channel.basic_publish_confirm(
            amqp.Message(body, **properties),
            exchange=exchange,
            routing_key=routing_key,
            mandatory=mandatory,
        )
        channel.close()

    def purge(self, queue: str) -> None:
        """Remove every ready message from a queue."""
        channel = self._channel()
        channel.queue_purge(queue)
        channel.close()

    def delete(self, topology: Topology, *, extra_queues: Iterable[str] = ()) -> None:
        """Delete the queues and exchanges of a topology (the default exchange excepted)."""
        channel = self._channel()
        for queue in [q.name for q in topology.queues] + list(extra_queues):
            channel.queue_delete(queue)
        for exchange in topology.exchanges:
            if exchange.name:
                channel.exchange_delete(exchange.name)
        channel.close()

    def delete_exchange(self, name: str) -> None:
        """Delete one exchange."""
        channel = self._channel()
        channel.exchange_delete(name)
        channel.close()


def wait_for(
    condition: Callable[[], bool],
    *,
    timeout: float,
    interval: float = 0.05,
    what: str = "the condition",
) -> None:
    """Poll ``condition`` until it holds; fail the test with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    if condition():
        return
    raise AssertionError(f"Timed out after {timeout:g} s waiting for {what}.")
