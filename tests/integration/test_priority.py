"""Event priorities: a handler queue with max_priority hands out a backlog by priority."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from amqp_events import IncomingEvent, TopologyError, events_app
from amqp_events.declare import declare, plan
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.ticket.opened"
PRIORITIES = (3, 0, 7, 1, 9, 4, 8, 2, 6, 5)


def _handled_in_order(
    service: Service, broker: Broker, start_worker: Callable[..., WorkerProcess]
) -> list[int]:
    """Publish a backlog before any worker runs, then let one process handle it."""
    declare(build_app(service.env).topology(), broker.connection)
    for priority in PRIORITIES:
        broker.publish(
            service.exchange,
            EVENT,
            f'{{"id": "p{priority}"}}'.encode(),
            content_type="application/json",
            priority=priority,
        )
    wait_for(
        lambda: broker.depth(service.queue(EVENT)) == len(PRIORITIES), timeout=10, what="a backlog"
    )
    start_worker(service, concurrency=1)
    wait_for(lambda: len(service.ids()) == len(PRIORITIES), timeout=20, what="the backlog handled")
    return [int(str(r["id"])[1:]) for r in service.records()]


def test_a_handler_queue_with_max_priority_hands_out_its_backlog_highest_first(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("ordered", (EVENT,), max_priority=9)
    handled = _handled_in_order(service, broker, start_worker)
    assert handled == sorted(PRIORITIES, reverse=True)
    record("max_priority 9", f"a backlog of 10 handled in priority order {handled}")


def test_without_max_priority_a_backlog_is_handled_in_arrival_order(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("fifo", (EVENT,))
    assert _handled_in_order(service, broker, start_worker) == list(PRIORITIES)


def test_asking_an_existing_queue_for_priorities_is_a_conflict_that_plan_shows(
    amqp_url: str, broker: Broker, unique: str
) -> None:
    def app_with(max_priority: int | None):  # type: ignore[no-untyped-def]
        app = events_app(unique, broker_url=amqp_url, exchange=f"{unique}-events")
        app.add_handler(
            IncomingEvent(
                name=EVENT, decode=lambda data, delivery: data, max_priority=max_priority
            ),
            lambda payload, delivery: None,
        )
        return app

    before = app_with(None).topology()
    declare(before, broker.connection)
    try:
        after = app_with(5).topology()
        [conflict] = [item for item in plan(after, broker.connection) if item.action == "conflict"]
        assert conflict.name == f"{unique}.{EVENT}"
        assert "x-max-priority" in conflict.detail
        with pytest.raises(TopologyError, match=f"'{unique}.{EVENT}' already exists"):
            declare(after, broker.connection)
    finally:
        broker.delete(before)
