"""``contracts``: several services' documents checked against each other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.contracts.conftest import add_coupon
from tests.contracts.documents import findings, run, write
from tests.support.workers import ROOT

EXAMPLES = ROOT / "examples"


def _service(
    name: str,
    action: str,
    schema: dict[str, Any],
    *,
    address: str = "shop.event",
    exchange: str = "shop",
    kind: str = "topic",
    message_type: str | None = None,
    examples: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {"name": "Event", "payload": schema}
    if message_type:
        message["bindings"] = {"amqp": {"messageType": message_type}}
    if examples:
        message["examples"] = [{"payload": e} for e in examples]
    return {
        "asyncapi": "3.0.0",
        "info": {"title": name, "version": "1", "x-amqp-events-service": name},
        "channels": {
            "event": {
                "address": address,
                "messages": {"event": {"$ref": "#/components/messages/Event"}},
                "bindings": {
                    "amqp": {"is": "routingKey", "exchange": {"name": exchange, "type": kind}}
                },
            }
        },
        "operations": {"it": {"action": action, "channel": {"$ref": "#/channels/event"}}},
        "components": {"messages": {"Event": message}},
    }


OBJECT = {"type": "object", "properties": {"code": {"type": "string"}}}


def _fleet(tmp_path: Path, *documents: dict[str, Any]) -> list[str]:
    return [str(write(tmp_path / d["info"]["title"], d)) for d in documents]


def test_the_example_services_keep_their_contracts() -> None:
    status, found = findings(
        "contracts",
        str(EXAMPLES / "orders" / "asyncapi.yaml"),
        str(EXAMPLES / "billing" / "asyncapi.yaml"),
    )
    assert status == 0
    assert [(f["level"], f["events"]) for f in found] == [("info", ["billing.invoice.issued"])]


def test_the_coupon_breaks_billing_and_says_so_with_an_example(repo: Path) -> None:
    add_coupon(repo)
    # Billing as deployed (its committed document, which reads the committed orders one)
    # against the orders document with the coupon.
    status, out, err = run("contracts", "orders/asyncapi.yaml", "HEAD:billing/asyncapi.yaml")
    assert status == 1, err
    [line] = [line for line in out.splitlines() if ": breaking: " in line]
    assert line.startswith("orders/asyncapi.yaml:")
    assert line.endswith("(#/components/schemas/Order/properties/coupon)")
    assert "described by orders and refused by billing (additionalProperties: false)" in line
    assert "billing refuses some messages orders may send on 'shop.order.created'" in line
    example = json.loads(line.split("for example billing refuses ", 1)[1].rsplit(". (#", 1)[0])
    assert example["coupon"] == "a"
    assert example["orderId"] == "0b8f3c1e-4f4e-4a4e-9a4e-0b8f3c1e4f4e"
    assert out.splitlines()[-1] == (
        "contracts of orders (orders/asyncapi.yaml), billing (HEAD:billing/asyncapi.yaml): "
        "1 breaking, 0 compatible, 1 info."
    )


def test_routes_that_do_not_meet_are_breaking(tmp_path: Path) -> None:
    specs = _fleet(
        tmp_path,
        _service("maker", "send", OBJECT, exchange="shop"),
        _service("taker", "receive", OBJECT, exchange="other"),
    )
    status, found = findings("contracts", *specs)
    assert status == 1
    [problem] = [f for f in found if f["level"] == "breaking"]
    assert "taker receives 'shop.event', which maker sends" in problem["message"]
    assert (
        "publishes it to the exchange 'shop', and the queue is bound to 'other'"
        in problem["message"]
    )
    assert problem["file"] == specs[1]
    assert problem["pointer"] == "/operations/it"


def test_routing_uses_the_topic_rule(tmp_path: Path) -> None:
    specs = _fleet(
        tmp_path,
        _service("maker", "send", OBJECT, address="shop.{region}.event"),
        _service("taker", "receive", OBJECT, address="shop.eu.event"),
        _service("other", "receive", OBJECT, address="shop.*.other"),
    )
    status, found = findings("contracts", *specs)
    assert status == 0
    # taker's literal binding meets one of maker's keys; other's pattern meets none.
    assert [f["message"] for f in found] == [
        "other receives 'shop.*.other', and no document given sends it there."
    ]


def test_a_message_type_the_consumer_lacks_is_parked_as_unknown(tmp_path: Path) -> None:
    specs = _fleet(
        tmp_path,
        _service("maker", "send", OBJECT, message_type="event.v2"),
        _service("taker", "receive", OBJECT),
    )
    status, found = findings("contracts", *specs)
    assert status == 1
    [problem] = found
    assert (
        "with the AMQP type 'event.v2', and taker has no message of that type" in problem["message"]
    )
    assert "parks every one as unknown-event" in problem["message"]


def test_an_example_the_consumer_cannot_decode_is_breaking(tmp_path: Path) -> None:
    narrow = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[0-9]+$"}}}
    specs = _fleet(
        tmp_path,
        _service("maker", "send", OBJECT, examples=[{"code": "A-1"}]),
        _service("taker", "receive", narrow),
    )
    status, found = findings("contracts", *specs)
    assert status == 1
    by_pointer = {f["pointer"]: f for f in found}
    example = by_pointer["/components/messages/Event/examples/0/payload"]
    assert (
        "Example 1 of the message 'Event' does not decode with taker's generated code"
        in (example["message"])
    )
    assert "invalid at /code: the value must match pattern" in example["message"]
    assert example["example"] == {"code": "A-1"}
    # The producer says nothing of a pattern: the place is the consumer's.
    pattern = by_pointer["/components/messages/Event/payload/properties/code/pattern"]
    assert pattern["file"] == specs[1]
    assert pattern["message"].startswith('Only taker has the pattern "^[0-9]+$"')
    assert pattern["example"] == {"code": ""}


def test_one_exchange_declared_two_ways_is_refused(tmp_path: Path) -> None:
    specs = _fleet(
        tmp_path,
        _service("maker", "send", OBJECT, kind="topic"),
        _service("taker", "receive", OBJECT, kind="direct", address="shop.event"),
    )
    status, found = findings("contracts", *specs)
    assert status == 1
    assert any(
        "taker declares the exchange 'shop' as direct" in f["message"]
        and "RabbitMQ refuses the second declaration" in f["message"]
        for f in found
    )


def test_a_narrower_producer_is_fine(tmp_path: Path) -> None:
    narrow = {"type": "object", "properties": {"code": {"type": "string", "maxLength": 3}}}
    specs = _fleet(
        tmp_path,
        _service("maker", "send", narrow, examples=[{"code": "abc"}]),
        _service("taker", "receive", OBJECT),
    )
    assert findings("contracts", *specs) == (0, [])


def test_an_invalid_document_is_a_located_error(tmp_path: Path) -> None:
    broken = _service("maker", "send", {"type": "object", "minProperties": -1})
    specs = _fleet(tmp_path, broken, _service("taker", "receive", OBJECT))
    status, out, err = run("contracts", *specs)
    assert status == 2
    assert out == ""
    assert err.startswith(specs[0] + ":")
    assert "(#/components/messages/Event/payload/minProperties)" in err
    assert "Traceback" not in err
