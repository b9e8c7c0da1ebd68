"""The RabbitMQ topology of a service, as plain frozen values built by pure functions.

Nothing here talks to a broker: ``service_topology()`` says which exchanges, queues and
bindings a consuming service needs, ``publisher_topology()`` what a producer needs, and
``amqp_events.declare`` applies either. Tests inspect these values without a broker.

For a service ``billing`` handling ``orders.created`` on the ``events`` exchange::

    events (topic) --orders.created--> billing.orders.created <--rk=queue-- billing:recover
    billing:retry.<ms> (fanout) -> queue billing:retry.<ms>  (ttl <ms>, dead-letter billing:recover)
    billing:archive (ttl, max-length)                        <--rk=queue-- billing:recover
    billing:isolation (dead-letter billing:archive)          <--rk=queue-- billing:recover

Every copy the runtime makes of a message reaches its queue through the recover
exchange, which is how a worker tells its own bookkeeping headers from a producer's
(``amqp_events.trust``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from amqp_events.errors import ConfigurationError
from amqp_events.policy import DEFAULT_ARCHIVE, ArchivePolicy, QueueType, RetryPolicy

__all__ = [
    "DEFAULT_EXCHANGE",
    "Binding",
    "Exchange",
    "ExchangeType",
    "HandlerRoute",
    "Queue",
    "ServiceNames",
    "Topology",
    "publisher_topology",
    "service_topology",
]

ExchangeType = Literal["topic", "direct", "fanout", "headers"]
ArgumentValue = str | int | bool

DEFAULT_EXCHANGE = "events"
"""The topic exchange of an app whose settings name no other."""


def _frozen_arguments(
    arguments: Mapping[str, ArgumentValue],
) -> tuple[tuple[str, ArgumentValue], ...]:
    return tuple(sorted(arguments.items()))


@dataclass(frozen=True, slots=True)
class Exchange:
    """An exchange to declare: durable unless stated otherwise."""

    name: str
    type: ExchangeType
    durable: bool = True
    auto_delete: bool = False


@dataclass(frozen=True, slots=True)
class Queue:
    """A durable queue with its ``x-`` arguments (kept sorted, so values compare by content)."""

    name: str
    arguments: tuple[tuple[str, ArgumentValue], ...] = ()
    durable: bool = True

    @classmethod
    def with_arguments(cls, name: str, arguments: Mapping[str, ArgumentValue]) -> Queue:
        """Build a queue from an arguments mapping."""
        return cls(name=name, arguments=_frozen_arguments(arguments))

    @property
    def argument_map(self) -> dict[str, ArgumentValue]:
        """The arguments as a dict, as ``queue_declare`` takes them."""
        return dict(self.arguments)


@dataclass(frozen=True, slots=True)
class Binding:
    """A binding of ``queue`` to ``exchange`` with ``routing_key``."""

    exchange: str
    queue: str
    routing_key: str


@dataclass(frozen=True, slots=True)
class Topology:
    """Exchanges, queues and bindings, each listed once, in declaration order."""

    exchanges: tuple[Exchange, ...] = ()
    queues: tuple[Queue, ...] = ()
    bindings: tuple[Binding, ...] = ()

    def queue(self, name: str) -> Queue:
        """Return the queue called ``name``."""
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(name)

    def exchange(self, name: str) -> Exchange:
        """Return the exchange called ``name``."""
        for exchange in self.exchanges:
            if exchange.name == name:
                return exchange
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class ServiceNames:
    """The naming scheme of a service's entities; one place so nothing drifts."""

    service: str

    def __post_init__(self) -> None:
        check_name(self.service, "Service name")
        if ":" in self.service:
            raise ConfigurationError(
                f"Service name {self.service!r} contains ':', which separates a service "
                "from its retry and archive entities; use letters, digits, '.', '-' or '_'."
            )

    def handler_queue(self, event: str) -> str:
        """Queue of this service for one event: ``{service}.{event}``."""
        return f"{self.service}.{event}"

    @property
    def recover_exchange(self) -> str:
        """Direct exchange that routes retried and replayed messages to one queue."""
        return f"{self.service}:recover"

    @property
    def retry_prefix(self) -> str:
        """Common prefix of the retry buckets' names."""
        return f"{self.service}:retry."

    def retry_bucket(self, delay_ms: int) -> str:
        """Fanout exchange and queue that hold messages for ``delay_ms`` milliseconds."""
        return f"{self.retry_prefix}{delay_ms}"

    def is_handler_queue(self, queue: str) -> bool:
        """Tell whether a queue name is one of this service's handler queues."""
        return queue.startswith(f"{self.service}.")

    @property
    def isolation_queue(self) -> str:
        """Queue of messages whose worker was lost; each worker holds one of them at a time."""
        return f"{self.service}:isolation"

    def archive_queue(self, event: str | None = None) -> str:
        """The service's archive, or the archive of one event with its own limits."""
        return f"{self.service}:archive" if event is None else f"{self.service}:archive.{event}"

    def archive_of(self, event: str, archive: ArchivePolicy, default: ArchivePolicy) -> str:
        """Where a handler's failures are parked: its own archive when its limits differ."""
        return self.archive_queue() if archive == default else self.archive_queue(event)


