"""Decide the generated package's Python names: the last step of the intermediate model.

The model says what is sent and received; the plan says what each thing is called in
code (``fire_order_created``, ``Handlers.on_order_created``, ``SEND_ORDER_CREATED``),
with every collision resolved the same way on every run. Templates see only the plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.emit.literals import summary
from generator.model import (
    Archive,
    Channel,
    Message,
    Operation,
    Retry,
    Service,
    inbound_events,
)
from generator.names import constant_name, pascal_name, safe_identifier, snake_name, unique
from generator.payloads import RootBinding, TypesModule

__all__ = [
    "PackagePlan",
    "Param",
    "Received",
    "ReceivedMessage",
    "Sent",
    "fire_names",
    "plan_package",
]

_FIRE_KEYWORDS = frozenset({"payload", "headers", "correlation_id", "message_id"})


@dataclass(frozen=True, slots=True)
class Param:
    """A channel parameter as a keyword argument of ``fire_*``."""

    name: str
    python: str
    enum: tuple[str, ...]
    """The values it may take (``Literal[...]``); any routing-key word when empty."""
    description: str


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the service publishes on a channel: one ``fire_*`` function."""

    function: str
    constant: str
    channel: Channel
    message: Message
    operation: Operation
    payload: RootBinding
    headers: RootBinding | None
    parameters: tuple[Param, ...]
    doc: str


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """A message the service handles: one abstract ``Handlers`` method."""

    method: str
    binder: str
    """The private function that decodes the message and binds it to ``method``."""
    decode: str
    """``events.<decode>``: validate and decode the payload."""
    decode_headers: str | None
    """``events.<decode_headers>``: validate and decode typed headers, if any."""
    payload_validator: str
    headers_validator: str | None
    headers_annotation: str
    """The type of ``Delivery.headers``: generated, or ``Headers`` (``amqp_events.Headers``)."""
    message: Message
    payload: RootBinding
    headers: RootBinding | None
    doc: str


@dataclass(frozen=True, slots=True)
class Received:
    """An event the service consumes, from every channel of its address: one queue."""

    constant: str
    decoder: str
    channel: Channel
    operation: Operation
    binding_keys: tuple[str, ...]
    """The keys its handler queue is bound with, from every channel of the event."""
    messages: tuple[ReceivedMessage, ...]
    retry: Retry | None
    archive: Archive | None
    max_priority: int | None = None
    """The handler queue's ``x-max-priority``, when its operations' bindings give priorities."""

    @property
    def message_types(self) -> tuple[str, ...]:
        """The AMQP ``type`` values of its messages, sorted."""
        return tuple(sorted({m.message.type_name for m in self.messages}))


@dataclass(frozen=True, slots=True)
class PackagePlan:
    """Everything the templates render, named."""

    service: Service
    sent: tuple[Sent, ...]
    received: tuple[Received, ...]
    types: TypesModule
    scaffold_module: str
    scaffold_class: str
    regenerate: tuple[str, ...] = ()
    """The arguments of ``amqp-events-gen`` that generate the package again, but ``-o``."""

    @property
    def typed_headers(self) -> bool:
        """Tell whether some received message has generated headers."""
        return any(m.headers is not None for r in self.received for m in r.messages)


def _sends(service: Service, both_sides: bool) -> list[tuple[Operation, Message]]:
    found: dict[tuple[str, str], tuple[Operation, Message]] = {}
    for operation in service.operations:
        if operation.direction == "send" or both_sides:
            for message in operation.messages:
                found.setdefault((operation.channel.key, message.key), (operation, message))
    return list(found.values())


def _names(pairs: Iterable[tuple[Channel, Message]], prefix: str) -> list[str]:
    """``<prefix><message>``, qualified by the channel where the message name repeats."""
    pairs = list(pairs)
    bases = [snake_name(message.name) for _, message in pairs]
    counts = Counter(bases)
    used: set[str] = set()
    result = []
    for (channel, _), base in zip(pairs, bases, strict=True):
        name = base if counts[base] == 1 else f"{base}_{snake_name(channel.id, fallback='channel')}"
        result.append(unique(f"{prefix}{name}", used))
    return result


