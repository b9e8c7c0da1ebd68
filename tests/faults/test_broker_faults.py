"""The broker restarts or blocks publishers: nothing confirmed is lost, nothing hangs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from amqp_events import PublishError, PublishTimeoutError, events_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.private_node import PrivateNode
from tests.support.workers import WorkerProcess

pytestmark = [pytest.mark.broker, pytest.mark.slow]

EVENT = "shop.order.created"


def test_a_broker_restart_loses_no_confirmed_event_and_workers_reconnect_by_themselves(
    private_node: PrivateNode,
    node_broker: Broker,
    unique: str,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("restart", (EVENT,), url=private_node.url)
    worker = start_worker(service, via=node_broker)
    assert worker.process is not None
    worker_pid = worker.process.pid
    shop = events_app(
        f"{unique}-shop", broker_url=private_node.url, exchange=service.exchange, publish_timeout=3
    )

    @shop.event(EVENT)
    def order_created(id: str) -> None:
        """An order was placed."""

    confirmed: list[str] = []
    raised: list[str] = []

    def produce() -> None:
        for n in range(1500):
            order_id = f"o-{n}"
            try:
                order_created(id=order_id)
            except PublishError:
                raised.append(order_id)
            else:
                confirmed.append(order_id)
            time.sleep(0.002)

    producer = threading.Thread(target=produce)
    producer.start()
    wait_for(lambda: len(confirmed) >= 300, timeout=60, what="300 confirmed events")
    private_node.stop_app()
    time.sleep(3)
    private_node.start_app()
    producer.join(timeout=300)
    assert not producer.is_alive()
    shop.publisher.close()

    wait_for(
        lambda: set(confirmed) <= set(service.ids()),
        timeout=120,
        what="every confirmed event to be handled after the restart",
    )
    handled = service.ids()
    assert raised, "some fires fell into the outage and raised instead of pretending"
    assert worker.process is not None
    assert worker.running
    assert worker.process.pid == worker_pid, "the same worker process reconnected"
    record(
        "broker restart",
        f"{len(confirmed) + len(raised)} fired: {len(confirmed)} confirmed, {len(raised)} raised; "
        f"{len(set(handled))} handled ({len(handled) - len(set(handled))} duplicates), "
        f"{len(set(confirmed) - set(handled))} confirmed lost",
    )


def test_a_blocked_broker_makes_fire_raise_a_timeout_instead_of_hanging(
    private_node: PrivateNode, node_broker: Broker, unique: str
) -> None:
    app = events_app(
        unique, broker_url=private_node.url, exchange=f"{unique}-events", publish_timeout=2
    )

    @app.event("shop.ping")
    def ping(n: int) -> None:
        """A ping."""

    ping(1)
    private_node.ctl("set_vm_memory_high_watermark", "absolute", "1")
    try:
        started = time.monotonic()
        with pytest.raises(PublishTimeoutError, match="blocked this connection") as raised:
            ping(2)
        elapsed = time.monotonic() - started
        assert elapsed < 6, f"fire took {elapsed:.1f} s with a 2 s timeout"
        record(
            "blocked broker",
            f"fire raised PublishTimeoutError after {elapsed:.1f} s (publish_timeout 2 s)",
        )
        assert "may or may not have been delivered" in str(raised.value)
    finally:
        private_node.ctl("set_vm_memory_high_watermark", "0.4")
    wait_for(lambda: _fires(ping), timeout=30, what="publishing to work after the alarm cleared")
    app.publisher.close()


def _fires(ping: Callable[[int], str]) -> bool:
    try:
        ping(3)
    except PublishError:
        return False
    return True


def test_a_memory_alarm_does_not_stall_a_worker_that_finds_redelivered_messages(
    private_node: PrivateNode,
    node_broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("alarmed", (EVENT,), url=private_node.url)
    queue = service.queue(EVENT)
    worker = start_worker(service, via=node_broker)
    held = [f"held-{n}" for n in range(4)]
    for event_id in held:
        node_broker.publish(
            service.exchange, EVENT, f'{{"id": "{event_id}", "action": "sleep:2"}}'.encode()
        )
    wait_for(lambda: len(service.records()) >= 1, timeout=20, what="a handler to start")
    worker.kill()  # every message it held comes back redelivered
    fresh = ["fresh-1", "fresh-2"]
    for event_id in fresh:
        node_broker.publish(service.exchange, EVENT, f'{{"id": "{event_id}"}}'.encode())

    private_node.ctl("set_vm_memory_high_watermark", "absolute", "1")
    try:
        worker.start()
        worker.wait_consuming(node_broker, queue)
        started = time.monotonic()
        wait_for(
            lambda: set(fresh) <= set(service.ids()),
            timeout=60,
            what="the fresh events to be handled during the alarm",
        )
        stall = time.monotonic() - started
    finally:
        private_node.ctl("set_vm_memory_high_watermark", "0.4")
    # With the redelivered messages' copies waiting for their confirms on the consumer
    # loop, the fresh events waited 10 s (publish_timeout) per redelivered message.
    assert stall < 5, f"the fresh events waited {stall:.1f} s behind the redelivered ones"
    wait_for(
        lambda: set(held + fresh) <= set(service.ids()),
        timeout=60,
        what="the redelivered events once the alarm cleared",
    )
    worker.stop()
    done = service.ids()
    assert sorted(done) == sorted(held + fresh), "each handled once, none parked"
    assert node_broker.depth(service.archive) == 0
    record(
        "memory alarm at restart",
        f"{len(held)} redelivered + {len(fresh)} fresh events: fresh handled {stall:.1f} s "
        "after the worker consumed (publish_timeout 10 s); after the alarm cleared all "
        f"{len(done)} handled once, 0 archived",
    )