@dataclass(frozen=True, slots=True)
class HandlerRoute:
    """Where one handler's events come from and where its failures go."""

    event: str
    queue: str
    exchange: Exchange
    binding_keys: tuple[str, ...]
    retry: RetryPolicy
    archive: ArchivePolicy
    archive_queue: str
    extra_arguments: tuple[tuple[str, ArgumentValue], ...] = field(default=())

    @classmethod
    def for_event(
        cls,
        names: ServiceNames,
        event: str,
        exchange: Exchange,
        binding_keys: Iterable[str],
        *,
        retry: RetryPolicy,
        archive: ArchivePolicy,
        default_archive: ArchivePolicy,
        max_priority: int | None = None,
    ) -> HandlerRoute:
        """The route of the handler of ``event`` in the service ``names`` names.

        Its queue is ``{service}.{event}``; its failures park in the service's archive, or
        in one of their own when ``archive`` is not the service's ``default_archive``; with
        ``max_priority`` its queue hands out events by their AMQP priority.
        """
        return cls(
            event=event,
            queue=names.handler_queue(event),
            exchange=exchange,
            binding_keys=tuple(binding_keys),
            retry=retry,
            archive=archive,
            archive_queue=names.archive_of(event, archive, default_archive),
            extra_arguments=() if max_priority is None else (("x-max-priority", max_priority),),
        )


def check_name(name: str, what: str) -> None:
    """Refuse names RabbitMQ would refuse: empty, over 255 bytes, or with control characters."""
    if not name:
        raise ConfigurationError(f"{what} must not be empty.")
    if len(name.encode()) > 255:
        raise ConfigurationError(
            f"{what} {name[:40]!r}... is {len(name.encode())} bytes long; "
            "RabbitMQ names are limited to 255 bytes."
        )
    if any(ord(ch) < 32 for ch in name):
        raise ConfigurationError(f"{what} {name!r} contains a control character.")


def _queue_arguments(
    queue_type: QueueType, arguments: Mapping[str, ArgumentValue]
) -> dict[str, ArgumentValue]:
    result = dict(arguments)
    if queue_type == "quorum":
        result["x-queue-type"] = "quorum"
    return result


