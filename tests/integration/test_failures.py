"""Failure semantics against a real broker: retry ladder, archive, replay, bad input."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from typing import Any

import pytest

from amqp_events import wire
from amqp_events.archive import Archive
from amqp_events.declare import declare
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.payment.received"
POOLS = ["prefork", "threads", "solo", "gevent", "eventlet"]

ORIGINAL_PROPERTIES: dict[str, Any] = {
    "content_type": "application/json",
    "content_encoding": "utf-8",
    "delivery_mode": 2,
    "priority": 3,
    "message_id": "payment-1",
    "correlation_id": "checkout-42",
    "app_id": "shop",
    "reply_to": "shop.replies",
    "timestamp": 1_700_000_000,
    "application_headers": {"tenant": "acme", "trace-depth": 7},
}


@pytest.mark.parametrize("pool", POOLS)
def test_failing_handler_is_retried_at_the_delays_then_archived_intact_and_replayed_once(
    pool: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    payments = recorder_service("payments", (EVENT,), retry="1,2")
    ledger = recorder_service("ledger", (EVENT,), exchange=payments.exchange)
    payments.flag.touch()  # its handler fails while the flag exists
    start_worker(payments, pool=pool)
    start_worker(ledger)

    body = b'{"id": "p1", "action": "fail-while-flag", "amount": 12.50}'
    broker.publish(payments.exchange, EVENT, body, **ORIGINAL_PROPERTIES)

    wait_for(
        lambda: broker.depth(payments.archive) == 1,
        timeout=20,
        what="the failed event to reach the archive",
    )
    calls = payments.records()
    assert [c["attempt"] for c in calls] == [1, 2, 3]
    gaps = [float(b["t"]) - float(a["t"]) for a, b in pairwise(calls)]
    for gap, delay in zip(gaps, (1.0, 2.0), strict=True):
        assert delay - 0.05 <= gap <= delay + 0.75, f"attempt gap {gap:.3f} s for a {delay} s delay"
    assert all(c["routing_key"] == EVENT for c in calls), "handlers see the original routing key"
    assert ledger.ids() == ["p1"], "the other service saw no retry"

    archive = Archive.for_app(build_app(payments.env))
    [parked] = archive.list()
    assert parked.body == body
    headers = dict(parked.headers)
    ours = {k: headers.pop(k) for k in list(headers) if k.startswith(wire.HEADER_PREFIX)}
    assert headers == ORIGINAL_PROPERTIES["application_headers"]
    original_others = {k: v for k, v in ORIGINAL_PROPERTIES.items() if k != "application_headers"}
    received_others = {k: v for k, v in parked.properties.items() if k != "application_headers"}
    assert received_others == original_others
    assert ours[wire.REASON] == "handler-failed"
    assert ours[wire.ATTEMPT] == 3
    assert ours[wire.EXCEPTION] == "RuntimeError"
    assert "flag" in str(ours[wire.ERROR])
    assert "RuntimeError" in str(ours[wire.TRACEBACK])
    assert ours[wire.ORIGINAL_EXCHANGE] == payments.exchange
    assert ours[wire.ORIGINAL_ROUTING_KEY] == EVENT
    assert ours[wire.QUEUE] == payments.queue(EVENT)
    first = datetime.fromisoformat(str(ours[wire.FIRST_FAILURE]))
    last = datetime.fromisoformat(str(ours[wire.LAST_FAILURE]))
    assert 2.5 <= (last - first).total_seconds() <= 5

    payments.flag.unlink()  # the fix is deployed
    result = archive.replay()
    assert [m.message_id for m in result.replayed] == ["payment-1"]
    wait_for(lambda: payments.ids() == ["p1"], timeout=10, what="the replayed event to be handled")
    time.sleep(0.5)
    assert [c["attempt"] for c in payments.records()] == [1, 2, 3, 1], "attempts start afresh"
    assert payments.records()[-1]["headers"] == {"tenant": "acme", "trace-depth": "7"}
    assert broker.depth(payments.archive) == 0
    assert ledger.ids() == ["p1"], "the replay went to the owning service only"


def test_bad_messages_go_straight_to_the_archive_with_a_reason_and_the_worker_goes_on(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("orders", (EVENT,), retry="0.2")
    worker = start_worker(service)
    queue = service.queue(EVENT)
    json_props: dict[str, Any] = {"content_type": "application/json"}
    broker.publish("", queue, b'{"amount": 1}', message_id="no-id", **json_props)
    broker.publish("", queue, b'{"id": 7}', message_id="wrong-type", **json_props)
    broker.publish("", queue, b"\xff\xfe not json", message_id="garbage", **json_props)
    broker.publish("", queue, b'{"id": "x"}', message_id="text", content_type="text/plain")
    broker.publish("", queue, b'{"id": "y"}', message_id="other-event", type="shop.refund.issued")
    broker.publish(service.exchange, EVENT, b'{"id": "good"}', message_id="good", **json_props)

    wait_for(lambda: service.ids() == ["good"], timeout=15, what="the good event")
    wait_for(lambda: broker.depth(service.archive) == 5, timeout=10, what="five parked messages")
    parked = {m.message_id: m for m in Archive.for_app(build_app(service.env)).list()}
    assert {k: m.reason for k, m in parked.items()} == {
        "no-id": "invalid-payload",
        "wrong-type": "invalid-payload",
        "garbage": "undecodable",
        "text": "unsupported-content",
        "other-event": "unknown-event",
    }
    assert all(m.attempts == 1 for m in parked.values()), "no retries for bad input"
    assert "'shop.refund.issued'" in str(parked["other-event"].error)
    assert "not UTF-8 JSON" in str(parked["garbage"].error)
    assert service.records() == [r for r in service.records() if r["id"] == "good"]
    assert worker.running


def test_a_retry_copy_the_broker_refuses_parks_the_original_and_the_next_retry_works(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("refused", (EVENT,), retry="30")
    worker = start_worker(service)
    assert worker.process is not None
    pid = worker.process.pid
    app = build_app(service.env)
    bucket = app.names.retry_bucket(30_000)
    # Someone re-creates the retry exchange with another type: the retry copy is now
    # unroutable, and declaring the topology again fails on the conflict.
    broker.delete_exchange(bucket)
    channel = broker.connection.channel()
    channel.exchange_declare(bucket, "direct", durable=True, auto_delete=False)
    channel.close()

    broker.publish(service.exchange, EVENT, b'{"id": "r1", "action": "fail"}', message_id="r1")
    wait_for(lambda: broker.depth(service.archive) == 1, timeout=15, what="the rejected event")
    [parked] = Archive.for_app(app).list()
    assert parked.message_id == "r1"
    assert parked.reason == "dead-lettered:rejected", "rejected to the queue's dead-letter route"
    assert parked.body == b'{"id": "r1", "action": "fail"}'
    assert broker.depth(service.queue(EVENT)) == 0, "not requeued into a loop"
    assert broker.depth(bucket) == 0
    assert "Could not retry a message" in worker.tail()

    broker.delete_exchange(bucket)  # an operator restores the topology
    declare(app.topology(), broker.connection)
    broker.publish(service.exchange, EVENT, b'{"id": "r2", "action": "fail"}', message_id="r2")
    wait_for(lambda: broker.depth(bucket) == 1, timeout=15, what="the next retry copy")
    assert broker.depth(service.archive) == 1
    assert [c["id"] for c in service.records()] == ["r1", "r2"]
    assert worker.running and worker.process.pid == pid


@pytest.mark.parametrize("pool", ["prefork", "gevent"])
def test_a_handler_past_its_hard_time_limit_is_retried_then_archived_with_the_timeout(
    pool: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("slow", (EVENT,), retry="0.5", time_limit=1.0)
    worker = start_worker(service, pool=pool)
    broker.publish(service.exchange, EVENT, b'{"id": "s1", "action": "sleep:30"}', message_id="s1")
    broker.publish(service.exchange, EVENT, b'{"id": "quick"}', message_id="quick")

    wait_for(lambda: broker.depth(service.archive) == 1, timeout=30, what="the slow event parked")
    [parked] = Archive.for_app(build_app(service.env)).list()
    assert parked.message_id == "s1"
    assert parked.reason == "handler-failed"
    assert parked.attempts == 2, "one attempt and one retry, as the policy says"
    assert "TimeLimitExceeded" in str(parked.error)
    assert "hard time limit of 1 s" in str(parked.error)
    slow = [c for c in service.records() if c["id"] == "s1"]
    assert [c["attempt"] for c in slow] == [1, 2], worker.tail(80)
    assert [r["id"] for r in service.records("done")] == ["quick"]
    assert broker.depth(service.queue(EVENT)) == 0
    assert worker.running


@pytest.mark.parametrize(
    ("pool", "ignored"),
    [
        ("threads", ["time_limit", "soft_time_limit"]),
        ("solo", ["time_limit", "soft_time_limit"]),
        ("eventlet", ["time_limit", "soft_time_limit"]),
        ("gevent", ["soft_time_limit"]),
    ],
)
def test_a_pool_that_ignores_a_handlers_time_limit_says_so_when_the_worker_starts(
    pool: str,
    ignored: list[str],
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service(
        "unlimited", (EVENT,), retry="0.2", time_limit=3.0, task_options={"soft_time_limit": 0.3}
    )
    worker = start_worker(service, pool=pool)
    broker.publish(service.exchange, EVENT, b'{"id": "u1", "action": "sleep:1"}', message_id="u1")
    wait_for(lambda: service.ids() == ["u1"], timeout=20, what="the event handled")
    assert [c["attempt"] for c in service.records()] == [1], "it ran past its soft limit"
    log = worker.tail(200)
    for option in ("time_limit", "soft_time_limit"):
        warned = f"The {pool} pool does not enforce {option}=" in log
        assert warned == (option in ignored), (option, log)
    assert broker.depth(service.archive) == 0
