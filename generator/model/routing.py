"""Events as RabbitMQ routes them: what one handler queue of the service receives.

The channel address is the event name, the routing key and the name of the service's
handler queue (``<service>.<address>``). So every received channel of one address is
one event: its messages share the queue, and the AMQP ``type`` picks the handler, as
for several messages on one channel. Where the channels of one event disagree on what
the queue is (its exchange, its retry and archive settings), it is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.diagnostics import Diagnostic
from generator.model.values import Archive, Channel, Exchange, Message, Operation, Retry

__all__ = ["Inbound", "check_inbound", "inbound_events"]


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
    def retry(self) -> Retry | None:
        """The retry setting of the first operation that has one."""
        return next((op.retry for op in self.operations if op.retry), None)

    @property
    def archive(self) -> Archive | None:
        """The archive setting of the first operation that has one."""
        return next((op.archive for op in self.operations if op.archive), None)


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


def _exchange(exchange: Exchange) -> str:
    return "the app's event exchange" if exchange.name is None else f"exchange {exchange.name!r}"


def _exchange_problems(event: Inbound) -> Iterator[Diagnostic]:
    first = event.channel
    for channel in event.channels[1:]:
        if channel.exchange.name != first.exchange.name:
            yield Diagnostic(
                "error",
                channel.location,
                f"The channel {channel.id!r} has the address {event.address!r}, as channel "
                f"{first.id!r} ({first.location}) has, so both are the event "
                f"{event.address!r} and share its handler queue; but {channel.id!r} uses "
                f"{_exchange(channel.exchange)} and {first.id!r} uses "
                f"{_exchange(first.exchange)}, and one queue takes its event from one "
                "exchange. Give both channels the same exchange, or different addresses.",
            )


def _policy_problems(event: Inbound) -> Iterator[Diagnostic]:
    for extension, attribute in (("retry", "retry"), ("archive", "archive")):
        setting = [op for op in event.operations if getattr(op, attribute) is not None]
        for operation in setting[1:]:
            if getattr(operation, attribute) != getattr(setting[0], attribute):
                yield Diagnostic(
                    "error",
                    operation.location,
                    f"The operations {setting[0].id!r} ({setting[0].location}) and "
                    f"{operation.id!r} both receive the event {event.address!r}, which one "
                    f"handler queue serves, but with different x-amqp-events-{extension} "
                    "settings. Give them the same settings, or set them on one operation "
                    "only.",
                )


def check_inbound(events: Iterable[Inbound]) -> Iterator[Diagnostic]:
    """Errors where the channels and operations of one event disagree about its queue."""
    for event in events:
        yield from _exchange_problems(event)
        yield from _policy_problems(event)
