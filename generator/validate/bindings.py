"""Rules for Bindings Objects; AMQP bindings are parsed in depth because code uses them.

Fields of the AMQP binding that generated code reads (exchange name and type, delivery
mode, priority, expiration, mandatory, message type) are errors when malformed. Fields
it does not use are warnings when malformed or unknown: documents written for other
tools carry them, and they do not change what we generate.

Each AMQP binding is parsed into a frozen record (``ChannelBinding``,
``OperationBinding``, ``MessageBinding``) of the fields that are valid: validation
reports the problems, and the model reads the records of the bindings it uses (with
their traits merged in), so what a field means is read in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from amqp_events.topology import ExchangeType
from generator.documents import Node
from generator.validate.checker import Checker, ref_or
from generator.words import describe, one_of, suggestion

__all__ = [
    "EXCHANGE_TYPES",
    "AmqpExchange",
    "ChannelBinding",
    "MessageBinding",
    "OperationBinding",
    "PublishOptions",
    "channel_binding",
    "check_channel_bindings",
    "check_message_bindings",
    "check_operation_bindings",
    "check_server_bindings",
    "message_binding",
    "operation_binding",
]

EXCHANGE_TYPES = (*get_args(ExchangeType), "default")
"""The runtime's exchange types, and AsyncAPI's name for the AMQP default exchange."""
_BINDING_VERSIONS = ("0.1.0", "0.2.0", "0.3.0", "latest")

Field = Callable[[object], str | None]
"""Check one value; return what was expected when it is wrong."""

UNUSED_OPERATION_FIELDS = ("cc", "bcc", "replyTo", "userId", "timestamp", "ack")
"""Fields of an AMQP operation binding that generated code does not read."""


@dataclass(frozen=True, slots=True)
class AmqpExchange:
    """The exchange an AMQP channel binding names, as written."""

    place: Node
    name: str | None = None
    type: str = "topic"
    """One of ``EXCHANGE_TYPES``: ``default`` is AsyncAPI's name for the AMQP default."""
    durable: bool = True
    auto_delete: bool = False
    vhost: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelBinding:
    """An AMQP channel binding: whether it binds a queue, and its exchange."""

    place: Node
    is_queue: bool = False
    exchange: AmqpExchange | None = None


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """What an AMQP operation binding sets on each publish, by ``OutgoingEvent``'s names.

    Generated code passes each option that is not None to ``amqp_events.OutgoingEvent``
    under its field's name.
    """

    delivery_mode: Literal[1, 2] = 2
    priority: int | None = None
    expiration_ms: int | None = None
    mandatory: bool | None = None


@dataclass(frozen=True, slots=True)
class OperationBinding:
    """An AMQP operation binding: the publish options, and the fields nothing reads."""

    place: Node
    publish: PublishOptions = PublishOptions()
    unused: tuple[str, ...] = ()
    """Which of ``UNUSED_OPERATION_FIELDS`` the binding gives, in that order."""


@dataclass(frozen=True, slots=True)
class MessageBinding:
    """An AMQP message binding: the message's AMQP type and content encoding."""

    place: Node
    message_type: str | None = None
    content_encoding: str | None = None


def _string(value: object) -> str | None:
    return None if isinstance(value, str) else "a string"


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "a boolean"


def _strings(value: object) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return None if ok else "a list of strings"


def _whole(low: int, high: int | None = None) -> Field:
    def check(value: object) -> str | None:
        ok = (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value >= low
            and (high is None or value <= high)
        )
        top = f" to {high}" if high is not None else " or more"
        return None if ok else f"a whole number from {low}{top}"

    return check


def _choice(*options: object) -> Field:
    def check(value: object) -> str | None:
        return (
            None if value in options and not isinstance(value, bool) else one_of(map(str, options))
        )

    return check


def _binding_version(value: object) -> str | None:
    return None if value in _BINDING_VERSIONS else one_of(_BINDING_VERSIONS)


_EXCHANGE: dict[str, tuple[Field, bool]] = {
    "name": (_string, True),
    "type": (_choice(*EXCHANGE_TYPES), True),
    "durable": (_boolean, True),
    "autoDelete": (_boolean, True),
    "vhost": (_string, False),
}
_QUEUE: dict[str, tuple[Field, bool]] = {
    "name": (_string, False),
    "durable": (_boolean, False),
    "exclusive": (_boolean, False),
    "autoDelete": (_boolean, False),
    "vhost": (_string, False),
}
_OPERATION: dict[str, tuple[Field, bool]] = {
    "expiration": (_whole(0), True),
    "userId": (_string, False),
    "cc": (_strings, False),
    "priority": (_whole(0, 255), True),
    "deliveryMode": (_choice(1, 2), True),
    "mandatory": (_boolean, True),
    "bcc": (_strings, False),
    "replyTo": (_string, False),
    "timestamp": (_boolean, False),
    "ack": (_boolean, False),
    "bindingVersion": (_binding_version, False),
}
_MESSAGE: dict[str, tuple[Field, bool]] = {
    "contentEncoding": (_string, True),
    "messageType": (_string, True),
    "bindingVersion": (_binding_version, False),
}


def _fields(
    checker: Checker, node: Node, what: str, fields: dict[str, tuple[Field, bool]]
) -> dict[str, object]:
    """The valid fields of the object at ``node``; every other one is reported."""
    value = node.value
    if not isinstance(value, dict):
        checker.error(node, f"The {what} must be an object, got {describe(value)}.")
        return {}
    valid: dict[str, object] = {}
    for key, item in value.items():
        spec = fields.get(key)
        if spec is None:
            if not key.startswith("x-"):
                checker.warning(
                    node.child(key),
                    f"The {what} has no field {key!r}{suggestion(key, fields)}; it is ignored.",
                )
            continue
        check, used = spec
        expected = check(item)
        if expected is None:
            valid[key] = item
            continue
        message = f"The {what}'s {key!r} must be {expected}, got {describe(item)}"
        if used:
            checker.error(node.child(key), message + ".")
        else:
            checker.warning(node.child(key), message + "; it is ignored.")
    return valid