def _scaffold_class(service: str) -> str:
    """``<Service>Handlers``; a service name that starts with a digit gets a word first."""
    stem = pascal_name(service, fallback="Service")[:40]
    return f"{stem if stem[:1].isalpha() else 'Service' + stem}Handlers"


def fire_names(service: Service, *, both_sides: bool) -> frozenset[str]:
    """Every ``fire_*`` function's name: the package re-exports them beside the payload types."""
    sends = _sends(service, both_sides)
    return frozenset(_names(((op.channel, m) for op, m in sends), "fire_"))


def _parameters(channel: Channel) -> tuple[Param, ...]:
    used: set[str] = set(_FIRE_KEYWORDS)
    params = []
    for parameter in channel.parameters:
        python = unique(
            safe_identifier(snake_name(parameter.name, fallback="value"), _FIRE_KEYWORDS), used
        )
        params.append(Param(parameter.name, python, parameter.enum, parameter.description))
    return tuple(params)


def _sent(service: Service, types: TypesModule, both_sides: bool) -> tuple[Sent, ...]:
    sends = _sends(service, both_sides)
    names = _names(((op.channel, m) for op, m in sends), "fire_")
    result = []
    for (operation, message), function in zip(sends, names, strict=True):
        channel = operation.channel
        text = summary(message.summary, message.title, operation.summary, message.description)
        doc = f"Publish {message.name} on '{channel.address}'" + (f": {text}" if text else "")
        result.append(
            Sent(
                function=function,
                constant="SEND_" + function.removeprefix("fire_").upper(),
                channel=channel,
                message=message,
                operation=operation,
                payload=types.roots[message.payload.key],
                headers=types.roots[message.headers.key] if message.headers else None,
                parameters=_parameters(channel),
                doc=doc,
            )
        )
    return tuple(result)


def _received(service: Service, types: TypesModule, both_sides: bool) -> tuple[Received, ...]:
    events = inbound_events(service.operations, both_sides=both_sides)
    pairs = [(op.channel, m) for event in events for op, m in event.messages]
    methods = iter(_names(pairs, "on_"))
    constants: set[str] = set()
    decoders: set[str] = set()
    decodes: set[str] = set()  # events.py holds both kinds of decode function
    result = []
    for event in events:
        received = []
        for operation, message in event.messages:
            method = next(methods)
            stem = method.removeprefix("on_")
            text = summary(message.summary, message.title, operation.summary, message.description)
            headers = types.roots[message.headers.key] if message.headers else None
            received.append(
                ReceivedMessage(
                    method=method,
                    binder=f"_receive_{stem}",
                    decode=unique(f"decode_{stem}", decodes),
                    decode_headers=unique(f"decode_{stem}_headers", decodes) if headers else None,
                    payload_validator=f"_{stem.upper()}_PAYLOAD",
                    headers_validator=f"_{stem.upper()}_HEADERS" if headers else None,
                    headers_annotation=headers.annotation if headers else "Headers",
                    message=message,
                    payload=types.roots[message.payload.key],
                    headers=headers,
                    doc=f"Handle {message.name} received on '{event.address}'"
                    + (f": {text}" if text else ""),
                )
            )
        channel = event.channel
        stem = snake_name(channel.id, fallback="channel")
        result.append(
            Received(
                constant=unique(
                    f"RECEIVE_{constant_name(channel.id, fallback='CHANNEL')}", constants
                ),
                decoder=unique(f"_decode_{stem}", decoders),
                channel=channel,
                operation=event.operations[0],
                binding_keys=event.binding_keys,
                messages=tuple(received),
                retry=event.retry,
                archive=event.archive,
                max_priority=event.max_priority,
            )
        )
    return tuple(result)


def plan_package(
    service: Service,
    types: TypesModule,
    *,
    both_sides: bool,
    regenerate: Sequence[str] = (),
) -> PackagePlan:
    """Name every generated function, constant and method of the package."""
    return PackagePlan(
        service=service,
        sent=_sent(service, types, both_sides),
        received=_received(service, types, both_sides),
        types=types,
        scaffold_module=f"{service.package}_handlers",
        scaffold_class=_scaffold_class(service.name),
        regenerate=tuple(regenerate),
    )
