"""Quorum queues: the same retry ladder and archive, with the broker bounding poison messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from amqp_events.archive import Archive
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.invoice.issued"


def test_quorum_queues_retry_archive_and_bound_a_worker_killing_message(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service(
        "ledger", (EVENT,), retry="0.3", delivery_limit=2, queue_type="quorum"
    )
    start_worker(service)
    broker.publish(
        service.exchange,
        EVENT,
        b'{"id": "fails", "action": "fail"}',
        content_type="application/json",
        message_id="fails",
    )
    broker.publish(
        service.exchange,
        EVENT,
        b'{"id": "kills", "action": "kill"}',
        content_type="application/json",
        message_id="kills",
    )
    broker.publish(
        service.exchange, EVENT, b'{"id": "ok"}', content_type="application/json", message_id="ok"
    )

    wait_for(lambda: broker.depth(service.archive) == 2, timeout=40, what="two parked messages")
    wait_for(lambda: service.ids() == ["ok"], timeout=10, what="the good event")
    parked = {m.message_id: m for m in Archive.for_app(build_app(service.env)).list()}
    assert parked["fails"].reason == "handler-failed"
    assert parked["fails"].attempts == 2
    # The worker's main process saw each pool process die and counted it; the broker's
    # x-delivery-limit (a backstop) never saw a return.
    assert parked["kills"].reason == "delivery-limit"
    assert parked["kills"].queue == service.queue(EVENT), "replay knows where it belongs"
    assert service.ids("call").count("kills") == 3