def _text(fields: Mapping[str, object], key: str) -> str | None:
    value = fields.get(key)
    return value if isinstance(value, str) else None


def _flag(fields: Mapping[str, object], key: str, default: bool | None) -> bool | None:
    value = fields.get(key)
    return value if isinstance(value, bool) else default


def _number(fields: Mapping[str, object], key: str) -> int | None:
    value = fields.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _object(value: object) -> str | None:
    return None if isinstance(value, dict) else "an object"


def channel_binding(checker: Checker, node: Node) -> ChannelBinding:
    """Parse the AMQP channel binding at ``node``, reporting what is wrong with it."""
    fields = _fields(
        checker,
        node,
        "AMQP channel binding",
        {
            "is": (_choice("routingKey", "queue"), True),
            "exchange": (_object, True),
            "queue": (_object, False),
            "bindingVersion": (_binding_version, False),
        },
    )
    exchange = None
    if "exchange" in fields:
        place = node.child("exchange")
        named = _fields(checker, place, "AMQP exchange", _EXCHANGE)
        name = _text(named, "name")
        if name is not None and (len(name.encode()) > 255 or name.startswith("amq.")):
            checker.error(
                place.child("name"),
                f"The exchange name {name[:60]!r} cannot be declared: RabbitMQ refuses names "
                "longer than 255 bytes and reserves the 'amq.' prefix.",
            )
        exchange = AmqpExchange(
            place=place,
            name=name,
            type=_text(named, "type") or "topic",
            durable=_flag(named, "durable", True) is True,
            auto_delete=_flag(named, "autoDelete", False) is True,
            vhost=_text(named, "vhost"),
        )
    if "queue" in fields:
        _fields(checker, node.child("queue"), "AMQP queue", _QUEUE)
    return ChannelBinding(place=node, is_queue=fields.get("is") == "queue", exchange=exchange)


def operation_binding(checker: Checker, node: Node) -> OperationBinding:
    """Parse the AMQP operation binding at ``node``, reporting what is wrong with it."""
    fields = _fields(checker, node, "AMQP operation binding", _OPERATION)
    given = node.value if isinstance(node.value, dict) else {}
    publish = PublishOptions(
        delivery_mode=1 if fields.get("deliveryMode") == 1 else 2,
        priority=_number(fields, "priority"),
        expiration_ms=_number(fields, "expiration"),
        mandatory=_flag(fields, "mandatory", None),
    )
    unused = tuple(key for key in UNUSED_OPERATION_FIELDS if key in given)
    return OperationBinding(place=node, publish=publish, unused=unused)


def message_binding(checker: Checker, node: Node) -> MessageBinding:
    """Parse the AMQP message binding at ``node``, reporting what is wrong with it."""
    fields = _fields(checker, node, "AMQP message binding", _MESSAGE)
    return MessageBinding(
        place=node,
        message_type=_text(fields, "messageType"),
        content_encoding=_text(fields, "contentEncoding"),
    )


def _amqp_channel(checker: Checker, node: Node) -> None:
    channel_binding(checker, node)


def _amqp_operation(checker: Checker, node: Node) -> None:
    operation_binding(checker, node)


def _amqp_message(checker: Checker, node: Node) -> None:
    message_binding(checker, node)


def _bindings(amqp: Callable[[Checker, Node], None], what: str) -> Callable[[Checker, Node], None]:
    def check(checker: Checker, node: Node) -> None:
        value = node.value
        if not isinstance(value, dict):
            checker.error(node, f"The {what} must be an object, got {describe(value)}.")
            return
        if "amqp" in value:
            amqp(checker, node.child("amqp"))

    check.__qualname__ = f"bindings({what})"
    return check


def _server_amqp(checker: Checker, node: Node) -> None:
    if not isinstance(node.value, dict):
        checker.error(
            node, f"The AMQP server binding must be an object, got {describe(node.value)}."
        )


def check_channel_bindings(checker: Checker, node: Node) -> None:
    """Channel Bindings Object (or, in 3.x, a reference to one)."""
    rule = _bindings(_amqp_channel, "Channel Bindings Object")
    _maybe_ref(checker, node, rule, "a Channel Bindings Object")


def check_operation_bindings(checker: Checker, node: Node) -> None:
    """Operation Bindings Object (or, in 3.x, a reference to one)."""
    rule = _bindings(_amqp_operation, "Operation Bindings Object")
    _maybe_ref(checker, node, rule, "an Operation Bindings Object")


def check_message_bindings(checker: Checker, node: Node) -> None:
    """Message Bindings Object (or, in 3.x, a reference to one)."""
    rule = _bindings(_amqp_message, "Message Bindings Object")
    _maybe_ref(checker, node, rule, "a Message Bindings Object")


def check_server_bindings(checker: Checker, node: Node) -> None:
    """Server Bindings Object (or, in 3.x, a reference to one)."""
    rule = _bindings(_server_amqp, "Server Bindings Object")
    _maybe_ref(checker, node, rule, "a Server Bindings Object")


def _maybe_ref(
    checker: Checker, node: Node, rule: Callable[[Checker, Node], None], what: str
) -> None:
    # Bindings may be references in 3.x, and in components of 2.x documents.
    ref_or(rule, what)(checker, node)
