"""Apply a ``Topology`` to a live broker, idempotently, and compare it with what exists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import amqp
from amqp.exceptions import NotFound, PreconditionFailed

from amqp_events.errors import TopologyError
from amqp_events.topology import Exchange, Queue, Topology

__all__ = ["PlanItem", "declare", "plan", "queue_depth"]


@contextmanager
def _channel(connection: amqp.Connection) -> Iterator[amqp.Channel]:
    channel = connection.channel()
    try:
        yield channel
    finally:
        if channel.is_open:
            channel.close()


def _declare_exchange(channel: amqp.Channel, exchange: Exchange, *, passive: bool = False) -> None:
    channel.exchange_declare(
        exchange.name,
        exchange.type,
        passive=passive,
        durable=exchange.durable,
        auto_delete=exchange.auto_delete,
    )


def _declare_queue(channel: amqp.Channel, queue: Queue, *, passive: bool = False) -> None:
    channel.queue_declare(
        queue.name,
        passive=passive,
        durable=queue.durable,
        auto_delete=False,
        arguments=queue.argument_map,
    )


def _conflict(kind: str, name: str, wanted: str, error: PreconditionFailed) -> TopologyError:
    return TopologyError(
        f"The {kind} {name!r} already exists on the broker with other settings than the "
        f"{wanted} we declare ({error.reply_text}). RabbitMQ cannot change them in place: "
        f"delete the {kind} (after draining it) or align the settings, then start again; "
        "'amqp-events topology plan' lists every difference."
    )


def declare(topology: Topology, connection: amqp.Connection) -> None:
    """Declare every exchange, queue and binding; raise ``TopologyError`` on a conflict.

    Declaring is idempotent: entities that exist with the same settings are left as
    they are. The first conflict (RabbitMQ's PRECONDITION_FAILED, which closes the
    channel) stops the declaration with an error that names the entity.
    """
    with _channel(connection) as channel:
        for exchange in topology.exchanges:
            try:
                _declare_exchange(channel, exchange)
            except PreconditionFailed as error:
                raise _conflict(
                    "exchange", exchange.name, f"type {exchange.type}", error
                ) from error
        for queue in topology.queues:
            try:
                _declare_queue(channel, queue)
            except PreconditionFailed as error:
                raise _conflict(
                    "queue", queue.name, f"arguments {queue.argument_map}", error
                ) from error
        for binding in topology.bindings:
            channel.queue_bind(binding.queue, binding.exchange, binding.routing_key)


def queue_depth(connection: amqp.Connection, queue: str) -> int | None:
    """Messages ready in ``queue``, or None when it does not exist."""
    channel = connection.channel()
    try:
        declared = channel.queue_declare(queue, passive=True)
    except NotFound:
        return None  # the broker closed that channel, not the connection
    channel.close()
    return declared[1] if declared else 0


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One entity of a topology and what ``declare`` would do with it."""

    kind: Literal["exchange", "queue", "binding"]
    name: str
    action: Literal["exists", "create", "conflict", "bind", "override", "policy"]
    """``override``: a broker policy changes a limit we declare; ``policy``: one applies
    without changing any (both from ``amqp_events.management``)."""
    detail: str = ""


def plan(topology: Topology, connection: amqp.Connection) -> list[PlanItem]:
    """Compare a topology with the broker without creating anything.

    Existing entities are re-declared with our settings on a throwaway channel: RabbitMQ
    answers PRECONDITION_FAILED exactly when they differ. Bindings cannot be listed over
    AMQP, so they are reported as ``bind`` (declare adds them idempotently).
    """
    items: list[PlanItem] = []

    def check(kind: Literal["exchange", "queue"], entity: Exchange | Queue) -> None:
        with _channel(connection) as channel:
            try:
                if isinstance(entity, Exchange):
                    _declare_exchange(channel, entity, passive=True)
                else:
                    _declare_queue(channel, entity, passive=True)
            except NotFound:
                items.append(PlanItem(kind, entity.name, "create"))
                return
        with _channel(connection) as channel:
            try:
                if isinstance(entity, Exchange):
                    _declare_exchange(channel, entity)
                else:
                    _declare_queue(channel, entity)
            except PreconditionFailed as error:
                items.append(PlanItem(kind, entity.name, "conflict", str(error.reply_text)))
                return
        items.append(PlanItem(kind, entity.name, "exists"))

    for exchange in topology.exchanges:
        check("exchange", exchange)
    for queue in topology.queues:
        check("queue", queue)
    for binding in topology.bindings:
        items.append(
            PlanItem(
                "binding", f"{binding.exchange} -> {binding.queue}", "bind", binding.routing_key
            )
        )
    return items
