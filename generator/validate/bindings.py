"""Rules for Bindings Objects; AMQP bindings are checked in depth because code uses them.

Fields of the AMQP binding that generated code reads (exchange name and type, delivery
mode, priority, expiration, mandatory, message type) are errors when malformed. Fields
it does not use are warnings when malformed or unknown: documents written for other
tools carry them, and they do not change what we generate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

from amqp_events.topology import ExchangeType
from generator.documents import Node
from generator.validate.checker import Checker, ref_or
from generator.words import describe, one_of, suggestion

__all__ = [
    "EXCHANGE_TYPES",
    "check_channel_bindings",
    "check_message_bindings",
    "check_operation_bindings",
    "check_server_bindings",
]

EXCHANGE_TYPES = (*get_args(ExchangeType), "default")
"""The runtime's exchange types, and AsyncAPI's name for the AMQP default exchange."""
_BINDING_VERSIONS = ("0.1.0", "0.2.0", "0.3.0", "latest")

Field = Callable[[object], str | None]
"""Check one value; return what was expected when it is wrong."""


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
) -> dict[str, object] | None:
    value = node.value
    if not isinstance(value, dict):
        checker.error(node, f"The {what} must be an object, got {describe(value)}.")
        return None
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
        if expected is not None:
            message = f"The {what}'s {key!r} must be {expected}, got {describe(item)}"
            if used:
                checker.error(node.child(key), message + ".")
            else:
                checker.warning(node.child(key), message + "; it is ignored.")
    return value


def _amqp_channel(checker: Checker, node: Node) -> None:
    value = _fields(
        checker,
        node,
        "AMQP channel binding",
        {
            "is": (_choice("routingKey", "queue"), True),
            "exchange": (lambda v: None if isinstance(v, dict) else "an object", True),
            "queue": (lambda v: None if isinstance(v, dict) else "an object", False),
            "bindingVersion": (_binding_version, False),
        },
    )
    if value is None:
        return
    exchange = value.get("exchange")
    if isinstance(exchange, dict):
        _fields(checker, node.child("exchange"), "AMQP exchange", _EXCHANGE)
        name = exchange.get("name")
        if isinstance(name, str) and (len(name.encode()) > 255 or name.startswith("amq.")):
            checker.error(
                node.child("exchange").child("name"),
                f"The exchange name {name[:60]!r} cannot be declared: RabbitMQ refuses names "
                "longer than 255 bytes and reserves the 'amq.' prefix.",
            )
    if isinstance(value.get("queue"), dict):
        _fields(checker, node.child("queue"), "AMQP queue", _QUEUE)


def _amqp_operation(checker: Checker, node: Node) -> None:
    _fields(checker, node, "AMQP operation binding", _OPERATION)


def _amqp_message(checker: Checker, node: Node) -> None:
    _fields(checker, node, "AMQP message binding", _MESSAGE)


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
