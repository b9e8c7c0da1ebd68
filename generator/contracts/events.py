"""Two versions of one service compared event by event: operations, messages, schemas.

Operations are paired by their id, then by address and direction, so a renamed address
is a rename, not a removal and an addition. Messages of a paired operation are paired
by their AMQP type (what identifies them on the wire), then by name. Every change says
whom it concerns: the consumers of an event the document sends, or the producers of an
event it receives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from amqp_events.events import ExchangeSpec
from generator.contracts.changes import SchemaChange
from generator.contracts.report import Audience, Finding, Level
from generator.contracts.schemas import SchemaComparison
from generator.contracts.sides import PARTS, Side
from generator.contracts.verdicts import Use, schema_findings
from generator.contracts.wording import OVER_TIME
from generator.diagnostics import Location, escape_pointer_token
from generator.model import CorrelationId, Message, Operation

__all__ = ["compare_events"]

_OTHER: dict[str, Audience] = {"send": "consumers", "receive": "producers"}


def _exchange(exchange: ExchangeSpec) -> str:
    return (
        "the app's event exchange" if exchange.name is None else f"the exchange {exchange.name!r}"
    )


def _pair_by(
    old: Sequence[Operation], new: Sequence[Operation]
) -> tuple[list[tuple[Operation, Operation]], list[Operation], list[Operation]]:
    pairs: list[tuple[Operation, Operation]] = []
    free_old = list(old)
    free_new = []
    for operation in new:
        match = next((o for o in free_old if o.id == operation.id), None)
        if match is None:
            free_new.append(operation)
        else:
            pairs.append((match, operation))
            free_old.remove(match)
    for operation in list(free_new):
        match = next(
            (
                o
                for o in free_old
                if (o.channel.address, o.direction)
                == (operation.channel.address, operation.direction)
            ),
            None,
        )
        if match is not None:
            pairs.append((match, operation))
            free_old.remove(match)
            free_new.remove(operation)
    return pairs, free_new, free_old


@dataclass
class _Events:
    """The comparison of two sides, gathering findings and schema changes."""

    old: Side
    new: Side
    findings: list[Finding] = field(default_factory=list)
    schemas: SchemaComparison = field(init=False)
    changes: list[tuple[SchemaChange, Use]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.schemas = SchemaComparison(self.old.schema, self.new.schema, OVER_TIME)

    def add(
        self,
        level: Level,
        location: Location,
        message: str,
        audience: Sequence[Audience],
        *events: str,
    ) -> None:
        self.findings.append(Finding(level, location, message, tuple(audience), events))

    # -- operations --------------------------------------------------------------------

    def operations(self) -> None:
        pairs, added, removed = _pair_by(self.old.service.operations, self.new.service.operations)
        received_now = {
            o.channel.address for o in self.new.service.operations if o.direction == "receive"
        }
        sent_now = {o.channel.address for o in self.new.service.operations if o.direction == "send"}
        for old, new in pairs:
            self.operation(old, new)
        for operation in added:
            address = operation.channel.address
            if operation.direction == "send":
                message = (
                    f"The operation {operation.id!r} is added and sends {address!r}: consumers "
                    "can bind a queue to it."
                )
            else:
                message = (
                    f"The operation {operation.id!r} is added and receives {address!r}: its "
                    "handler queue is declared and bound when the workers start."
                )
            self.add(
                "compatible", operation.location, message, [_OTHER[operation.direction]], address
            )
        for operation in removed:
            address = operation.channel.address
            if operation.direction == "send":
                still = address in sent_now
                message = (
                    f"The operation {operation.id!r}, which sent {address!r}, is removed: "
                    + (
                        "another operation still sends the event."
                        if still
                        else "its consumers receive nothing more from this service."
                    )
                )
                self.add(
                    "info" if still else "breaking",
                    operation.location,
                    message,
                    ["consumers"],
                    address,
                )
            else:
                still = address in received_now
                message = (
                    f"The operation {operation.id!r}, which received {address!r}, is removed: "
                    + (
                        "another operation still receives the event."
                        if still
                        else "what its producers go on sending is no longer handled."
                    )
                )
                self.add(
                    "info" if still else "breaking",
                    operation.location,
                    message,
                    ["producers"],
                    address,
                )

    def operation(self, old: Operation, new: Operation) -> None:
        address = new.channel.address
        if old.direction != new.direction:
            now = {"send": "sends", "receive": "receives"}[new.direction]
            before = {"send": "sent", "receive": "received"}[old.direction]
            self.add(
                "breaking",
                new.location,
                f"The operation {new.id!r} now {now} {address!r}, where it {before} it "
                "before: the other side of the event must change with it.",
                ["consumers", "producers"],
                address,
            )
            return
        audience = [_OTHER[new.direction]]
        if old.channel.address != address:
            if new.direction == "send":
                why = (
                    f"consumers bound to {old.channel.address!r} receive nothing more from it, "
                    f"until they bind to {address!r}"
                )
            else:
                why = (
                    f"producers still publishing {old.channel.address!r} are no longer heard, "
                    "and the messages left in the old handler queue are never handled"
                )
            self.add(
                "breaking",
                new.channel.location,
                f"The address of the operation {new.id!r} changes from {old.channel.address!r} "
                f"to {address!r}: {why}.",
                audience,
                old.channel.address,
                address,
            )
        self.exchange(old, new)
        self.parameters(old, new)
        self.messages(old, new)

    def exchange(self, old: Operation, new: Operation) -> None:
        before, after = old.channel.exchange, new.channel.exchange
        if before.name == after.name:
            return  # type and flags: the topology comparison says what RabbitMQ refuses
        address = new.channel.address
        if new.direction == "send":
            why = f"consumers' queues bound to {_exchange(before)} receive nothing more from it"
        else:
            why = (
                f"producers publishing to {_exchange(before)} are no longer heard, and the old "
                "binding stays on the broker until it is removed"
            )
        self.add(
            "breaking",
            new.channel.exchange_location,
            f"The event {address!r} now travels through {_exchange(after)} instead of "
            f"{_exchange(before)}: {why}.",
            [_OTHER[new.direction]],
            address,
        )

    def parameters(self, old: Operation, new: Operation) -> None:
        before = {p.name: p for p in old.channel.parameters}
        direct = new.channel.exchange.type == "direct"
        address = new.channel.address
        for parameter in new.channel.parameters:
            previous = before.get(parameter.name)
            if previous is None or previous.enum == parameter.enum:
                continue
            gained = [v for v in parameter.enum if v not in previous.enum]
            lost = [v for v in previous.enum if v not in parameter.enum]
            place = self.new.locate(
                f"{new.channel.key}/parameters/{escape_pointer_token(parameter.name)}"
            )
            for values, more in ((gained, True), (lost, False)):
                if not values and (previous.enum or parameter.enum):
                    continue
                shown_values = ", ".join(repr(v) for v in values) or "any value"
                change = (
                    f"The parameter {parameter.name!r} of {address!r} "
                    f"{'allows' if more else 'no longer allows'} {shown_values}"
                )
                if not direct:
                    # A topic binding stands for every value of the word.
                    self.add(
                        "info",
                        place,
                        f"{change}; the topic binding stands for every value.",
                        [],
                        address,
                    )
                    continue
                harmful = more == (new.direction == "send")
                if new.direction == "send":
                    why = (
                        "consumers bound once per value on the direct exchange are not bound for it"
                        if more
                        else "consumers are bound for more values than it sends"
                    )
                else:
                    why = (
                        "the handler queue is bound for it too"
                        if more
                        else "the handler queue is no longer bound for it, so what producers send "
                        "with it reaches no queue of this service (the old binding stays on the "
                        "broker until it is removed)"
                    )
                self.add(
                    "breaking" if harmful else "compatible",
                    place,
                    f"{change}: {why}.",
                    [_OTHER[new.direction]],
                    address,
                )

    # -- messages ------------------------------------------------------------------------

    def messages(self, old: Operation, new: Operation) -> None:
        address = new.channel.address
        free = list(old.messages)
        pairs: list[tuple[Message, Message]] = []
        added: list[Message] = []
        for message in new.messages:
            match = next((m for m in free if m.type_name == message.type_name), None)
            match = match or next((m for m in free if m.name == message.name), None)
            if match is None:
                added.append(message)
            else:
                pairs.append((match, message))
                free.remove(match)
        audience = [_OTHER[new.direction]]
        sends = new.direction == "send"
        for message in added:
            why = (
                "consumers without a handler for its type park it as unknown-event"
                if sends
                else "the handler takes it as well"
            )
            self.add(
                "breaking" if sends else "compatible",
                message.location,
                f"The message {message.name!r} (AMQP type {message.type_name!r}) is added to "
                f"{address!r}: {why}.",
                audience,
                address,
            )
        for message in free:
            why = (
                "its consumers' handlers for it are no longer called"
                if sends
                else "producers still sending it get it parked as unknown-event"
            )
            self.add(
                "compatible" if sends else "breaking",
                message.location,
                f"The message {message.name!r} (AMQP type {message.type_name!r}) is removed "
                f"from {address!r}: {why}.",
                audience,
                address,
            )
        use = Use(new.direction, address)
        for before, after in pairs:
            self.message(before, after, use)

    def message(self, old: Message, new: Message, use: Use) -> None:
        address = use.event
        audience = [_OTHER[use.direction]]
        if old.type_name != new.type_name:
            self.add(
                "breaking",
                new.location,
                f"The AMQP type of the message {new.name!r} on {address!r} changes from "
                f"{old.type_name!r} to {new.type_name!r}: the type is what tells the receiving "
                "side which handler takes it, so both sides must change together.",
                audience,
                address,
            )
        for part in PARTS:
            if part == "payload" or old.headers is not None or new.headers is not None:
                old_key, old_schema = self.old.part(old, part)
                new_key, new_schema = self.new.part(new, part)
                changes = self.schemas.compare(old_key, old_schema, new_key, new_schema)
                self.changes.extend((change, use) for change in changes)
        self.correlation(old, new, use)
        if old.content_type != new.content_type:
            self.add(
                "info",
                new.location,
                f"The content type of the message {new.name!r} on {address!r} changes from "
                f"{old.content_type!r} to {new.content_type!r}.",
                audience,
                address,
            )

    def correlation(self, old: Message, new: Message, use: Use) -> None:
        before, after = old.correlation_id, new.correlation_id
        if before == after:
            return

        def where(place: CorrelationId | None) -> str:
            return "nowhere" if place is None else f"{place.source} {place.pointer!r}"

        harmful = before is not None
        reader = "consumers" if use.direction == "send" else "this service"
        why = (
            f"{reader} that follow the document look for it at the old place"
            if harmful
            else "the AMQP correlation_id property carries it as before"
        )
        self.add(
            "breaking" if harmful else "compatible",
            new.location,
            f"The correlation id of the message {new.name!r} on {use.event!r} moves from "
            f"{where(before)} to {where(after)}: {why}.",
            [_OTHER[use.direction]],
            use.event,
        )


def compare_events(old: Side, new: Side) -> Iterator[Finding]:
    """Every change of operations, channels, messages and their schemas."""
    events = _Events(old, new)
    events.operations()
    yield from events.findings
    yield from schema_findings(events.changes, old.locate, new.locate)
