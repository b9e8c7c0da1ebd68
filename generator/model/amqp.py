"""Read AMQP bindings into model values: a channel's exchange, an operation's publish options.

What the runtime cannot honour (the default exchange, a vhost, cc/bcc) is said in a
warning at the binding's place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from amqp_events.events import ExchangeSpec
from amqp_events.topology import ExchangeType
from generator.diagnostics import Location
from generator.documents import Node
from generator.model.values import Publish

if TYPE_CHECKING:
    from generator.model.reader import Reader

__all__ = ["read_exchange", "read_publish"]

_EXCHANGE_TYPES: dict[object, ExchangeType] = {kind: kind for kind in get_args(ExchangeType)}


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_exchange(reader: Reader, channel: Node) -> tuple[ExchangeSpec, Location]:
    """The exchange of a channel's AMQP binding and where it is named.

    Without a named exchange it is the app's default, placed at the channel.
    """
    default = (ExchangeSpec(), reader.where(channel))
    amqp = reader.amqp(channel.child("bindings"))
    if amqp is None or not isinstance(amqp.value, dict):
        return default
    exchange = amqp.value.get("exchange")
    if amqp.value.get("is") == "queue":
        reader.warn(
            amqp.child("is"),
            "The channel is bound as a queue ('is: queue'); the service consumes it "
            "through its own queue '<service>.<address>', bound to the exchange with the "
            "address as routing key, and publishes to that exchange.",
        )
    if not isinstance(exchange, dict):
        return default
    named = _named_exchange(reader, amqp.child("exchange"), exchange)
    return default if named is None else (named, reader.where(amqp.child("exchange")))


def _named_exchange(
    reader: Reader, place: Node, exchange: dict[str, object]
) -> ExchangeSpec | None:
    name = exchange.get("name") if isinstance(exchange.get("name"), str) else None
    kind = exchange.get("type", "topic")
    if kind == "default" or not name:
        if kind not in ("topic", "default"):
            reader.warn(
                place,
                f"The exchange has type {kind!r} but no name; events use the app's default "
                "topic exchange instead.",
            )
        elif kind == "default":
            reader.warn(
                place.child("type"),
                "The AMQP default exchange cannot be bound to; events use the app's "
                "default topic exchange instead.",
            )
        return None
    vhost = exchange.get("vhost")
    if isinstance(vhost, str) and vhost not in ("", "/"):
        reader.warn(
            place.child("vhost"),
            f"The vhost {vhost!r} is not chosen by generated code; it is part of the broker "
            "URL given to create_app().",
        )
    durable = exchange.get("durable", True)
    auto_delete = exchange.get("autoDelete", False)
    return ExchangeSpec(
        name=str(name),
        type=_EXCHANGE_TYPES.get(kind, "topic"),
        durable=durable is True,
        auto_delete=auto_delete is True,
    )


def read_publish(reader: Reader, bindings: Node) -> Publish:
    """AMQP publish options (delivery mode, priority, expiration, mandatory) of an operation."""
    amqp = reader.amqp(bindings)
    if amqp is None or not isinstance(amqp.value, dict):
        return Publish()
    value = amqp.value
    for unused in ("cc", "bcc", "replyTo", "userId", "timestamp"):
        if unused in value:
            reader.warn(
                amqp.child(unused),
                f"The AMQP binding's {unused!r} is not used by generated code; events are "
                "published with the channel address as routing key.",
            )
    if "ack" in value:
        reader.warn(
            amqp.child("ack"),
            "The AMQP binding's 'ack' is not used: a handler's message is always "
            "acknowledged after the handler returned, or after its retry or archive copy "
            "was confirmed.",
        )
    mandatory = value.get("mandatory")
    return Publish(
        delivery_mode=1 if value.get("deliveryMode") == 1 else 2,
        priority=_whole(value.get("priority")),
        expiration_ms=_whole(value.get("expiration")),
        mandatory=mandatory if isinstance(mandatory, bool) else None,
    )
