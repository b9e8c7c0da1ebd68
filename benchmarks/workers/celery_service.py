"""The raw Celery baseline: plain tasks with the worker settings ``events_app`` defaults to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from celery import Celery, Task

from benchmarks.sink import Sink


def task_names(count: int) -> list[str]:
    """Names of ``count`` tasks; the first is the one the message scenarios call."""
    return ["bench.order_created"] + [f"bench.task{i}" for i in range(1, count)]


def build_celery_app(env: Mapping[str, str]) -> Celery:
    """Build the app; ``fail: k`` in the kwargs retries the first k attempts with Celery's retry."""
    sink = Sink(env.get("BENCH_SINK", "/dev/null"))
    countdown = float(env.get("BENCH_RETRY", "3"))
    app = Celery(env["BENCH_NAME"], broker=env["BENCH_URL"], set_as_current=False)
    app.conf.update(
        task_default_queue=env["BENCH_NAME"],
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        broker_transport_options={"confirm_publish": True},
        broker_connection_retry_on_startup=True,
        worker_prefetch_multiplier=4,
        accept_content=["json"],
    )

    def handle(task: Task[Any, Any], /, **payload: Any) -> None:
        # Celery's own retry publishes a copy with an ETA, which a worker holds unacked.
        if task.request.retries < int(payload.get("fail", 0)):
            raise task.retry(countdown=countdown, max_retries=3)
        sink.record(int(payload["seq"]))

    for name in task_names(int(env.get("BENCH_COUNT", "1"))):
        app.task(name=name, bind=True, shared=False)(handle)
    return app
