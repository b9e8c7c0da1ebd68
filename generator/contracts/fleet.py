"""``contracts``: the documents of several services checked against each other.

For every event one service sends and another receives, on routes that meet:

- the consumer has a message of the producer's AMQP type;
- every value the producer's schema allows, the consumer's schema accepts: each
  difference that lets the producer send what the consumer refuses is reported at its
  innermost place, with the first value found that the producer's generated validator
  accepts and the consumer's generated decoder refuses;
- every ``examples`` entry of the producer decodes with the consumer's decoders.

Routes meet when both name one exchange and one of the producer's routing keys matches
one of the consumer's binding keys by RabbitMQ's rule. An event someone receives that
no document sends, or sends where no document's queue is bound, is reported as info:
the fleet may have producers and consumers outside the documents given.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amqp_events.addresses import fill_parameters, topic_matches
from amqp_events.errors import PayloadError
from amqp_events.events import OutgoingEvent
from amqp_events.topology import Exchange
from generator.contracts.changes import SchemaChange
from generator.contracts.packages import Package, load_packages
from generator.contracts.report import Audience, Finding, Level, ordered
from generator.contracts.schemas import SchemaComparison
from generator.contracts.sides import PARTS, Side
from generator.contracts.topology import exchange_settings
from generator.contracts.witness import candidates, sample
from generator.contracts.wording import between
from generator.diagnostics import Diagnostic, Location
from generator.model import Channel, Inbound, Message, Operation, inbound_events

if TYPE_CHECKING:
    from amqp_events.app import HandlerRegistration

__all__ = ["FleetResult", "check_fleet"]

_MAX_KEYS = 256
_MAX_TRIES = 64
_PROBLEMS = ("wider", "both", "unknown")


@dataclass(frozen=True, slots=True)
class FleetResult:
    """What the check found, or the errors that kept it from running."""

    findings: list[Finding]
    errors: list[Diagnostic] = field(default_factory=list)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _routing_keys(channel: Channel, bindings: Sequence[str]) -> list[str]:
    """Routing keys the producer may publish: each parameter's enum values, or words the
    consumer's bindings name (and one they do not) for a parameter without an enum."""
    words = sorted({w for key in bindings for w in key.split(".") if w not in ("*", "#")})
    names = [p.name for p in channel.parameters]
    choices = [list(p.enum) or [*words, "any-value"] for p in channel.parameters]
    combinations = itertools.islice(itertools.product(*choices), _MAX_KEYS)
    return [
        fill_parameters(channel.address, dict(zip(names, values, strict=True)))
        for values in combinations
    ]


def _meets(producer: Operation, consumer: Inbound) -> tuple[bool, str]:
    """Whether the producer's messages reach the consumer's queue, and if not, why."""
    sent, bound = producer.channel.exchange, consumer.channel.exchange
    sent_name, bound_name = sent.declared().name, bound.declared().name
    if sent_name != bound_name:
        return (
            False,
            f"publishes it to the exchange {sent_name!r}, and the queue is bound to {bound_name!r}",
        )
    bindings = consumer.binding_keys
    keys = _routing_keys(producer.channel, bindings)
    if bound.type in ("fanout", "headers"):
        return True, ""
    if bound.type == "direct":
        matched = any(key in bindings for key in keys)
    else:
        matched = any(topic_matches(b, key) for b in bindings for key in keys)
    if matched:
        return True, ""
    return False, (
        f"publishes it with the routing key {keys[0]!r}, which none of the queue's binding "
        f"keys ({', '.join(repr(b) for b in bindings)}) matches on {bound_name!r}"
    )


