"""Every consuming service gets its own copy of an event; others get none."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from amqp_events import events_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.order.created"


def test_two_services_each_get_exactly_one_copy_and_a_service_without_a_handler_gets_none(
    amqp_url: str,
    broker: Broker,
    unique: str,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    billing = recorder_service("billing", (EVENT,))
    shipping = recorder_service("shipping", (EVENT,), exchange=billing.exchange)
    audit = recorder_service("audit", ("shop.order.shipped",), exchange=billing.exchange)
    for service in (billing, shipping, audit):
        start_worker(service)

    shop = events_app(f"{unique}-shop", broker_url=amqp_url, exchange=billing.exchange)

    @shop.event(EVENT)
    def order_created(id: str) -> None:
        """An order was placed."""

    sent = [f"order-{n}" for n in range(20)]
    for order_id in sent:
        order_created(id=order_id)
    shop.publisher.close()

    def both_done() -> bool:
        return len(billing.ids()) >= 20 and len(shipping.ids()) >= 20

    wait_for(both_done, timeout=30, what="both services to handle 20 events")
    time.sleep(0.5)  # a duplicate, if any, would arrive within this
    assert sorted(billing.ids()) == sorted(sent)
    assert sorted(shipping.ids()) == sorted(sent)
    assert audit.records() == []
    assert broker.depth(audit.queue("shop.order.shipped")) == 0


def test_a_service_fires_an_event_that_it_also_handles_from_inside_a_handler(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("loop", (EVENT, "shop.order.confirmed"))
    start_worker(service)
    broker.publish(
        service.exchange,
        EVENT,
        b'{"id": "o1", "action": "fire:shop.order.confirmed"}',
        content_type="application/json",
    )
    wait_for(
        lambda: sorted(service.ids()) == ["o1", "o1-next"],
        timeout=15,
        what="the event and the one its handler fired",
    )
    [follow_up] = [r for r in service.records("done") if r["id"] == "o1-next"]
    assert follow_up["event"] == "shop.order.confirmed"


def test_an_address_with_a_parameter_inside_a_word_gets_only_its_own_events(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    # MQTT-style addresses are one routing-key word: the queue is bound with '*',
    # which admits every one-word key on the exchange.
    service = recorder_service("lights", ("lights/{id}/on",))
    start_worker(service)
    for key, item in (("lights/7/off", "off"), ("noise", "noise"), ("lights/7/on", "on")):
        broker.publish(service.exchange, key, f'{{"id": "{item}"}}'.encode())
    wait_for(lambda: service.ids() == ["on"], timeout=15, what="the event of the address")
    time.sleep(0.5)
    assert service.ids() == ["on"]
    assert broker.depth(service.archive) == 0, "the other copies are dropped, not parked"
    assert broker.depth(service.queue("lights/{id}/on")) == 0
