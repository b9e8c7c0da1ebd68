"""Parked messages stay parked: a deleted archive, a producer's expiration, a transient mode."""

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
    broker: Broker,
    service: Service,
    message_id: str,
    action: str,
    *,
    delay: float | None = None,
    **properties: Any,
) -> None:
    payload: dict[str, Any] = {"id": message_id, "action": action}
    if delay is not None:
        payload["delay"] = delay
    body = json.dumps(payload).encode()
    properties.setdefault("content_type", "application/json")
    broker.publish(service.exchange, EVENT, body, message_id=message_id, **properties)


def test_failed_events_are_parked_when_the_archive_queue_was_deleted_under_the_worker(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("deleted", (EVENT,), retry="0.2")
    worker = start_worker(service)
    app = build_app(service.env)
    bucket = app.names.retry_bucket(200)
    channel = broker.connection.channel()
    channel.queue_delete(service.archive)  # an operator "cleans up" a queue without consumers
    channel.queue_delete(bucket)
    channel.close()

    sent = [f"p{n}" for n in range(3)] + [f"f{n}" for n in range(3)]
    for message_id in sent:
        _send(broker, service, message_id, "permanent" if message_id[0] == "p" else "fail")

    wait_for(
        lambda: broker.exists(service.archive) and broker.depth(service.archive) == len(sent),
        timeout=30,
        what=f"{len(sent)} parked messages",
    )
    parked = {m.message_id or "": m for m in Archive.for_app(app).list()}
    assert sorted(parked) == sorted(sent), "every failed event is in the archive"
    assert {k: m.reason for k, m in parked.items()} == {
        **{f"p{n}": "permanent-failure" for n in range(3)},
        **{f"f{n}": "handler-failed" for n in range(3)},
    }
    assert all(m.attempts == 2 for k, m in parked.items() if k[0] == "f"), "retried once"
    assert broker.depth(service.queue(EVENT)) == 0
    assert "Declared the topology of service" in worker.tail(200)
    record("archive queue deleted under a worker", f"{len(parked)} of {len(sent)} parked, 0 lost")


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


def test_a_failed_event_stays_in_its_queue_while_its_archive_cannot_be_declared_again(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("kept", (EVENT,), retry="")
    worker = start_worker(service, concurrency=1)
    app = build_app(service.env)
    recover = app.names.recover_exchange
    # The archive is deleted, and an exchange of another type in the recover exchange's
    # place makes declaring the topology again fail: nothing can park the event.
    channel = broker.connection.channel()
    channel.queue_delete(service.archive)
    channel.exchange_delete(recover)
    channel.exchange_declare(recover, "fanout", durable=True, auto_delete=False)
    channel.close()

    _send(broker, service, "k1", "permanent")
    wait_for(lambda: len(service.records()) >= 3, timeout=15, what="the event tried again")
    assert "returning the message to its queue" in worker.tail(200)
    assert not broker.exists(service.archive)

    broker.delete_exchange(recover)  # an operator removes the impostor
    wait_for(
        lambda: broker.exists(service.archive) and broker.depth(service.archive) == 1,
        timeout=30,
        what="the event parked once the topology could be declared",
    )
    [parked] = Archive.for_app(app).list()
    assert (parked.message_id, parked.reason) == ("k1", "permanent-failure")
    wait_for(lambda: broker.depth(service.queue(EVENT)) == 0, timeout=10, what="an empty queue")
    tries = len(service.records())
    record(
        "archive missing and not declarable", f"kept in its queue for {tries} tries, then parked"
    )


def _delete_archive(broker: Broker, service: Service) -> None:
    channel = broker.connection.channel()
    channel.queue_delete(service.archive)
    channel.close()


def test_copies_from_the_isolation_lane_and_counted_deaths_are_parked_when_the_archive_was_deleted(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("lane-deleted", (EVENT,), retry="", delivery_limit=1)
    worker = start_worker(service, concurrency=1)
    archive = Archive.for_app(build_app(service.env))

    # A pool process that dies twice: the second counted death sends the archive copy
    # through the worker's relay, which finds the archive gone.
    _delete_archive(broker, service)
    _send(broker, service, "killer", "kill")
    wait_for(
        lambda: broker.exists(service.archive) and broker.depth(service.archive) == 1,
        timeout=30,
        what="the killer parked",
    )
    [killer] = archive.list()
    assert (killer.message_id, killer.reason) == ("killer", "delivery-limit")

    # A message that killed the whole worker fails from the isolation lane: its archive
    # copy finds the archive gone again (an operator who keeps deleting it).
    _send(broker, service, "lane", "kill-worker-then-fail:1", delay=1.5)
    wait_for(lambda: not worker.running, timeout=20, what="the whole worker killed")
    worker.start()
    wait_for(
        lambda: len([c for c in service.records() if c["id"] == "lane"]) == 2,
        timeout=30,
        what="the call from the lane",
    )
    _delete_archive(broker, service)  # the killer's copy goes with it
    wait_for(
        lambda: broker.exists(service.archive) and broker.depth(service.archive) == 1,
        timeout=30,
        what="the lane message parked",
    )
    [lane] = archive.list()
    assert (lane.message_id, lane.reason, lane.queue) == (
        "lane",
        "handler-failed",
        service.queue(EVENT),
    )
    assert worker.tail(400).count("Declared the topology of service") >= 2
    assert broker.depth(service.queue(EVENT)) == 0
    assert broker.depth(build_app(service.env).names.isolation_queue) == 0
    record(
        "archive deleted, lane and relay copies",
        "a counted death and a lane message each parked after the archive was deleted: 2 of 2",
    )


def test_a_message_in_the_isolation_lane_outlives_the_producers_expiration(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("lane-ttl", (EVENT,), retry="", delivery_limit=1)
    worker = start_worker(service, concurrency=1)
    # The first death moves it to the lane; the second, from the lane, leaves the lane
    # copy there, ready, with no worker, for longer than the producer's expiration.
    _send(broker, service, "m1", "kill-worker-then-fail:2", expiration="4000", delivery_mode=1)
    for deaths in (1, 2):
        wait_for(lambda: not worker.running, timeout=30, what="the whole worker killed")
        assert len(service.records()) == deaths
        if deaths == 2:
            time.sleep(5)
        worker.start()
    wait_for(lambda: broker.depth(service.archive) == 1, timeout=30, what="the parked event")
    [parked] = Archive.for_app(build_app(service.env)).list()
    assert parked.reason == "handler-failed", "parked by the worker, not expired"
    assert "expiration" not in parked.properties
    assert parked.properties["delivery_mode"] == 2
    assert parked.headers[wire.ORIGINAL_EXPIRATION] == "4000"
    assert parked.headers[wire.ORIGINAL_DELIVERY_MODE] == 1
    calls = service.records()
    assert len(calls) == 3
    assert [c["expiration"] for c in calls] == ["4000"] * 3, "handlers see what was sent"
    record(
        "producer expiration on lane copies",
        "4 s expiration, 5 s in the lane with no worker: parked by the worker as handler-failed",
    )
