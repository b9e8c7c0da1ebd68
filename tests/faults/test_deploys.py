"""Deploys and restarts: a warm shutdown finishes what runs and returns only what never started."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable

import pytest

from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = [pytest.mark.broker, pytest.mark.slow]

EVENT = "shop.order.shipped"
RESTARTS = int(os.environ.get("AE_RESTARTS", "20"))
RESTART_BACKLOG = 30 * RESTARTS


def _publish(broker: Broker, service: Service, ids: list[str], action: str) -> None:
    for event_id in ids:
        broker.publish(
            service.exchange,
            EVENT,
            json.dumps({"id": event_id, "action": action}).encode(),
            content_type="application/json",
            message_id=event_id,
        )


def _runner(service: Service, workers: list[WorkerProcess], event_id: str) -> WorkerProcess:
    """The worker whose process (or pool process) made the first call for ``event_id``."""
    pid = next(r["pid"] for r in service.records() if r["id"] == event_id)
    for worker in workers:
        assert worker.process is not None
        if pid == worker.process.pid or pid in worker.children():
            return worker
    raise AssertionError(f"no worker runs process {pid}")


@pytest.mark.parametrize("pool", ["prefork", "threads", "solo", "gevent", "eventlet"])
@pytest.mark.parametrize("how", ["sigterm", "control-shutdown"])
def test_a_warm_shutdown_mid_handler_runs_every_event_once_and_archives_none(
    pool: str,
    how: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("deploy", (EVENT,), retry="0.2")
    workers = [start_worker(service, pool=pool, concurrency=1) for _ in range(2)]
    ids = [f"d{n}" for n in range(6)]
    _publish(broker, service, ids, "sleep:2")
    wait_for(lambda: len(service.records()) >= 1, timeout=20, what="a handler to start")
    victim = _runner(service, workers, service.records()[0]["id"])
    running = [r["id"] for r in service.records()]

    if how == "sigterm":
        victim.terminate()
    else:
        victim.control_shutdown()
    log = victim.log.read_text()
    wait_for(lambda: set(service.ids()) == set(ids), timeout=60, what="every event handled")
    for worker in workers:
        worker.stop()  # settles whatever is still in flight, so a late duplicate shows

    calls = Counter(service.ids("call"))
    done = Counter(service.ids())
    assert all(n == 1 for n in calls.values()), f"started more than once: {calls}"
    assert all(n == 1 for n in done.values()), f"handled more than once: {done}"
    assert "Couldn't ack" not in log, "an acknowledgement was sent on a closed channel"
    assert set(running) <= set(service.ids()), "what ran during the stop finished"
    assert broker.depth(service.archive) == 0
    assert broker.depth(service.queue(EVENT)) == 0
    record(
        f"warm shutdown ({how}, {pool})",
        f"{len(ids)} events, {len(running)} running at the stop: "
        f"{len(calls)} started once, {sum(done.values())} handled, 0 twice, 0 archived",
    )


# Not prefork: Celery's own warm shutdown of that pool can run a message twice
# (test_prefork_shutdown shows it with a plain Celery app; see the README).
@pytest.mark.parametrize("pool", ["threads", "gevent"])
@pytest.mark.parametrize("queue_type", ["classic", "quorum"])
def test_twenty_warm_restarts_with_a_backlog_archive_nothing_and_run_nothing_twice(
    queue_type: str,
    pool: str,
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("restarts", (EVENT,), delivery_limit=2, queue_type=queue_type)
    worker = start_worker(service, pool=pool)
    ids = [f"r{n}" for n in range(RESTART_BACKLOG)]
    worker.stop()
    _publish(broker, service, ids, "sleep:0.05")

    for _ in range(RESTARTS):
        worker.start()
        worker.wait_consuming(broker, service.queue(EVENT))
        before = len(service.ids())
        wait_for(lambda: len(service.ids()) > before, timeout=20, what="some progress")  # noqa: B023
        worker.terminate()
    left = len(ids) - len(set(service.ids()))
    assert left > 0, "the backlog outlived every restart, so each stop returned messages"
    worker.start()
    wait_for(lambda: set(service.ids()) == set(ids), timeout=120, what="the whole backlog")
    worker.stop()

    calls = Counter(service.ids("call"))
    done = Counter(service.ids())
    assert broker.depth(service.archive) == 0, "nothing was archived as a lost worker"
    assert [i for i, n in calls.items() if n > 1] == [], "nothing started twice"
    assert [i for i, n in done.items() if n > 1] == [], "nothing handled twice"
    assert broker.depth(service.queue(EVENT)) == 0
    record(
        f"warm restart loop ({queue_type}, {pool})",
        f"{RESTARTS} warm restarts, {len(ids)} events, {left} still queued after the last "
        f"stop, delivery_limit 2: {len(done)} handled once, 0 twice, 0 archived",
    )
