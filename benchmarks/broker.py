"""The harness's own broker connection: declare, inspect, purge and delete what a run uses."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import amqp
from amqp.exceptions import NotFound
from kombu.utils.url import parse_url

from amqp_events import Topology
from amqp_events.publisher import amqp_connection

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def connect(url: str, *, timeout: float = 5.0) -> amqp.Connection:
    """Open a py-amqp connection to ``url``."""
    connection = amqp_connection(url, connect_timeout=timeout)
    connection.connect()
    return connection


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """Messages of one queue as ``rabbitmqctl`` reports them."""

    ready: int
    unacked: int


class Admin:
    """Declares and deletes the entities of one run; remembers them so cleanup is complete."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = parse_url(url)
        self.vhost = str(parts["virtual_host"] or "/")
        self.local = (parts["hostname"] or "127.0.0.1") in _LOCAL_HOSTS
        self.connection = connect(url)
        self._channel: amqp.Channel | None = None
        self.queues: set[str] = set()
        self.exchanges: set[str] = set()
        self.used: set[str] = set()
        """Every queue name the run used, for the report."""

    @property
    def server_version(self) -> str:
        """The broker's product and version, e.g. ``RabbitMQ 3.10.8``."""
        props: dict[str, object] = getattr(self.connection, "server_properties", {})
        return f"{props.get('product', '?')} {props.get('version', '?')}"

    def channel(self) -> amqp.Channel:
        """A channel for admin work; reopened after the broker closed one."""
        if self._channel is None or not self._channel.is_open:
            self._channel = self.connection.channel()
        return self._channel

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(OSError, amqp.exceptions.AMQPError):
            self.connection.close()

    # -- names -----------------------------------------------------------------------

    def remember(self, *, queues: Iterable[str] = (), exchanges: Iterable[str] = ()) -> None:
        """Record names this run uses, for ``cleanup``."""
        queues = list(queues)
        self.used.update(queues)
        self.queues.update(queues)
        self.exchanges.update(name for name in exchanges if name)

    def fresh_topology(self, topology: Topology) -> None:
        """``fresh`` for every queue and exchange of an ``amqp_events`` topology."""
        self.fresh(
            queues=[q.name for q in topology.queues],
            exchanges=[e.name for e in topology.exchanges],
        )

    def fresh(self, *, queues: Iterable[str] = (), exchanges: Iterable[str] = ()) -> None:
        """Remember names and delete whatever exists under them, before they are used."""
        queues, exchanges = list(queues), [name for name in exchanges if name]
        self.remember(queues=queues, exchanges=exchanges)
        self.delete(queues=queues, exchanges=exchanges)

    def delete(self, *, queues: Iterable[str] = (), exchanges: Iterable[str] = ()) -> None:
        """Delete queues and exchanges (missing ones are fine)."""
        for queue in sorted(queues):
            self._delete(partial(amqp.Channel.queue_delete, queue=queue))
        for exchange in sorted(exchanges):
            self._delete(partial(amqp.Channel.exchange_delete, exchange=exchange))

    def cleanup(self) -> None:
        """Delete every remembered queue and exchange, and forget them."""
        self.delete(queues=self.queues, exchanges=self.exchanges)
        self.queues.clear()
        self.exchanges.clear()

    def _delete(self, action: Callable[[amqp.Channel], object]) -> None:
        try:
            action(self.channel())
        except NotFound:
            self._channel = None

    # -- declaring and inspecting -------------------------------------------------------

    def declare_exchange(self, name: str, kind: str = "topic") -> None:
        """Declare a durable exchange and remember it."""
        self.remember(exchanges=[name])
        self.channel().exchange_declare(name, kind, durable=True, auto_delete=False)

    def declare_queue(self, name: str, *, exchange: str = "", routing_key: str = "#") -> None:
        """Declare a durable classic queue, bound to ``exchange`` if given, and remember it."""
        self.remember(queues=[name])
        self.channel().queue_declare(name, durable=True, auto_delete=False)
        if exchange:
            self.channel().queue_bind(name, exchange, routing_key)

    def status(self, queue: str) -> tuple[int, int] | None:
        """Ready messages and consumers of a queue, or None when it does not exist."""
        try:
            declared = self.channel().queue_declare(queue, passive=True)
        except NotFound:
            self._channel = None
            return None
        assert declared is not None  # only nowait declares return nothing
        return declared[1], declared[2]

    def purge(self, *queues: str) -> None:
        """Drop the ready messages of existing queues."""
        for queue in queues:
            try:
                self.channel().queue_purge(queue)
            except NotFound:
                self._channel = None

    def wait_depth(self, queue: str, depth: int, *, timeout: float = 60.0) -> None:
        """Wait until ``queue`` holds ``depth`` ready messages."""
        deadline = time.monotonic() + timeout
        while (status := self.status(queue)) is None or status[0] < depth:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{queue} holds {status} messages, {depth} expected")
            time.sleep(0.02)

    def wait_consumers(
        self, queues: Iterable[str], *, check: Callable[[], None], timeout: float = 60.0
    ) -> None:
        """Wait until every queue has a consumer; ``check`` raises if the worker died."""
        deadline = time.monotonic() + timeout
        for queue in queues:
            while (status := self.status(queue)) is None or status[1] == 0:
                check()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no consumer on {queue} after {timeout:g} s")
                time.sleep(0.05)

    # -- rabbitmqctl ---------------------------------------------------------------------

    @property
    def can_count_unacked(self) -> bool:
        """Tell whether ``rabbitmqctl`` can report unacknowledged messages of this broker."""
        return self.local and shutil.which("rabbitmqctl") is not None

    def queue_counts(self) -> dict[str, QueueCounts]:
        """Ready and unacknowledged messages of every queue of the vhost (about 0.7 s)."""
        output = subprocess.run(
            [
                "rabbitmqctl",
                "-q",
                "list_queues",
                "-p",
                self.vhost,
                "--no-table-headers",
                "name",
                "messages_ready",
                "messages_unacknowledged",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        counts = {}
        for line in output.splitlines():
            name, ready, unacked = line.rsplit("\t", 2)
            counts[name] = QueueCounts(int(ready), int(unacked))
        return counts


class ConfirmedChannel:
    """Raw py-amqp publishing, pipelined: send everything, then wait for every confirm."""

    def __init__(self, connection: amqp.Connection) -> None:
        self.connection = connection
        self.channel: amqp.Channel = connection.channel()
        self.channel.confirm_select()
        self.sent = 0
        self.acked = 0
        self.nacked = 0
        # The type stubs leave out py-amqp's per-channel event callbacks.
        events: dict[str, set[Callable[..., None]]] = self.channel.events  # type: ignore[attr-defined]
        events["basic_ack"].add(self._on_ack)
        events["basic_nack"].add(self._on_nack)

    def _on_ack(self, tag: int, multiple: bool) -> None:
        self.acked = tag if multiple else self.acked + 1

    def _on_nack(self, tag: int, multiple: bool) -> None:
        self.nacked += 1

    def publish(self, exchange: str, routing_key: str, message: amqp.Message) -> None:
        """Send one message without waiting."""
        self.channel.basic_publish(message, exchange=exchange, routing_key=routing_key)
        self.sent += 1

    def wait(self, timeout: float = 60.0) -> None:
        """Wait until the broker confirmed everything sent; raise on a nack."""
        deadline = time.monotonic() + timeout
        while self.acked + self.nacked < self.sent:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.sent - self.acked} publishes were not confirmed")
            try:
                self.connection.drain_events(timeout=1.0)
            except TimeoutError:
                continue
        if self.nacked:
            raise RuntimeError(f"the broker refused {self.nacked} messages")

    def close(self) -> None:
        """Close the channel."""
        self.channel.close()