@dataclass
class _Fleet:
    packages: list[Package]
    findings: list[Finding] = field(default_factory=list)

    def producers(self) -> Iterator[tuple[Package, Operation]]:
        for package in self.packages:
            both = package.side.options.both_sides
            for operation in package.side.service.operations:
                if operation.direction == "send" or both:
                    yield package, operation

    def consumers(self) -> Iterator[tuple[Package, Inbound]]:
        for package in self.packages:
            side = package.side
            for event in inbound_events(
                side.service.operations, both_sides=side.options.both_sides
            ):
                yield package, event

    def check(self) -> None:
        self.exchanges()
        heard: set[tuple[int, str]] = set()
        served: set[tuple[int, str]] = set()
        for producer, operation in self.producers():
            for consumer, event in self.consumers():
                if producer.side is consumer.side:
                    continue
                meets, why = _meets(operation, event)
                if not meets:
                    if operation.channel.address == event.address:
                        self.add(
                            "breaking",
                            event.operations[0].location,
                            f"{consumer.side.name} receives {event.address!r}, which "
                            f"{producer.side.name} sends, but {producer.side.name} {why}: no "
                            "message reaches it.",
                            event.address,
                        )
                    continue
                heard.add((id(consumer), event.address))
                served.add((id(producer), operation.id))
                for message in operation.messages:
                    self.message(producer, operation, message, consumer, event)
        for producer, operation in self.producers():
            if (id(producer), operation.id) not in served:
                self.add(
                    "info",
                    operation.location,
                    f"{producer.side.name} sends {operation.channel.address!r}, and no "
                    "document given binds a queue that receives it.",
                    operation.channel.address,
                    audience=(),
                )
        for consumer, event in self.consumers():
            if (id(consumer), event.address) not in heard:
                self.add(
                    "info",
                    event.operations[0].location,
                    f"{consumer.side.name} receives {event.address!r}, and no document "
                    "given sends it there.",
                    event.address,
                    audience=(),
                )

    def add(
        self,
        level: Level,
        location: Location,
        message: str,
        *events: str,
        audience: tuple[Audience, ...] = ("consumers",),
    ) -> None:
        self.findings.append(Finding(level, location, message, audience, events))

    def exchanges(self) -> None:
        """One exchange declared two ways by two services: the second is refused."""
        first: dict[str, tuple[Package, Location, Exchange]] = {}
        for package in self.packages:
            for operation in package.side.service.operations:
                if operation.channel.exchange.name is None:
                    continue  # the app's own exchange, which each app may name differently
                exchange = operation.channel.exchange.declared()
                place = operation.channel.exchange_location
                known, where, declared = first.setdefault(exchange.name, (package, place, exchange))
                if known is not package and declared != exchange:
                    self.add(
                        "breaking",
                        place,
                        f"{package.side.name} declares the exchange {exchange.name!r} as "
                        f"{exchange_settings(exchange)}, and {known.side.name} declares it as "
                        f"{exchange_settings(declared)} at {where}: RabbitMQ refuses the second "
                        "declaration (PRECONDITION_FAILED).",
                        audience=("broker",),
                    )

    def message(
        self,
        producer: Package,
        operation: Operation,
        message: Message,
        consumer: Package,
        event: Inbound,
    ) -> None:
        address = event.address
        handler = consumer.handler(address)
        accepted = handler is not None and handler.incoming.accepts_type(message.type_name)
        twin = next((m for _, m in event.messages if m.type_name == message.type_name), None)
        if not accepted or twin is None:
            self.add(
                "breaking",
                message.location,
                f"{producer.side.name} sends the message {message.name!r} on {address!r} with "
                f"the AMQP type {message.type_name!r}, and {consumer.side.name} has no message "
                "of that type there: its worker parks every one as unknown-event.",
                address,
            )
            return
        assert handler is not None
        outgoing = producer.outgoing(operation.channel.address, message.type_name)
        judge = _Judge(producer, outgoing, consumer, handler, message, address)
        self.schemas(judge, message, twin)
        self.examples(judge, message)

    def schemas(self, judge: _Judge, message: Message, twin: Message) -> None:
        producer, consumer = judge.producer.side, judge.consumer.side
        comparison = SchemaComparison(
            consumer.schema, producer.schema, between(producer.name, consumer.name)
        )
        for part in PARTS:
            if part == "headers" and message.headers is None and twin.headers is None:
                continue
            old_key, old_schema = consumer.part(twin, part)
            new_key, new_schema = producer.part(message, part)
            for change in comparison.compare(old_key, old_schema, new_key, new_schema):
                if change.effect in _PROBLEMS:
                    self.schema_change(judge, change, part == "headers")

    def schema_change(self, judge: _Judge, change: SchemaChange, headers: bool) -> None:
        producer, consumer = judge.producer.side, judge.consumer.side
        example = judge.witness(change, headers=headers)
        text = change.message[:1].upper() + change.message[1:]
        who = f"{consumer.name} refuses some messages {producer.name} may send on {judge.address!r}"
        if example is not None:
            what = "the headers " if headers else ""
            tail = f"{who}; for example {consumer.name} refuses {what}{example}"
        elif change.effect == "unknown":
            tail = (
                f"whether {consumer.name} accepts every message {producer.name} sends on "
                f"{judge.address!r} cannot be told"
            )
        else:
            tail = f"{who} (no example value was found)"
        place = (
            producer.locate(change.new)
            if change.new is not None
            else consumer.locate(str(change.old))
        )
        self.findings.append(
            Finding(
                "breaking",
                place,
                f"{text}: {tail}.",
                ("consumers",),
                (judge.address,),
                certain=example is not None or change.effect != "unknown",
                example=example,
            )
        )

    def examples(self, judge: _Judge, message: Message) -> None:
        producer = judge.producer.side
        headers_examples = message.headers.examples if message.headers else ()
        for index, payload in enumerate(message.payload.examples):
            headers = headers_examples[index] if index < len(headers_examples) else judge.headers()
            problem = judge.refusal(payload, headers)
            if problem is None:
                continue
            place = producer.locate(f"{message.key}/examples/{index}/payload")
            self.findings.append(
                Finding(
                    "breaking",
                    place,
                    f"Example {index + 1} of the message {message.name!r} does not decode "
                    f"with {_possessive(judge.consumer.side.name)} generated code for "
                    f"{judge.address!r}: {problem}",
                    ("consumers",),
                    (judge.address,),
                    example=_json(payload),
                )
            )


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class _Judge:
    """One producer's message against one consumer's event, by their generated code."""

    producer: Package
    outgoing: OutgoingEvent[Any] | None
    consumer: Package
    handler: HandlerRegistration
    message: Message
    address: str

    def headers(self) -> object:
        root = self.message.headers
        return sample(root.schema, self.producer.side.schema) if root is not None else {}

    def base(self) -> Iterator[object]:
        yield from self.message.payload.examples
        yield sample(self.message.payload.schema, self.producer.side.schema)

    def sends(self, payload: object, headers: object) -> bool:
        """Whether the producer's ``fire_*`` would send this payload and these headers."""
        outgoing = self.outgoing
        if outgoing is None:
            return True
        try:
            outgoing.validate(payload)  # type: ignore[arg-type]
            if isinstance(headers, dict) and headers:
                outgoing.validate_headers(headers)
        except PayloadError:
            return False
        return True

    def refusal(self, payload: object, headers: object) -> str | None:
        """Why the consumer's decoder refuses the message, or None when it decodes it."""
        delivery = self.consumer.delivery(self.handler, headers, self.message.type_name)
        try:
            self.handler.incoming.decode(payload, delivery)  # type: ignore[arg-type]
        except PayloadError as error:
            return str(error)
        except Exception as error:  # noqa: BLE001 - a decoder that crashes refuses too
            return f"{type(error).__name__}: {error}"
        return None

    def witness(self, change: SchemaChange, *, headers: bool) -> str | None:
        """The first value the producer sends and the consumer refuses near ``change``."""
        tried = 0
        base_headers = self.headers()
        for base in self.base() if not headers else [base_headers]:
            for value in candidates(change, base, self.producer.side.schema):
                tried += 1
                if tried > _MAX_TRIES:
                    return None
                payload = next(iter(self.base())) if headers else value
                header_value = value if headers else base_headers
                if self.sends(payload, header_value) and self.refusal(payload, header_value):
                    return _json(value)
        return None


def check_fleet(sides: Sequence[Side]) -> FleetResult:
    """Check every producer of the fleet against every consumer."""
    with load_packages(sides) as (packages, errors):
        if errors:
            return FleetResult([], errors)
        fleet = _Fleet(packages)
        fleet.check()
        return FleetResult(ordered(fleet.findings))
