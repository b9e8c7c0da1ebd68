"""Workers killed with SIGKILL: nothing is lost, and poison messages are bounded."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

import pytest

from amqp_events import events_app
from amqp_events.archive import Archive
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.stock.changed"


def test_a_worker_killed_mid_handler_gets_its_event_redelivered_and_handled(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("stock", (EVENT,))
    worker = start_worker(service)
    broker.publish(
        service.exchange,
        EVENT,
        b'{"id": "s1", "action": "sleep:2"}',
        content_type="application/json",
        message_id="s1",
    )
    wait_for(lambda: service.ids("call") == ["s1"], timeout=10, what="the handler to start")
    worker.kill()
    assert service.ids() == [], "the handler did not finish before the kill"

    worker.start()
    wait_for(lambda: service.ids() == ["s1"], timeout=20, what="the redelivered event to finish")
    worker.stop()
    calls = service.records()
    assert len(calls) == 2
    assert calls[1]["headers"] == {}, "the delivery counter is not shown to handlers"
    assert broker.depth(service.queue(EVENT)) == 0
    assert broker.depth(service.archive) == 0


def test_thousand_events_survive_random_sigkills_of_the_worker(
    amqp_url: str,
    broker: Broker,
    unique: str,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("bulk", (EVENT,))  # the default delivery limit, 5
    worker = start_worker(service)
    shop = events_app(f"{unique}-shop", broker_url=amqp_url, exchange=service.exchange)

    @shop.event(EVENT)
    def stock_changed(id: str, action: str) -> None:
        """Stock of an item changed."""

    sent = {f"item-{n}" for n in range(1000)}
    with shop.batch():
        for item in sorted(sent):
            stock_changed(id=item, action="sleep:0.012")
    shop.publisher.close()

    rng = random.Random(20261124)
    kills = 0
    deadline = time.monotonic() + 240
    while set(service.ids()) != sent and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.3, 1.0))
        if kills < 5 and set(service.ids()) != sent:
            worker.kill()
            kills += 1
            worker.start()
            worker.wait_consuming(broker, service.queue(EVENT))
    wait_for(lambda: set(service.ids()) == sent, timeout=60, what="every event to be handled")
    worker.stop()

    handled = service.ids()
    assert set(handled) == sent, f"lost: {sorted(sent - set(handled))[:10]}"
    assert kills >= 3, "the workload outlived several kills"
    assert broker.depth(service.queue(EVENT)) == 0, "nothing left unacknowledged or unhandled"
    assert broker.depth(service.archive) == 0
    record(
        "worker SIGKILLs",
        f"1000 fired, {len(set(handled))} handled ({len(handled) - len(sent)} duplicate "
        f"completions), 0 archived, {len(sent - set(handled))} lost, {kills} SIGKILLs",
    )


def _poisoned(
    action: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
    *,
    pool: str = "prefork",
    good: tuple[str, ...] = ("fine",),
    concurrency: int = 2,
    first_delay: float | None = None,
) -> tuple[Service, WorkerProcess]:
    """Publish a worker-killing event and good ones; run (restarting a dead worker, as a
    supervisor would) until the archive holds something."""
    service = recorder_service("poison", (EVENT,), delivery_limit=3)
    worker = start_worker(service, pool=pool, concurrency=concurrency)
    killer: dict[str, object] = {"id": "bad", "action": action}
    if first_delay is not None:
        killer["first_delay"] = first_delay
    events = [("bad", killer), *((g, {"id": g}) for g in good)]
    for message_id, body in events:
        broker.publish(
            service.exchange,
            EVENT,
            json.dumps(body).encode(),
            content_type="application/json",
            message_id=message_id,
        )
    deadline = time.monotonic() + 60
    while broker.depth(service.archive) == 0 and time.monotonic() < deadline:
        if not worker.running:
            worker.start()
        time.sleep(0.2)
    return service, worker


def test_a_message_that_kills_its_pool_process_ends_in_the_archive_alone(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service, worker = _poisoned("kill", broker, recorder_service, start_worker)
    wait_for(lambda: service.ids() == ["fine"], timeout=20, what="the good event")
    [parked] = Archive.for_app(build_app(service.env)).list()
    assert parked.message_id == "bad"
    assert parked.reason == "delivery-limit"
    assert service.ids("call").count("bad") == 4, "first delivery plus three redeliveries"
    assert worker.running, "only pool processes died"
    assert broker.depth(service.queue(EVENT)) == 0


@pytest.mark.parametrize("pool", ["prefork", "threads", "solo", "gevent", "eventlet"])
def test_a_message_that_kills_the_whole_worker_every_time_ends_in_the_archive(
    pool: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    # Good events held beside the killer: moved to the lane, never counted, handled once
    # each. A handler that finishes beside the killer, or just before it, loses its
    # acknowledgement with the worker and runs again (at least once: what acknowledging
    # late means). So one handler at a time, and the first worker holds every event when
    # it dies (the killer waits 0.5 s on its first call; prefetch is 4): from then on
    # everything comes from the lane, one message at a time, each acknowledged before
    # the next is delivered.
    good = tuple(f"fine-{n}" for n in range(3))
    service, worker = _poisoned(
        "kill-worker",
        broker,
        recorder_service,
        start_worker,
        pool=pool,
        good=good,
        concurrency=1,
        first_delay=0.5,
    )
    if not worker.running:
        worker.start()
    archive = Archive.for_app(build_app(service.env))
    wait_for(
        lambda: set(good) <= set(service.ids()), timeout=30, what="the good events to be handled"
    )
    worker.stop()  # settles what is in flight, so a late duplicate shows
    parked = {m.message_id: m for m in archive.list()}
    assert list(parked) == ["bad"], "a message only held when its worker died never counts"
    assert parked["bad"].reason == "delivery-limit"
    # The first death is nobody's to count: every message the worker held comes back
    # alike. From then on the killer runs from the isolation lane, where each death is
    # its own: limit 3 parks it on the fourth counted death.
    assert service.ids("call").count("bad") == 5
    assert sorted(service.ids()) == sorted(good), "each good event handled once"
    assert broker.depth(service.queue(EVENT)) == 0
    assert broker.depth(build_app(service.env).names.isolation_queue) == 0
