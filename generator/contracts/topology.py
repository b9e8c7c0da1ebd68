"""Two versions of a service compared as RabbitMQ sees them: what it refuses, what stays.

Each side's topology is built by the runtime's own functions
(``amqp_events.topology.service_topology`` and ``publisher_topology``) from the model,
with the app's default settings, so the queues, arguments and bindings compared are
exactly those the workers declare. RabbitMQ never changes an entity in place: declaring
an exchange or queue again with other settings fails with ``PRECONDITION_FAILED``, and
what is no longer declared stays on the broker, with its bindings and its messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from amqp_events.errors import ConfigurationError
from amqp_events.policy import DEFAULT_ARCHIVE, DEFAULT_RETRY, RetryPolicy
from amqp_events.topology import (
    Exchange,
    HandlerRoute,
    Queue,
    ServiceNames,
    Topology,
    publisher_topology,
    service_topology,
)
from generator.contracts.report import Finding
from generator.contracts.sides import Side
from generator.diagnostics import Location
from generator.model import inbound_events

__all__ = ["compare_topology", "exchange_settings", "side_topology"]


@dataclass
class _Broker:
    """A side's topology, and where in its document each entity comes from."""

    side: Side
    topology: Topology = field(init=False)
    places: dict[str, Location] = field(default_factory=dict)
    retries: dict[str, RetryPolicy] = field(default_factory=dict)
    handler_queues: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        service = self.side.service
        names = ServiceNames(service.name)
        routes = []
        exchanges = []
        for operation in service.operations:
            exchange = operation.channel.exchange
            exchanges.append(exchange.declared())
            self.places.setdefault(
                f"exchange {exchanges[-1].name}", operation.channel.exchange_location
            )
        for event in inbound_events(service.operations, both_sides=self.side.options.both_sides):
            # As the generated package registers it on an app with the default settings.
            route = HandlerRoute.for_event(
                names,
                event.address,
                event.channel.exchange.declared(),
                event.binding_keys,
                retry=DEFAULT_RETRY if event.retry is None else event.retry.policy(),
                archive=DEFAULT_ARCHIVE if event.archive is None else event.archive.policy(),
                default_archive=DEFAULT_ARCHIVE,
                max_priority=event.max_priority,
            )
            routes.append(route)
            self.retries[event.address] = route.retry
            self.handler_queues.add(route.queue)
            where = event.operations[0].location
            for queue in (route.queue, route.archive_queue):
                self.places.setdefault(f"queue {queue}", where)
            for ms in route.retry.delays_ms():
                self.places.setdefault(f"queue {names.retry_bucket(ms)}", where)
        consuming = service_topology(names, routes)
        producing = publisher_topology(exchanges)
        known = {e.name for e in consuming.exchanges}
        self.topology = Topology(
            exchanges=consuming.exchanges
            + tuple(e for e in producing.exchanges if e.name not in known),
            queues=consuming.queues,
            bindings=consuming.bindings,
        )

    def where(self, kind: str, name: str) -> Location:
        found = self.places.get(f"{kind} {name}")
        return found or self.side.documents.locate(self.side.service.source, "")


def exchange_settings(exchange: Exchange) -> str:
    """An exchange's type and flags, as a sentence says them."""
    durable = "durable" if exchange.durable else "not durable"
    deleted = "auto-deleted" if exchange.auto_delete else "not auto-deleted"
    return f"{exchange.type}, {durable}, {deleted}"


def _arguments(queue: Queue, other: Queue) -> str:
    mine, theirs = queue.argument_map, other.argument_map
    changed = sorted(k for k in {*mine, *theirs} if mine.get(k) != theirs.get(k))
    return ", ".join(
        f"{k} {mine[k]!r} (was {theirs[k]!r})"
        if k in mine and k in theirs
        else f"{k} {mine[k]!r} (was unset)"
        if k in mine
        else f"no {k} (was {theirs[k]!r})"
        for k in changed
    )


def _exchanges(old: _Broker, new: _Broker) -> Iterator[Finding]:
    before = {e.name: e for e in old.topology.exchanges}
    for exchange in new.topology.exchanges:
        previous = before.get(exchange.name)
        if previous is None or previous == exchange:
            continue
        yield Finding(
            "breaking",
            new.where("exchange", exchange.name),
            f"The exchange {exchange.name!r} is declared as {exchange_settings(exchange)}, "
            f"where it was {exchange_settings(previous)}: RabbitMQ refuses to declare an "
            "existing exchange with other settings (PRECONDITION_FAILED), so every producer "
            "and worker of it fails at start until the exchange is deleted and declared again.",
            ("broker",),
        )