def service_topology(
    names: ServiceNames,
    routes: Sequence[HandlerRoute],
    *,
    queue_type: QueueType = "classic",
    delivery_limit: int = 5,
    archive: ArchivePolicy = DEFAULT_ARCHIVE,
) -> Topology:
    """Build everything a consuming service declares: its queues, retry ladder and archives.

    Every retry bucket any handler can choose is declared, so a retry publish can
    never target a missing queue. A handler queue dead-letters to its archive, so a
    message the worker rejects is parked, not dropped. The isolation lane holds the
    messages whose worker was lost (see ``amqp_events.consumer``); it dead-letters to
    the service's archive, which ``archive`` bounds. On quorum queues
    ``x-delivery-limit`` is a backstop for a message that kills its worker before the
    runtime sees it: the broker counts the returns of one copy, and the runtime replaces
    every redelivered copy with a new one.
    """
    exchanges: dict[str, Exchange] = {}
    queues: dict[str, Queue] = {}
    bindings: dict[tuple[str, str, str], Binding] = {}

    def add_exchange(exchange: Exchange) -> None:
        known = exchanges.setdefault(exchange.name, exchange)
        if known != exchange:
            raise ConfigurationError(
                f"Exchange {exchange.name!r} is used as {known.type} and as {exchange.type}; "
                "one exchange has one type."
            )

    def add_queue(queue: Queue) -> None:
        known = queues.setdefault(queue.name, queue)
        if known != queue:
            raise ConfigurationError(
                f"Queue {queue.name!r} is declared twice with different arguments "
                f"({dict(known.arguments)} and {dict(queue.arguments)})."
            )

    def bind(exchange: str, queue: str, routing_key: str) -> None:
        bindings.setdefault((exchange, queue, routing_key), Binding(exchange, queue, routing_key))

    recover = Exchange(names.recover_exchange, "direct")
    for route in routes:
        add_exchange(route.exchange)
        add_exchange(recover)
        handler_args: dict[str, ArgumentValue] = {
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": route.archive_queue,
            **dict(route.extra_arguments),
        }
        if queue_type == "quorum":
            handler_args["x-delivery-limit"] = delivery_limit
        add_queue(Queue.with_arguments(route.queue, _queue_arguments(queue_type, handler_args)))
        for key in route.binding_keys:
            bind(route.exchange.name, route.queue, key)
        bind(recover.name, route.queue, route.queue)

        for ms in sorted(set(route.retry.delays_ms())):
            bucket = names.retry_bucket(ms)
            add_exchange(Exchange(bucket, "fanout"))
            add_queue(
                Queue.with_arguments(
                    bucket,
                    _queue_arguments(
                        queue_type,
                        {"x-message-ttl": ms, "x-dead-letter-exchange": recover.name},
                    ),
                )
            )
            bind(bucket, bucket, "")

        add_queue(
            Queue.with_arguments(
                route.archive_queue,
                _queue_arguments(
                    queue_type,
                    {
                        "x-message-ttl": route.archive.ttl_ms,
                        "x-max-length": route.archive.max_length,
                    },
                ),
            )
        )
        bind(recover.name, route.archive_queue, route.archive_queue)
    if routes:
        lane_args: dict[str, ArgumentValue] = {
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": names.archive_queue(),
        }
        if queue_type == "quorum":
            lane_args["x-delivery-limit"] = delivery_limit
        add_queue(
            Queue.with_arguments(names.isolation_queue, _queue_arguments(queue_type, lane_args))
        )
        bind(recover.name, names.isolation_queue, names.isolation_queue)
        add_queue(
            Queue.with_arguments(
                names.archive_queue(),
                _queue_arguments(
                    queue_type,
                    {"x-message-ttl": archive.ttl_ms, "x-max-length": archive.max_length},
                ),
            )
        )
        bind(recover.name, names.archive_queue(), names.archive_queue())
    return Topology(
        exchanges=tuple(exchanges.values()),
        queues=tuple(queues.values()),
        bindings=tuple(bindings.values()),
    )


def publisher_topology(exchanges: Iterable[Exchange]) -> Topology:
    """Build what a producer declares: only the exchanges it publishes to."""
    unique: dict[str, Exchange] = {}
    for exchange in exchanges:
        unique.setdefault(exchange.name, exchange)
    return Topology(exchanges=tuple(unique.values()))
