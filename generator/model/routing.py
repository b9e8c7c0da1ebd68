"""Events as RabbitMQ routes them: what one handler queue of the service receives.

The channel address is the event name, the routing key and the name of the service's
handler queue (``<service>.<address>``). So every received channel of one address is
one event: its messages share the queue, and the AMQP ``type`` picks the handler, as
for several messages on one channel. What the broker would refuse (one exchange
declared two ways), or route where no handler expects it (one type for two messages,
one queue asked to take two exchanges or two retry settings, two events on an
exchange that ignores routing keys), is said where the document writes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from amqp_events.events import ExchangeSpec
from generator.diagnostics import Diagnostic
from generator.model.values import Archive, Channel, Message, Operation, Retry

__all__ = ["Inbound", "check_routing", "inbound_events"]

_MAX_BINDINGS = 256
"""Bindings one handler queue may take on a direct exchange, one per parameter value."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """One event the service receives: one handler queue, one ``IncomingEvent``."""

    operations: tuple[Operation, ...]
    """The operations that receive it, in document order."""
    messages: tuple[tuple[Operation, Message], ...]
    """Each message once, with the first operation that receives it."""

    @property
    def address(self) -> str:
        """The event name: the address its channels share."""
        return self.operations[0].channel.address

    @property
    def channel(self) -> Channel:
        """The first channel of the event, which names its constants."""
        return self.operations[0].channel

    @property
    def channels(self) -> tuple[Channel, ...]:
        """Every channel of the event, once each."""
        found = {op.channel.key: op.channel for op in self.operations}
        return tuple(found.values())

    @property
    def binding_keys(self) -> tuple[str, ...]:
        """The keys the event's handler queue is bound with, from all its channels."""
        return tuple(dict.fromkeys(key for c in self.channels for key in c.binding_keys))

    @property
    def retry(self) -> Retry | None:
        """The retry setting of the first operation that has one."""
        return next((op.retry for op in self.operations if op.retry is not None), None)

    @property
    def archive(self) -> Archive | None:
        """The archive setting of the first operation that has one."""
        return next((op.archive for op in self.operations if op.archive is not None), None)

    @property
    def max_priority(self) -> int | None:
        """The highest AMQP ``priority`` the operations' bindings give: the queue orders by it."""
        priorities = [op.publish.priority for op in self.operations if op.publish.priority]
        return max(priorities) if priorities else None


def inbound_events(operations: Iterable[Operation], *, both_sides: bool) -> tuple[Inbound, ...]:
    """The events the service receives, by address, in document order."""
    groups: dict[str, list[Operation]] = {}
    for operation in operations:
        if operation.direction == "receive" or both_sides:
            groups.setdefault(operation.channel.address, []).append(operation)
    return tuple(_inbound(group) for group in groups.values())


def _inbound(operations: list[Operation]) -> Inbound:
    messages: dict[str, tuple[Operation, Message]] = {}
    for operation in operations:
        for message in operation.messages:
            messages.setdefault(message.key, (operation, message))
    return Inbound(tuple(operations), tuple(messages.values()))


def _exchange(exchange: ExchangeSpec) -> str:
    return "the app's event exchange" if exchange.name is None else f"exchange {exchange.name!r}"


def _exchange_problems(event: Inbound) -> Iterator[Diagnostic]:
    first = event.channel
    for channel in event.channels[1:]:
        if channel.exchange.name != first.exchange.name:
            yield Diagnostic(
                "error",
                channel.location,
                f"The channel {channel.id!r} has the address {event.address!r}, as the "
                f"channel {first.id!r} at {first.location} has, so both are the event "
                f"{event.address!r} and share its handler queue; but {channel.id!r} uses "
                f"{_exchange(channel.exchange)} and {first.id!r} uses "
                f"{_exchange(first.exchange)}, and one queue takes its event from one "
                "exchange. Give both channels the same exchange, or different addresses.",
            )


def _policy_problems(event: Inbound) -> Iterator[Diagnostic]:
    for extension in ("retry", "archive"):
        setting = [op for op in event.operations if getattr(op, extension) is not None]
        for operation in setting[1:]:
            if getattr(operation, extension) != getattr(setting[0], extension):
                yield Diagnostic(
                    "error",
                    operation.location,
                    f"The operation {operation.id!r} receives the event {event.address!r}, "
                    f"as the operation {setting[0].id!r} at {setting[0].location} does, and "
                    "one handler queue serves both, but they give different "
                    f"x-amqp-events-{extension} settings. Give them the same settings, or "
                    "set them on one operation only.",
                )


def _sent(operations: Iterable[Operation], both_sides: bool) -> dict[str, list[Message]]:
    found: dict[str, list[Message]] = {}
    for operation in operations:
        if operation.direction == "send" or both_sides:
            found.setdefault(operation.channel.address, []).extend(operation.messages)
    return found


def _type_problems(address: str, messages: Iterable[Message]) -> Iterator[Diagnostic]:
    seen: dict[str, Message] = {}
    for message in messages:
        first = seen.setdefault(message.type_name, message)
        if first.key != message.key:
            yield Diagnostic(
                "error",
                message.location,
                f"The message {message.name!r} travels as the event {address!r} with the "
                f"AMQP type {message.type_name!r}, as the message {first.name!r} at "
                f"{first.location} does, yet the type is what tells the messages of one "
                "event apart. Give one of them its own bindings.amqp.messageType.",
            )


