"""Read AMQP bindings into model values: a channel's exchange, an operation's publish options.

The bindings were parsed by the rules that validated them (``validate.bindings``); here
their records become what the runtime does. What it cannot honour (the default exchange,
a vhost, cc/bcc) is said in a warning at the binding's place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from amqp_events.events import ExchangeSpec
from amqp_events.topology import ExchangeType
from generator.diagnostics import Location
from generator.documents import Node
from generator.validate.bindings import (
    AmqpExchange,
    MessageBinding,
    PublishOptions,
    channel_binding,
    message_binding,
    operation_binding,
)

if TYPE_CHECKING:
    from generator.model.reader import Reader

__all__ = ["read_exchange", "read_message_binding", "read_publish"]

_EXCHANGE_TYPES: dict[str, ExchangeType] = {kind: kind for kind in get_args(ExchangeType)}


def read_exchange(reader: Reader, channel: Node) -> tuple[ExchangeSpec, Location]:
    """The exchange of a channel's AMQP binding and where it is named.

    Without a named exchange it is the app's default, placed at the channel.
    """
    default = (ExchangeSpec(), reader.where(channel))
    amqp = reader.amqp(channel.child("bindings"))
    if amqp is None:
        return default
    binding = channel_binding(reader.parsing, amqp)
    if binding.is_queue:
        reader.warn(
            amqp.child("is"),
            "The channel is bound as a queue ('is: queue'); the service consumes it "
            "through its own queue '<service>.<address>', bound to the exchange with the "
            "address as routing key, and publishes to that exchange.",
        )
    if binding.exchange is None:
        return default
    named = _named_exchange(reader, binding.exchange)
    return default if named is None else (named, reader.where(binding.exchange.place))


def _named_exchange(reader: Reader, exchange: AmqpExchange) -> ExchangeSpec | None:
    place = exchange.place
    if exchange.type == "default" or not exchange.name:
        if exchange.type not in ("topic", "default"):
            reader.warn(
                place,
                f"The exchange has type {exchange.type!r} but no name; events use the app's "
                "default topic exchange instead.",
            )
        elif exchange.type == "default":
            reader.warn(
                place.child("type"),
                "The AMQP default exchange cannot be bound to; events use the app's "
                "default topic exchange instead.",
            )
        return None
    if exchange.vhost not in (None, "", "/"):
        reader.warn(
            place.child("vhost"),
            f"The vhost {exchange.vhost!r} is not chosen by generated code; it is part of the "
            "broker URL given to create_app().",
        )
    return ExchangeSpec(
        name=exchange.name,
        type=_EXCHANGE_TYPES.get(exchange.type, "topic"),
        durable=exchange.durable,
        auto_delete=exchange.auto_delete,
    )


def read_publish(reader: Reader, bindings: Node) -> PublishOptions:
    """AMQP publish options (delivery mode, priority, expiration, mandatory) of an operation."""
    amqp = reader.amqp(bindings)
    if amqp is None:
        return PublishOptions()
    binding = operation_binding(reader.parsing, amqp)
    for unused in binding.unused:
        if unused == "ack":
            reader.warn(
                amqp.child("ack"),
                "The AMQP binding's 'ack' is not used: a handler's message is always "
                "acknowledged after the handler returned, or after its retry or archive copy "
                "was confirmed.",
            )
        else:
            reader.warn(
                amqp.child(unused),
                f"The AMQP binding's {unused!r} is not used by generated code; events are "
                "published with the channel address as routing key.",
            )
    return binding.publish


def read_message_binding(reader: Reader, bindings: Node | None) -> MessageBinding | None:
    """The AMQP binding of a message's bindings, if it has one."""
    amqp = reader.amqp(bindings) if bindings is not None else None
    return None if amqp is None else message_binding(reader.parsing, amqp)