def _queues(old: _Broker, new: _Broker) -> Iterator[Finding]:
    before = {q.name: q for q in old.topology.queues}
    after = {q.name: q for q in new.topology.queues}
    for name, queue in after.items():
        previous = before.get(name)
        if previous is not None and previous != queue:
            yield Finding(
                "breaking",
                new.where("queue", name),
                f"The queue {name!r} is declared with {_arguments(queue, previous)}: RabbitMQ "
                "refuses to declare an existing queue with other arguments "
                "(PRECONDITION_FAILED), so the workers fail at start. Drain and delete the "
                "queue before the deploy, or keep its old settings.",
                ("broker",),
            )
        elif previous is None and name not in new.handler_queues:
            yield Finding(
                "info",
                new.where("queue", name),
                f"The queue {name!r} is created when the workers start.",
                ("broker",),
            )
    for name, queue in before.items():
        if name in after:
            continue
        place = old.where("queue", name)
        if name in old.handler_queues:
            yield Finding(
                "breaking",
                place,
                f"The handler queue {name!r} is no longer declared, but it stays on the broker "
                "with its bindings and goes on filling with messages no worker takes: drain "
                "and delete it after the deploy.",
                ("broker",),
            )
        elif dict(queue.arguments).get("x-dead-letter-exchange"):
            yield Finding(
                "info",
                place,
                f"The retry bucket {name!r} is no longer used; messages waiting in it still "
                "return to their queues when their delay is up. Delete it and its exchange "
                "once it is empty.",
                ("broker",),
            )
        else:
            yield Finding(
                "info",
                place,
                f"The archive {name!r} is no longer used; the messages parked in it stay "
                "there until their TTL. Inspect or replay them with 'amqp-events archive' "
                "before deleting it.",
                ("broker",),
            )


def _bindings(old: _Broker, new: _Broker) -> Iterator[Finding]:
    after = set(new.topology.bindings)
    queues = {q.name for q in new.topology.queues}
    for binding in old.topology.bindings:
        if binding in after or binding.queue not in queues:
            continue
        yield Finding(
            "info",
            new.where("queue", binding.queue),
            f"The binding of the queue {binding.queue!r} to {binding.exchange!r} with "
            f"{binding.routing_key!r} is no longer declared, but it stays on the broker until "
            "it is removed, and the queue keeps receiving what it routes.",
            ("broker",),
        )


def _retries(old: _Broker, new: _Broker) -> Iterator[Finding]:
    for event, policy in new.retries.items():
        previous = old.retries.get(event)
        if previous is not None and previous != policy:
            yield Finding(
                "info",
                new.where("queue", ServiceNames(new.side.name).handler_queue(event)),
                f"The retry delays of {event!r} change from {_seconds(previous)} to "
                f"{_seconds(policy)}.",
                (),
                (event,),
            )


def _seconds(policy: RetryPolicy) -> str:
    if not policy.delays:
        return "none"
    return ", ".join(f"{d:g}" for d in policy.delays) + " s"


def _service(old: _Broker, new: _Broker) -> Iterator[Finding]:
    before, after = old.side.service, new.side.service
    queues = [q.name for q in old.topology.queues]
    shown = ", ".join(repr(q) for q in queues[:3]) + (
        f" and {len(queues) - 3} more" if len(queues) > 3 else ""
    )
    yield Finding(
        "breaking",
        after.name_location,
        f"The service name changes from {before.name!r} to {after.name!r}, which renames "
        f"every queue of the service ({shown or 'none yet'}): messages left in the old "
        "queues are never consumed, and the old queues stay bound. Drain them before the "
        "deploy, then delete them.",
        ("broker",),
    )


def side_topology(side: Side) -> Topology:
    """Everything the service's workers and producers declare, with the app's default settings.

    Raises ``ConfigurationError`` when the runtime refuses the topology.
    """
    return _Broker(side).topology


def compare_topology(old: Side, new: Side) -> Iterator[Finding]:
    """What RabbitMQ refuses, creates or leaves behind when ``new`` replaces ``old``."""
    try:
        before, after = _Broker(old), _Broker(new)
    except ConfigurationError as error:
        # Generating never builds the topology; the workers would refuse it at start.
        yield Finding(
            "breaking",
            new.documents.locate(new.service.source, ""),
            f"The runtime refuses the topology of one of the documents: {error}",
            ("broker",),
        )
        return
    yield from _exchanges(before, after)
    if old.service.name != new.service.name:
        yield from _service(before, after)
        return
    yield from _queues(before, after)
    yield from _bindings(before, after)
    yield from _retries(before, after)
