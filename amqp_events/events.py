"""What an event is to the runtime: how to publish one and how to receive one.

``OutgoingEvent`` and ``IncomingEvent`` are plain values; generated code builds them
from an AsyncAPI document, and ``EventsApp.event`` / ``EventsApp.handler`` build them from
a decorated function. ``Delivery`` is what a handler learns about the message besides
its payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Literal, TypeVar

from amqp_events.addresses import binding_key, inside_word_pattern
from amqp_events.schema import SchemaValidator
from amqp_events.topology import DEFAULT_EXCHANGE, Exchange, ExchangeType
from amqp_events.wire import JsonValue

__all__ = [
    "Delivery",
    "ExchangeSpec",
    "Headers",
    "IncomingEvent",
    "OutgoingEvent",
]

T_contra = TypeVar("T_contra", contravariant=True)
T_co = TypeVar("T_co", covariant=True)
H_co = TypeVar("H_co", covariant=True)
H = TypeVar("H")

Headers = Mapping[str, object]
"""Application headers as they arrived, without our bookkeeping headers."""


@dataclass(frozen=True, slots=True)
class ExchangeSpec:
    """The exchange an event is published to; ``None`` as name means the app's default."""

    name: str | None = None
    type: ExchangeType = "topic"
    durable: bool = True
    auto_delete: bool = False

    def declared(self, default: str = DEFAULT_EXCHANGE) -> Exchange:
        """The exchange to declare: this one, named ``default`` (the app's) when it has no name."""
        return Exchange(
            self.name or default, self.type, durable=self.durable, auto_delete=self.auto_delete
        )


@dataclass(frozen=True, slots=True)
class Delivery(Generic[H_co]):
    """Facts about one delivered message that are not its payload."""

    event: str
    """Event name of the handler (the channel address in the spec)."""
    queue: str
    """Queue the message was consumed from."""
    routing_key: str
    """Routing key the message was first published with."""
    exchange: str
    """Exchange the message was first published to."""
    headers: H_co
    """Application headers (typed by generated code, a mapping otherwise)."""
    message_id: str | None = None
    correlation_id: str | None = None
    reply_to: str | None = None
    message_type: str | None = None
    """The AMQP ``type`` property."""
    attempt: int = 1
    """1 for the first attempt, 2 for the first retry, and so on."""
    redelivered: bool = False
    properties: Mapping[str, Any] = field(default_factory=dict)
    """Every AMQP property as received, for anything not covered above."""

    def with_headers(self, headers: H) -> Delivery[H]:
        """The same delivery with its headers replaced, e.g. decoded into a typed value."""
        return Delivery(
            event=self.event,
            queue=self.queue,
            routing_key=self.routing_key,
            exchange=self.exchange,
            headers=headers,
            message_id=self.message_id,
            correlation_id=self.correlation_id,
            reply_to=self.reply_to,
            message_type=self.message_type,
            attempt=self.attempt,
            redelivered=self.redelivered,
            properties=self.properties,
        )


@dataclass(frozen=True, kw_only=True)
class OutgoingEvent(Generic[T_contra]):
    """How to publish one event: its name, exchange, encoding and schema."""

    name: str
    """Event name; also the routing key unless the publish call gives another."""
    encode: Callable[[T_contra], JsonValue]
    """Turn the typed payload into the JSON value sent on the wire."""
    schema: Mapping[str, Any] | None = None
    """JSON Schema the encoded payload must satisfy; checked before every publish."""
    headers_schema: Mapping[str, Any] | None = None
    """JSON Schema the application headers must satisfy, if the spec gives one."""
    exchange: ExchangeSpec = ExchangeSpec()
    message_type: str | None = None
    content_type: str = "application/json"
    """The AMQP ``content_type``: JSON, or a ``+json`` type the document names."""
    """Value of the AMQP ``type`` property; the event name when None."""
    delivery_mode: Literal[1, 2] = 2
    priority: int | None = None
    expiration_ms: int | None = None
    mandatory: bool | None = None
    """Raise ``UnroutableError`` when no queue is bound; None means the app's setting."""

    @cached_property
    def _payload_validator(self) -> SchemaValidator | None:
        return SchemaValidator(self.schema, event=self.name) if self.schema else None

    @cached_property
    def _headers_validator(self) -> SchemaValidator | None:
        if not self.headers_schema:
            return None
        return SchemaValidator(self.headers_schema, event=f"{self.name} (headers)")

    def validate(self, value: JsonValue) -> None:
        """Raise ``PayloadError`` unless the encoded payload satisfies the schema."""
        if self._payload_validator is not None:
            self._payload_validator.validate(value)

    def validate_headers(self, headers: Mapping[str, object]) -> None:
        """Raise ``PayloadError`` unless the headers satisfy the headers schema."""
        if self._headers_validator is not None:
            self._headers_validator.validate(dict(headers))  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True)
class IncomingEvent(Generic[T_co]):
    """How to receive one event: which messages it matches and how to decode them."""

    name: str
    """Event name; names the handler queue ``{service}.{name}``."""
    decode: Callable[[JsonValue, Delivery[Headers]], T_co]
    """Validate and convert a parsed body; raise ``PayloadError`` for bad input."""
    binding_keys: tuple[str, ...] = ()
    """Routing keys (topic patterns allowed) the queue is bound with; ``(name,)`` if empty."""
    exchange: ExchangeSpec = ExchangeSpec()
    message_types: frozenset[str] = frozenset()
    """Values of the AMQP ``type`` property accepted besides the event name."""
    max_priority: int | None = None
    """Highest AMQP priority the handler queue orders by (``x-max-priority``); None: FIFO."""

    @property
    def keys(self) -> tuple[str, ...]:
        """The routing keys the handler queue is bound with (from the name if not given)."""
        return self.binding_keys or (binding_key(self.name),)

    def matches_routing_key(self, routing_key: str) -> bool:
        """Tell whether a routing key is an address of this event.

        A topic binding can only stand for whole words, so an address with a parameter
        inside a word (``lights/{id}/on``) is bound with ``*``, which lets in other
        events' keys too; the worker drops those copies.
        """
        pattern = inside_word_pattern(self.name)
        return pattern is None or pattern.fullmatch(routing_key) is not None

    def accepts_type(self, message_type: str | None) -> bool:
        """Tell whether a message's ``type`` property names this event (absent always does)."""
        return not message_type or message_type == self.name or message_type in self.message_types
