"""Celery's own prefork warm shutdown, with a plain Celery app: a known defect, reproduced.

When the consumer closes, Celery flushes the prefork pool and discards every job a pool
process has not yet acknowledged taking, as if it would never run. A process that has
already read such a job runs it, sends its result, and then waits 30 s for the main
process to read it (billiard's check before it exits), which never happens: the warm
shutdown takes 30 s longer, and the message, never acknowledged, runs again on the
next worker. The more often jobs start, the likelier: with instant tasks, about every
second warm restart. This test fails while Celery does so; once it passes, the warm
restart loop of ``test_deploys`` can run on prefork too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apps.plain_tasks import build_app
from tests.support.broker import Broker, wait_for
from tests.support.workers import WorkerProcess

pytestmark = [pytest.mark.broker, pytest.mark.slow]

RESTARTS = 10
TASKS = 20_000


@pytest.fixture
def plain_env(
    amqp_url: str, unique: str, broker: Broker, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """The plain app's environment, with a backlog of instant tasks in its queue."""
    env = {"AMQP_URL": amqp_url, "AE_QUEUE": unique, "AE_OUT": str(tmp_path / "out.txt")}
    (tmp_path / "out.txt").touch()
    app = build_app(env)
    record = app.tasks["plain.record"]
    with app.producer_or_acquire() as producer:
        for n in range(TASKS):
            record.apply_async((n,), producer=producer)
    yield env
    channel = broker.connection.channel()
    channel.queue_delete(unique)
    channel.close()


@pytest.mark.xfail(
    strict=True,
    reason="Celery's consumer close discards the prefork jobs a pool process has read but "
    "not yet acknowledged: the process waits 30 s to exit and the task runs again",
)
def test_a_prefork_warm_shutdown_neither_stalls_nor_runs_a_task_twice(
    plain_env: dict[str, str], broker: Broker, tmp_path: Path
) -> None:
    out = Path(plain_env["AE_OUT"])
    worker = WorkerProcess(
        "tests.apps.plain_tasks",
        env=plain_env,
        log=tmp_path / "worker.log",
        name=plain_env["AE_QUEUE"],
        pool="prefork",
        concurrency=2,
    )

    def handled() -> int:
        return len(out.read_text().split())

    try:
        for restart in range(RESTARTS):
            worker.start()
            worker.wait_consuming(broker, plain_env["AE_QUEUE"])
            before = handled()
            wait_for(lambda: handled() > before + 20, timeout=30, what="tasks handled")  # noqa: B023
            assert worker.process is not None
            worker.process.send_signal(signal.SIGTERM)
            try:
                worker.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pytest.fail(f"warm shutdown {restart + 1} of {RESTARTS} still running after 10 s")
            worker.process = None
    finally:
        with contextlib.suppress(ProcessLookupError):
            if worker.process is not None:
                os.killpg(worker.process.pid, signal.SIGKILL)
                worker.process.wait(timeout=30)
    twice = [n for n, k in Counter(out.read_text().split()).items() if k > 1]
    assert twice == [], f"{len(twice)} tasks ran twice"
