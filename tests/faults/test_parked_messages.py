"""Parked messages stay parked: a producer's expiration, a transient delivery mode."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest

from amqp_events import wire
from amqp_events.archive import Archive
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.invoice.sent"


def _send(
    broker: Broker, service: Service, message_id: str, action: str, **properties: Any
) -> None:
    body = json.dumps({"id": message_id, "action": action}).encode()
    properties.setdefault("content_type", "application/json")
    broker.publish(service.exchange, EVENT, body, message_id=message_id, **properties)


def test_archived_copies_outlive_the_producers_expiration_and_are_persistent(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("expiring", (EVENT,), retry="0.2")
    start_worker(service)
    ttl: dict[str, Any] = {"expiration": "1000", "delivery_mode": 1}
    _send(broker, service, "permanent", "permanent", **ttl)
    _send(broker, service, "retried", "fail", **ttl)
    broker.publish(
        service.exchange,
        EVENT,
        b'{"id": "text"}',
        message_id="text",
        content_type="text/plain",
        **ttl,
    )
    wait_for(lambda: broker.depth(service.archive) == 3, timeout=15, what="three parked")
    time.sleep(2.5)  # well past the producer's 1 s expiration

    parked = {m.message_id or "": m for m in Archive.for_app(build_app(service.env)).list()}
    assert sorted(parked) == ["permanent", "retried", "text"], "none expired in the archive"
    for message in parked.values():
        assert "expiration" not in message.properties
        assert message.properties["delivery_mode"] == 2
        assert message.headers[wire.ORIGINAL_EXPIRATION] == "1000"
        assert message.headers[wire.ORIGINAL_DELIVERY_MODE] == 1
    record(
        "producer expiration on archived copies",
        "3 of 3 still archived 2.5 s after a 1 s expiration",
    )


def test_a_retry_waits_its_whole_delay_however_short_the_producers_expiration(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("retry-ttl", (EVENT,), retry="2")
    start_worker(service)
    _send(broker, service, "r1", "fail", expiration="300")
    wait_for(lambda: broker.depth(service.archive) == 1, timeout=15, what="the parked event")
    calls = service.records()
    assert [c["attempt"] for c in calls] == [1, 2]
    [gap] = [float(b["t"]) - float(a["t"]) for a, b in pairwise(calls)]
    assert gap >= 1.9, f"the retry came {gap:.2f} s after the failure, not 2 s"
    assert [c["expiration"] for c in calls] == ["300", "300"], "handlers see what was sent"
    record(
        "producer expiration on retry copies",
        f"300 ms expiration, 2 s retry: came after {gap:.2f} s",
    )
