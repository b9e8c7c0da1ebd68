"""``diff`` on events, messages and topology: one document pair per rule and direction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.contracts.documents import Document, document, findings, write


@dataclass(frozen=True)
class Rule:
    """A change to the document, the finding it gives, and where."""

    name: str
    change: Callable[[Document], object]
    level: str
    pointer: str
    says: str
    audience: tuple[str, ...]
    in_old: bool = False


def _exchange(d: Document, channel: str) -> dict[str, Any]:
    found: dict[str, Any] = d["channels"][channel]["bindings"]["amqp"]["exchange"]
    return found


def _add_message(d: Document, channel: str, *, instead: bool = False) -> None:
    d["components"]["messages"]["Extra"] = {"name": "Extra", "payload": {"type": "string"}}
    messages = d["channels"][channel]["messages"]
    messages["extra"] = {"$ref": "#/components/messages/Extra"}
    if instead:
        messages.pop("thing")


def _remove(d: Document, operation: str) -> None:
    d["operations"].pop(operation)


def _add(d: Document, operation: str, action: str) -> None:
    d["channels"]["more"] = {
        "address": "shop.more",
        "messages": {"more": {"name": "More", "payload": {"type": "string"}}},
    }
    d["operations"][operation] = {"action": action, "channel": {"$ref": "#/channels/more"}}


def _clash_with_the_app_exchange(d: Document) -> None:
    _exchange(d, "received").update(name="events", type="direct")
    d["channels"]["plain"] = {
        "address": "shop.plain",
        "messages": {"plain": {"name": "Plain", "payload": {"type": "string"}}},
    }
    d["operations"]["receivePlain"] = {"action": "receive", "channel": {"$ref": "#/channels/plain"}}


def _named_by_the_title(d: Document) -> None:
    del d["info"]["x-amqp-events-service"]
    d["info"]["title"] = "Store"


def _archive(ttl: int) -> Callable[[Document], object]:
    return lambda d: d["operations"]["receiveThing"]["x-amqp-events-archive"].update(ttl=ttl)


RULES = [
    Rule(
        "a sent event renamed",
        lambda d: d["channels"]["sent"].update(address="shop.thing.shipped"),
        "breaking",
        "/channels/sent",
        "changes from 'shop.thing.sent' to 'shop.thing.shipped'",
        ("consumers",),
    ),
    Rule(
        "a received event renamed",
        lambda d: d["channels"]["received"].update(address="shop.thing.got"),
        "breaking",
        "/channels/received",
        "producers still publishing 'shop.thing.received' are no longer heard",
        ("producers",),
    ),
    Rule(
        "a received event renamed leaves its handler queue behind",
        lambda d: d["channels"]["received"].update(address="shop.thing.got"),
        "breaking",
        "/operations/receiveThing",
        "The handler queue 'shop.shop.thing.received' is no longer declared",
        ("broker",),
        in_old=True,
    ),
    Rule(
        "a sent event added",
        lambda d: _add(d, "sendMore", "send"),
        "compatible",
        "/operations/sendMore",
        "is added and sends 'shop.more'",
        ("consumers",),
    ),
    Rule(
        "a received event added",
        lambda d: _add(d, "receiveMore", "receive"),
        "compatible",
        "/operations/receiveMore",
        "is added and receives 'shop.more'",
        ("producers",),
    ),
    Rule(
        "a sent event removed",
        lambda d: _remove(d, "sendThing"),
        "breaking",
        "/operations/sendThing",
        "its consumers receive nothing more from this service",
        ("consumers",),
        in_old=True,
    ),
    Rule(
        "a received event removed",
        lambda d: _remove(d, "receiveThing"),
        "breaking",
        "/operations/receiveThing",
        "what its producers go on sending is no longer handled",
        ("producers",),
        in_old=True,
    ),
    Rule(
        "direction changed",
        lambda d: d["operations"]["sendThing"].update(action="receive"),
        "breaking",
        "/operations/sendThing",
        "now receives 'shop.thing.sent', where it sent it before",
        ("consumers", "producers"),
    ),
    Rule(
        "a message added to a sent event",
        lambda d: _add_message(d, "sent"),
        "breaking",
        "/components/messages/Extra",
        "consumers without a handler for its type park it as unknown-event",
        ("consumers",),
    ),
    Rule(
        "a message added to a received event",
        lambda d: _add_message(d, "received"),
        "compatible",
        "/components/messages/Extra",
        "the handler takes it as well",
        ("producers",),
    ),
    Rule(
        "a message removed from a sent event",
        lambda d: _add_message(d, "sent", instead=True),
        "compatible",
        "/components/messages/SentThing",
        "is removed from 'shop.thing.sent'",
        ("consumers",),
        in_old=True,
    ),
    Rule(
        "a message removed from a received event",
        lambda d: _add_message(d, "received", instead=True),
        "breaking",
        "/components/messages/ReceivedThing",
        "producers still sending it get it parked as unknown-event",
        ("producers",),
        in_old=True,
    ),
    Rule(
        "messageType changed on a sent message",
        lambda d: d["components"]["messages"]["SentThing"].update(
            bindings={"amqp": {"messageType": "thing.v2"}}
        ),
        "breaking",
        "/components/messages/SentThing",
        "changes from 'SentThing' to 'thing.v2'",
        ("consumers",),
    ),
    Rule(
        "headers schema narrowed on a received message",
        lambda d: d["components"]["messages"]["ReceivedThing"]["headers"]["properties"][
            "x-request-id"
        ].update(maxLength=8),
        "breaking",
        "/components/messages/ReceivedThing/headers/properties/x-request-id/maxLength",
        "from unbounded to 8",
        ("producers",),
    ),
    Rule(
        "headers schema narrowed on a sent message",
        lambda d: d["components"]["messages"]["SentThing"]["headers"]["properties"][
            "x-request-id"
        ].update(maxLength=8),
        "compatible",
        "/components/messages/SentThing/headers/properties/x-request-id/maxLength",
        "from unbounded to 8",
        ("consumers",),
    ),
    Rule(
        "correlation id moved on a sent message",
        lambda d: d["components"]["messages"]["SentThing"].update(
            correlationId={"location": "$message.payload#/id"}
        ),
        "breaking",
        "/components/messages/SentThing",
        "moves from header '/x-request-id' to payload '/id'",
        ("consumers",),
    ),
    Rule(
        "parameter value added on a direct exchange, sent",
        lambda d: d["channels"]["sentStock"]["parameters"]["region"]["enum"].append("asia"),
        "breaking",
        "/channels/sentStock/parameters/region",
        "consumers bound once per value on the direct exchange are not bound for it",
        ("consumers",),
    ),
    Rule(
        "parameter value removed on a direct exchange, received",
        lambda d: d["channels"]["receivedStock"]["parameters"]["region"]["enum"].remove("us"),
        "breaking",
        "/channels/receivedStock/parameters/region",
        "the handler queue is no longer bound for it",
        ("producers",),
    ),
    Rule(
        "parameter value added on a direct exchange, received",
        lambda d: d["channels"]["receivedStock"]["parameters"]["region"]["enum"].append("asia"),
        "compatible",
        "/channels/receivedStock/parameters/region",
        "the handler queue is bound for it too",
        ("producers",),
    ),
    Rule(
        "exchange renamed, sent",
        lambda d: _exchange(d, "sent").update(name="shop-v2"),
        "breaking",
        "/channels/sent/bindings/amqp/exchange",
        "consumers' queues bound to the exchange 'shop' receive nothing more from it",
        ("consumers",),
    ),
    Rule(
        "exchange renamed, received",
        lambda d: _exchange(d, "received").update(name="shop-v2"),
        "breaking",
        "/channels/received/bindings/amqp/exchange",
        "producers publishing to the exchange 'shop' are no longer heard",
        ("producers",),
    ),
    Rule(
        "exchange type changed",
        lambda d: [_exchange(d, c).update(type="direct") for c in ("sent", "received")] and None,
        "breaking",
        "/channels/sent/bindings/amqp/exchange",
        "RabbitMQ refuses to declare an existing exchange with other settings",
        ("broker",),
    ),
    Rule(
        "exchange no longer durable",
        lambda d: [_exchange(d, c).update(durable=False) for c in ("sent", "received")] and None,
        "breaking",
        "/channels/sent/bindings/amqp/exchange",
        "as topic, not durable, not auto-deleted, where it was topic, durable",
        ("broker",),
    ),
    Rule(
        "exchange auto-deleted",
        lambda d: [_exchange(d, c).update(autoDelete=True) for c in ("sent", "received")] and None,
        "breaking",
        "/channels/sent/bindings/amqp/exchange",
        "PRECONDITION_FAILED",
        ("broker",),
    ),
    Rule(
        "archive ttl changed: the archive queue cannot be redeclared",
        _archive(172800),
        "breaking",
        "/operations/receiveThing",
        "The queue 'shop:archive.shop.thing.received' is declared with x-message-ttl "
        "172800000 (was 86400000)",
        ("broker",),
    ),
    Rule(
        "archive limits removed: the handler queue dead-letters elsewhere",
        lambda d: d["operations"]["receiveThing"].pop("x-amqp-events-archive"),
        "breaking",
        "/operations/receiveThing",
        "x-dead-letter-routing-key 'shop:archive' (was 'shop:archive.shop.thing.received')",
        ("broker",),
    ),
    Rule(
        "a priority on a received operation: the handler queue cannot be redeclared",
        lambda d: d["operations"]["receiveThing"].update(bindings={"amqp": {"priority": 5}}),
        "breaking",
        "/operations/receiveThing",
        "The queue 'shop.shop.thing.received' is declared with x-max-priority 5 (was unset)",
        ("broker",),
    ),
    Rule(
        "retry delay added: a bucket is created",
        lambda d: d["operations"]["receiveThing"]["x-amqp-events-retry"].update(delays=[1, 5, 30]),
        "info",
        "/operations/receiveThing",
        "The queue 'shop:retry.30000' is created",
        ("broker",),
    ),
    Rule(
        "retry delay removed: its bucket is orphaned",
        lambda d: d["operations"]["receiveThing"]["x-amqp-events-retry"].update(delays=[1]),
        "info",
        "/operations/receiveThing",
        "The retry bucket 'shop:retry.5000' is no longer used",
        ("broker",),
        in_old=True,
    ),
    Rule(
        "an exchange that the app's default exchange also is, with another type",
        _clash_with_the_app_exchange,
        "breaking",
        "",
        "The runtime refuses the topology of one of the documents: Exchange 'events' is used "
        "as direct and as topic",
        ("broker",),
    ),
    Rule(
        "service name changed",
        lambda d: d["info"].update({"x-amqp-events-service": "store"}),
        "breaking",
        "/info/x-amqp-events-service",
        "renames every queue of the service",
        ("broker",),
    ),
    Rule(
        "service name made from another title",
        _named_by_the_title,
        "breaking",
        "/info/title",
        "The service name changes from 'shop' to 'store'",
        ("broker",),
    ),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_a_change_of_events_or_topology_is_found(tmp_path: Path, rule: Rule) -> None:
    new = document()
    rule.change(new)
    old_path, new_path = write(tmp_path / "old", document()), write(tmp_path / "new", new)
    status, found = findings("diff", str(old_path), str(new_path))
    matching = [f for f in found if f["pointer"] == rule.pointer and rule.says in f["message"]]
    assert len(matching) == 1, "\n".join(
        f"{f['level']} {f['pointer']}: {f['message']}" for f in found
    )
    finding = matching[0]
    assert finding["level"] == rule.level
    assert tuple(finding["audience"]) == rule.audience
    assert finding["file"] == str(old_path if rule.in_old else new_path)
    assert isinstance(finding["line"], int)
    breaking = any(f["level"] == "breaking" for f in found)
    assert status == (1 if breaking else 0)