def _flags(exchange: ExchangeSpec) -> str:
    durable = "durable" if exchange.durable else "not durable"
    deleted = "auto-deleted" if exchange.auto_delete else "not auto-deleted"
    return f"type {exchange.type!r}, {durable}, {deleted}"


def _declaration_problems(operations: Iterable[Operation]) -> Iterator[Diagnostic]:
    declared: dict[str, Channel] = {}
    for operation in operations:
        channel = operation.channel
        exchange = channel.exchange
        if exchange.name is None:
            continue
        first = declared.setdefault(exchange.name, channel)
        if first.exchange != exchange:
            yield Diagnostic(
                "error",
                channel.exchange_location,
                f"The exchange {exchange.name!r} is declared here as {_flags(exchange)}, but "
                f"at {first.exchange_location} as {_flags(first.exchange)}; RabbitMQ refuses "
                "to declare one exchange with different settings (PRECONDITION_FAILED). Give "
                f"every binding of {exchange.name!r} the same type, durable and autoDelete.",
            )


def _direct_problems(event: Inbound) -> Iterator[Diagnostic]:
    """A direct exchange matches keys literally, so each parameter value needs a binding."""
    for channel in event.channels:
        exchange = channel.exchange
        if exchange.type != "direct" or not channel.parameters:
            continue
        where = (
            f"The channel {channel.id!r} is received through the direct exchange "
            f"{exchange.name!r}, which matches routing keys literally, and its address "
            f"{channel.address!r}"
        )
        open_ = [p.name for p in channel.parameters if not p.enum]
        count = math.prod(len(p.enum) for p in channel.parameters)
        if open_:
            yield Diagnostic(
                "error",
                channel.exchange_location,
                f"{where} has the parameter {open_[0]!r} without an enum, so no binding key "
                "stands for its values and the handler would receive nothing. Give "
                f"{open_[0]!r} an enum (the queue is then bound once per value), or use a "
                "topic exchange.",
            )
        elif count > _MAX_BINDINGS:
            yield Diagnostic(
                "error",
                channel.exchange_location,
                f"{where} takes {count} binding keys, one per combination of its parameters' "
                f"enum values; at most {_MAX_BINDINGS} are bound. Use a topic exchange, "
                "which binds one pattern for all values.",
            )


def _keyless_problems(events: Iterable[Inbound]) -> Iterator[Diagnostic]:
    """Fanout and headers exchanges give every bound queue every message."""
    first_on: dict[str, Inbound] = {}
    for event in events:
        exchange = event.channel.exchange
        if exchange.name is None or exchange.type not in ("fanout", "headers"):
            continue
        yield Diagnostic(
            "warning",
            event.channel.exchange_location,
            f"The exchange {exchange.name!r} has the type {exchange.type!r}, which ignores "
            f"routing keys: the handler queue of the event {event.address!r} gets every "
            f"message published to {exchange.name!r}, and parks those of other events as "
            "unknown-event. Use a topic or direct exchange unless only this event is "
            f"published to {exchange.name!r}.",
        )
        first = first_on.setdefault(exchange.name, event)
        if first is not event:
            yield Diagnostic(
                "error",
                event.channel.exchange_location,
                f"The event {event.address!r} is received through the {exchange.type} "
                f"exchange {exchange.name!r}, and so is the event {first.address!r}, "
                f"whose exchange is declared at {first.channel.exchange_location}. That "
                "exchange ignores routing keys: each handler queue would get the other "
                "event's messages too and park them as unknown-event. Give each event its "
                "own exchange, or use a topic or direct exchange.",
            )


def _publish_problems(operations: Iterable[Operation], both_sides: bool) -> Iterator[Diagnostic]:
    """Two sending operations of one message on one channel with different publish options."""
    first: dict[tuple[str, str], Operation] = {}
    for operation in operations:
        if operation.direction != "send" and not both_sides:
            continue
        for message in operation.messages:
            earlier = first.setdefault((operation.channel.key, message.key), operation)
            if earlier is not operation and earlier.publish != operation.publish:
                yield Diagnostic(
                    "warning",
                    operation.location,
                    f"The operation {operation.id!r} sends the message {message.name!r} on "
                    f"{operation.channel.address!r} as the operation {earlier.id!r} at "
                    f"{earlier.location} does, with other AMQP publish options; one fire "
                    f"function is generated, with the options of {earlier.id!r}.",
                )


def check_routing(operations: Sequence[Operation], *, both_sides: bool) -> Iterator[Diagnostic]:
    """What the broker would refuse, or deliver where no handler expects it."""
    yield from _declaration_problems(operations)
    yield from _publish_problems(operations, both_sides)
    for address, messages in _sent(operations, both_sides).items():
        yield from _type_problems(address, messages)
    events = inbound_events(operations, both_sides=both_sides)
    for event in events:
        yield from _type_problems(event.address, (m for _, m in event.messages))
        yield from _exchange_problems(event)
        yield from _policy_problems(event)
        yield from _direct_problems(event)
    yield from _keyless_problems(events)
