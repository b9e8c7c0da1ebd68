"""Forged bookkeeping headers: what an outside producer writes into ``x-amqp-events-*``.

Each test sends a message that carries one of the runtime's own headers with a forged
value, through the event exchange and straight into the handler queue through the
default exchange, beside a twin without it; the forged one must be treated exactly
like its twin.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
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

EVENT = "shop.order.paid"
OTHER = "shop.order.refunded"


def _send(
    broker: Broker,
    service: Service,
    message_id: str,
    action: str,
    forged: dict[str, Any],
    *,
    straight: bool = False,
) -> None:
    """Publish through the event exchange, or ``straight`` into the handler queue."""
    body = json.dumps({"id": message_id, "action": action}).encode()
    exchange, routing_key = ("", service.queue(EVENT)) if straight else (service.exchange, EVENT)
    broker.publish(
        exchange,
        routing_key,
        body,
        content_type="application/json",
        message_id=message_id,
        application_headers={"tenant": "acme", **forged},
    )


def _calls(service: Service, message_id: str) -> list[dict[str, Any]]:
    return [c for c in service.records() if c["id"] == message_id]


def test_a_forged_attempt_counter_skips_no_retry(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("attempt", (EVENT,), retry="0.2,0.2")
    start_worker(service)
    forged = {wire.ATTEMPT: 2}
    _send(broker, service, "twin", "fail", {})
    _send(broker, service, "forged", "fail", forged)
    _send(broker, service, "forged-straight", "fail", forged, straight=True)

    wait_for(lambda: broker.depth(service.archive) == 3, timeout=20, what="three archived")
    for message_id in ("twin", "forged", "forged-straight"):
        assert [c["attempt"] for c in _calls(service, message_id)] == [1, 2, 3], message_id
    parked = {m.message_id: m for m in Archive.for_app(build_app(service.env)).list()}
    assert {k: m.attempts for k, m in parked.items()} == {
        "twin": 3,
        "forged": 3,
        "forged-straight": 3,
    }
    record("forged attempt counter", "3 of 3 messages ran 3 attempts (1 + 2 retries)")


def test_a_forged_delivery_counter_does_not_archive_on_the_first_lost_worker(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("deliveries", (EVENT,), delivery_limit=2)
    start_worker(service, concurrency=1)
    # Every delivery kills the pool process running it; the worker replaces it.
    _send(broker, service, "twin", "kill", {})
    wait_for(lambda: broker.depth(service.archive) == 1, timeout=60, what="the twin archived")
    _send(broker, service, "forged", "kill", {wire.DELIVERIES: 50})
    wait_for(lambda: broker.depth(service.archive) == 2, timeout=60, what="the forged archived")

    twin, forged = len(_calls(service, "twin")), len(_calls(service, "forged"))
    assert twin >= 2, "the twin ran more than once before its delivery limit"
    assert forged == twin, f"{forged} deliveries of the forged message, {twin} of its twin"
    parked = {m.message_id: m for m in Archive.for_app(build_app(service.env)).list()}
    assert {m.reason for m in parked.values()} == {"delivery-limit"}
    record("forged delivery counter", f"{forged} deliveries, as its twin: {twin}")


@pytest.mark.parametrize(
    ("header", "field"),
    [(wire.ORIGINAL_ROUTING_KEY, "routing_key"), (wire.ORIGINAL_EXCHANGE, "exchange")],
    ids=["routing-key", "exchange"],
)
def test_a_forged_origin_is_not_what_handlers_see_on_any_attempt(
    header: str,
    field: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("origin", (EVENT,), retry="0.2")
    start_worker(service)
    forged = {header: "shop.spoofed"}
    _send(broker, service, "forged", "fail", forged)
    _send(broker, service, "forged-straight", "fail", forged, straight=True)

    wait_for(lambda: broker.depth(service.archive) == 2, timeout=20, what="two archived")
    truth = {
        "forged": {"routing_key": EVENT, "exchange": service.exchange},
        "forged-straight": {"routing_key": service.queue(EVENT), "exchange": ""},
    }
    for message_id, where in truth.items():
        calls = _calls(service, message_id)
        assert len(calls) == 2, "the first attempt and one retry"
        assert [c[field] for c in calls] == [where[field]] * 2, message_id
        assert all(c["headers"] == {"tenant": "acme"} for c in calls)
    parked = {m.message_id: m for m in Archive.for_app(build_app(service.env)).list()}
    assert parked["forged"].headers[header] == truth["forged"][field]
    record(f"forged {field} header", "0 of 4 handler calls saw the forged value")


def test_a_message_published_into_the_archive_cannot_steer_a_replay(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("replay", (EVENT, OTHER), retry="")
    service.flag.touch()  # its handler fails while the flag exists
    start_worker(service)
    app = build_app(service.env)
    _send(broker, service, "ours", "fail-while-flag", {wire.QUEUE: service.queue(OTHER)})
    wait_for(lambda: broker.depth(service.archive) == 1, timeout=15, what="the archived event")
    # An outside producer writes a look-alike of an archived message into the archive.
    broker.publish(
        "",
        service.archive,
        b'{"id": "planted"}',
        content_type="application/json",
        message_id="planted",
        application_headers={
            wire.QUEUE: service.queue(OTHER),
            wire.EVENT: OTHER,
            wire.REASON: "handler-failed",
            wire.ATTEMPT: 3,
        },
    )

    archive = Archive.for_app(app)
    service.flag.unlink()
    result = archive.replay()
    assert sorted(m.message_id or "" for m in result.replayed) == ["ours"]
    assert [(m.message_id, "not archived by" in why) for m, why in result.failed] == [
        ("planted", True)
    ]
    wait_for(lambda: service.ids() == ["ours"], timeout=10, what="the replayed event")
    assert [c["event"] for c in service.records()] == [EVENT, EVENT]
    [kept] = archive.list()
    assert kept.message_id == "planted", "kept in the archive for an operator to look at"
    assert kept.queue is None, "a planted message names no handler queue"
    record("forged replay queue", "planted message: 0 deliveries to another handler, kept")


def test_forged_headers_are_not_believed_after_the_isolation_lane(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("lane", (EVENT, OTHER), retry="0.2,0.2", delivery_limit=2)
    worker = start_worker(service, concurrency=1)
    forged = {
        wire.ATTEMPT: 2,
        wire.DELIVERIES: 50,
        wire.ORIGINAL_ROUTING_KEY: "shop.spoofed",
        wire.ORIGINAL_EXCHANGE: "spoofed",
        wire.QUEUE: service.queue(OTHER),
    }
    truth = {
        "forged": (EVENT, service.exchange),
        "forged-straight": (service.queue(EVENT), ""),
    }
    # Each kills the whole worker on its first delivery (a death nobody can attribute,
    # so it moves to the isolation lane) and again from the lane (a death that counts),
    # then fails every attempt. One at a time, restarted as a supervisor would.
    for parked_before, message_id in enumerate(truth):
        _send(
            broker,
            service,
            message_id,
            "kill-worker-then-fail:2",
            forged,
            straight=message_id.endswith("straight"),
        )
        deadline = time.monotonic() + 90
        while broker.depth(service.archive) == parked_before and time.monotonic() < deadline:
            if not worker.running:
                worker.start()
            time.sleep(0.2)
    wait_for(lambda: broker.depth(service.archive) == 2, timeout=10, what="two archived")

    for message_id, (routing_key, exchange) in truth.items():
        calls = _calls(service, message_id)
        assert [c["attempt"] for c in calls] == [1, 1, 1, 2, 3], message_id
        assert {c["event"] for c in calls} == {EVENT}, "the lane kept its own handler"
        assert {(c["routing_key"], c["exchange"]) for c in calls} == {(routing_key, exchange)}
        assert all(c["headers"] == {"tenant": "acme"} for c in calls)
    parked = {m.message_id: m for m in Archive.for_app(build_app(service.env)).list()}
    for message_id in truth:
        message = parked[message_id]
        assert (message.reason, message.attempts) == ("handler-failed", 3), message_id
        assert message.bookkeeping[wire.DELIVERIES] == 1, "one counted death, not 51"
        assert message.queue == service.queue(EVENT)
    assert broker.depth(build_app(service.env).names.isolation_queue) == 0
    record(
        "forged headers through the isolation lane",
        "2 of 2 messages: 3 attempts, 1 counted death, their own handler and origin",
    )
