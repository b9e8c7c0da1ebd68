"""Soak: 20,000 events, 10% failing, workers killed at random; everything accounted for."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable

import pytest

from amqp_events import events_app, wire
from amqp_events.archive import Archive
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = [pytest.mark.broker, pytest.mark.slow]

EVENT = "shop.cart.updated"
TOTAL = 20_000


def test_soak_handled_plus_archived_equals_fired_with_random_failures_and_kills(
    amqp_url: str,
    broker: Broker,
    unique: str,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("soak", (EVENT,), retry="0.2,0.4")  # delivery limit 5
    worker = start_worker(service, concurrency=2)
    shop = events_app(f"{unique}-shop", broker_url=amqp_url, exchange=service.exchange)

    @shop.event(EVENT)
    def cart_updated(id: str, action: str) -> None:
        """A cart changed."""

    rng = random.Random(7)
    failing = {f"cart-{n}" for n in rng.sample(range(TOTAL), TOTAL // 10)}
    fired = [f"cart-{n}" for n in range(TOTAL)]
    with shop.batch():
        for cart in fired:
            cart_updated(id=cart, action="fail" if cart in failing else "ok")
    shop.publisher.close()

    archive = Archive.for_app(build_app(service.env))
    kills = 0

    def settled() -> bool:
        return len(set(service.ids())) + broker.depth(service.archive) >= TOTAL

    deadline = time.monotonic() + 600
    while not settled() and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.5, 2.5))
        if kills < 6 and not settled():
            worker.kill()
            kills += 1
            worker.start()
            worker.wait_consuming(broker, service.queue(EVENT))
    wait_for(settled, timeout=120, interval=0.5, what="every event to be handled or archived")
    time.sleep(1.0)
    worker.stop()

    handled = service.ids()
    parked = archive.list()
    parked_ids = [str(json.loads(m.body)["id"]) for m in parked]
    assert set(handled) | set(parked_ids) == set(fired), "nothing lost"
    assert set(handled).isdisjoint(parked_ids)
    assert set(parked_ids) == failing, "exactly the failing events were archived"
    assert Counter(parked_ids).most_common(1)[0][1] <= 2, "a kill may duplicate, nothing loops"
    assert all(m.reason == "handler-failed" and m.attempts == 3 for m in parked)
    assert all(m.headers[wire.EXCEPTION] == "RuntimeError" for m in parked)
    assert broker.depth(service.queue(EVENT)) == 0, "nothing left unacknowledged"
    assert broker.depth(f"{service.name}:retry.200") == 0
    assert broker.depth(f"{service.name}:retry.400") == 0
    assert kills >= 3
    lost = set(fired) - set(handled) - set(parked_ids)
    record(
        "soak",
        f"{TOTAL} fired, {len(set(handled))} handled ({len(handled) - len(set(handled))} "
        f"duplicate completions), {len(set(parked_ids))} archived "
        f"({len(parked_ids) - len(set(parked_ids))} duplicates), {len(lost)} lost, "
        f"{kills} SIGKILLs",
    )
