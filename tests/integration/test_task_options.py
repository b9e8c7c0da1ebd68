"""Celery task options a handler honours, with real workers: rate_limit and soft_time_limit.

``time_limit`` is shown in ``test_failures.py``; the options a handler refuses are
refused at registration (``tests/unit/test_task_options.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import pairwise

import pytest

from amqp_events.archive import Archive
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = pytest.mark.broker

EVENT = "shop.mail.requested"


def _send(broker: Broker, service: Service, message_id: str, action: str = "ok") -> None:
    body = json.dumps({"id": message_id, "action": action}).encode()
    broker.publish(
        service.exchange, EVENT, body, content_type="application/json", message_id=message_id
    )


def test_a_handlers_rate_limit_spaces_its_events_out(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("limited", (EVENT,), task_options={"rate_limit": "120/m"})
    start_worker(service, concurrency=4)
    sent = [f"m{n}" for n in range(6)]
    for message_id in sent:
        _send(broker, service, message_id)

    wait_for(lambda: len(service.ids()) == len(sent), timeout=20, what="six handled events")
    starts = sorted(float(c["t"]) for c in service.records())
    gaps = [b - a for a, b in pairwise(starts)]
    # One token every 0.5 s; the first event takes the bucket's only token at once.
    assert min(gaps) >= 0.4, f"gaps between handler calls: {[round(g, 2) for g in gaps]}"
    assert starts[-1] - starts[0] >= 2.3
    record(
        "rate_limit 120/m",
        f"6 events over {starts[-1] - starts[0]:.2f} s, min gap {min(gaps):.2f} s",
    )


def test_a_handler_past_its_soft_time_limit_fails_the_attempt_and_is_retried(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("soft", (EVENT,), retry="0.2", task_options={"soft_time_limit": 0.5})
    start_worker(service)
    _send(broker, service, "s1", "sleep:10")

    wait_for(lambda: broker.depth(service.archive) == 1, timeout=20, what="the parked event")
    [parked] = Archive.for_app(build_app(service.env)).list()
    assert parked.reason == "handler-failed"
    assert parked.attempts == 2, "one attempt and one retry"
    assert "SoftTimeLimitExceeded" in str(parked.error)
    assert [c["attempt"] for c in service.records()] == [1, 2]
    assert service.records("done") == []
