"""The intermediate model: what a document means for a service, as frozen values.

AsyncAPI 2.x and 3.x documents both become a ``Service``: operations that send or
receive messages on channels. Versions differ only in how they are read (``v2``,
``v3``); nothing after this point knows which version the document had.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

from amqp_events import addresses
from amqp_events.events import ExchangeSpec
from generator.diagnostics import Location
from generator.payloads import TypeRoot
from generator.validate.bindings import PublishOptions
from generator.validate.common import CorrelationId
from generator.validate.extensions import Archive, Retry

__all__ = [
    "Archive",
    "Channel",
    "CorrelationId",
    "Direction",
    "Message",
    "Operation",
    "Parameter",
    "Retry",
    "Service",
]

Direction = Literal["send", "receive"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A ``{name}`` in a channel address: one routing-key word chosen when firing."""

    name: str
    description: str = ""
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Channel:
    """Where events go: the address is the event name and the routing key."""

    key: str
    """Where the channel object is written (``file#pointer``): its identity."""
    id: str
    """The channel's name in the document (3.x key, or the 2.x address)."""
    address: str
    parameters: tuple[Parameter, ...] = ()
    exchange: ExchangeSpec = field(default_factory=ExchangeSpec)
    """The exchange its AMQP binding names; ``name`` None is the app's default."""
    exchange_location: Location = field(default_factory=lambda: Location(""), compare=False)
    """Where the binding names the exchange."""
    description: str = ""
    location: Location = field(default_factory=lambda: Location(""))

    @property
    def binding_key(self) -> str:
        """The address's topic binding key (``amqp_events.addresses.binding_key``)."""
        return addresses.binding_key(self.address)

    @property
    def binding_keys(self) -> tuple[str, ...]:
        """The keys the handler queue is bound with.

        A direct exchange matches keys literally, so there the address is bound once per
        combination of its parameters' enum values; elsewhere ``binding_key`` stands for
        every value. (A direct channel with a parameter without an enum is refused.)
        """
        if self.exchange.type != "direct" or not self.parameters:
            return (self.binding_key,)
        names = [p.name for p in self.parameters]
        return tuple(
            addresses.fill_parameters(self.address, dict(zip(names, values, strict=True)))
            for values in itertools.product(*(p.enum for p in self.parameters))
        )

    @property
    def parameters_inside_words(self) -> bool:
        """Tell whether some parameter shares its routing-key word with other text."""
        return addresses.parameters_inside_words(self.address)

    def address_parts(self) -> tuple[tuple[str, bool], ...]:
        """The address split into literal text and parameter names (flag True)."""
        return addresses.address_parts(self.address)


@dataclass(frozen=True, slots=True)
class Message:
    """One kind of message: its payload and headers schemas and how it is recognised."""

    key: str
    """Where the message object is written (``file#pointer``): its identity."""
    name: str
    """The message's name in the document; the source of its Python names."""
    type_name: str
    """The AMQP ``type`` property that identifies it on the wire."""
    payload: TypeRoot
    headers: TypeRoot | None = None
    headers_required: bool = False
    content_type: str = "application/json"
    """The message's JSON media type (``contentType`` or the document's default)."""
    """True when the headers schema requires some header, so headers must be given."""
    correlation_id: CorrelationId | None = None
    title: str = ""
    summary: str = ""
    description: str = ""
    location: Location = field(default_factory=lambda: Location(""))


@dataclass(frozen=True, slots=True)
class Operation:
    """The application sends, or receives, some messages on a channel."""

    id: str
    direction: Direction
    channel: Channel
    messages: tuple[Message, ...]
    summary: str = ""
    description: str = ""
    publish: PublishOptions = field(default_factory=PublishOptions)
    retry: Retry | None = None
    archive: Archive | None = None
    location: Location = field(default_factory=lambda: Location(""))


@dataclass(frozen=True, slots=True)
class Service:
    """Everything the generated package is made from."""

    name: str
    """The service name: prefix of its queues, retry ladder and archive."""
    package: str
    title: str
    version: str
    description: str
    asyncapi: str
    source: str
    """The document's file name, as generated files mention it."""
    operations: tuple[Operation, ...]
    roots: tuple[TypeRoot, ...]
    """Every payload and headers schema, in document order, for the payloads stage."""
    name_location: Location = field(default_factory=lambda: Location(""))
    """Where the name is chosen: ``x-amqp-events-service``, else the title it is made from."""
