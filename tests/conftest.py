"""Fixtures for tests against a real RabbitMQ and real ``celery worker`` processes.

Without a broker, broker tests are skipped locally with the reason, and fail when the
``CI`` environment variable is set: CI must never pass by skipping them.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.apps.recorder import build_app
from tests.support.broker import Broker
from tests.support.ensure_broker import DEFAULT_URL, broker_answers
from tests.support.figures import FIGURES
from tests.support.workers import WorkerProcess


def require(condition: bool, reason: str) -> None:
    """Skip when ``condition`` is false outside CI; fail inside CI."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def amqp_url() -> str:
    """The test broker's URL; the test fails in CI and skips elsewhere when none answers."""
    url = os.environ.get("AMQP_URL", DEFAULT_URL)
    reason = broker_answers(url)
    require(reason is None, f"No RabbitMQ answers at AMQP_URL ({reason})")
    return url


@pytest.fixture
def broker(amqp_url: str) -> Iterator[Broker]:
    """A direct connection to the test broker."""
    connection = Broker(amqp_url)
    yield connection
    connection.close()


@pytest.fixture
def unique(request: pytest.FixtureRequest) -> str:
    """A short name unique to this test run, usable as a service or exchange name."""
    test = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:24]
    return f"t-{test}-{uuid.uuid4().hex[:6]}"


@dataclass
class Service:
    """A recorder service (see tests/apps/recorder.py) run by real workers."""

    name: str
    url: str
    exchange: str
    events: tuple[str, ...]
    out: Path
    flag: Path
    env: dict[str, str]
    workers: list[WorkerProcess] = field(default_factory=list)

    def records(self, phase: str = "call") -> list[dict[str, Any]]:
        """Handler calls (``call``) or completions (``done``) so far, in file order."""
        if not self.out.exists():
            return []
        lines = [json.loads(line) for line in self.out.read_text().splitlines() if line.strip()]
        return [line for line in lines if line["phase"] == phase]

    def ids(self, phase: str = "done") -> list[str]:
        """Payload ids of the records of one phase."""
        return [str(r["id"]) for r in self.records(phase)]

    def queue(self, event: str) -> str:
        """The handler queue of one event."""
        return f"{self.name}.{event}"

    @property
    def archive(self) -> str:
        """The service's archive queue."""
        return f"{self.name}:archive"


@pytest.fixture
def recorder_service(
    amqp_url: str, broker: Broker, tmp_path: Path, unique: str
) -> Iterator[Callable[..., Service]]:
    """Factory of recorder services; workers are stopped and entities deleted afterwards."""
    services: list[Service] = []

    def make(
        suffix: str,
        events: tuple[str, ...],
        *,
        exchange: str | None = None,
        retry: str = "0.5,1",
        delivery_limit: int = 5,
        queue_type: str = "classic",
        url: str | None = None,
        own_archive: tuple[str, ...] = (),
        time_limit: float | None = None,
        task_options: dict[str, Any] | None = None,
        max_priority: int | None = None,
    ) -> Service:
        name = f"{unique}-{suffix}"
        env = {
            "AMQP_URL": url or amqp_url,
            "AE_SERVICE": name,
            "AE_EXCHANGE": exchange or f"{unique}-events",
            "AE_EVENTS": ",".join(events),
            "AE_OUT": str(tmp_path / f"{suffix}.jsonl"),
            "AE_FLAG": str(tmp_path / f"{suffix}.flag"),
            "AE_RETRY": retry,
            "AE_DELIVERY_LIMIT": str(delivery_limit),
            "AE_QUEUE_TYPE": queue_type,
            "AE_OWN_ARCHIVE": ",".join(own_archive),
            "AE_TIME_LIMIT": "" if time_limit is None else str(time_limit),
            "AE_TASK_OPTIONS": json.dumps(task_options or {}),
            "AE_MAX_PRIORITY": "" if max_priority is None else str(max_priority),
        }
        service = Service(
            name=name,
            url=env["AMQP_URL"],
            exchange=env["AE_EXCHANGE"],
            events=events,
            out=Path(env["AE_OUT"]),
            flag=Path(env["AE_FLAG"]),
            env=env,
        )
        services.append(service)
        return service

    yield make

    for service in services:
        for worker in service.workers:
            worker.stop(timeout=10)
        if service.url != amqp_url:
            continue  # a private node is removed as a whole
        # Workers also declare Celery's queue for plain tasks of the service.
        broker.delete(build_app(service.env).topology(), extra_queues=[f"{service.name}:tasks"])
        broker.delete_exchange(f"{service.name}:tasks")
        broker.delete_exchange(service.exchange)


@pytest.fixture
def start_worker(tmp_path: Path, broker: Broker) -> Callable[..., WorkerProcess]:
    """Start a real ``celery worker`` for a recorder service and wait until it consumes."""

    def start(
        service: Service,
        *,
        pool: str = "prefork",
        concurrency: int = 2,
        wait: bool = True,
        via: Broker | None = None,
    ) -> WorkerProcess:
        worker = WorkerProcess(
            "tests.apps.recorder_worker",
            env=service.env,
            log=tmp_path / f"{service.name}-worker{len(service.workers)}.log",
            # Two workers of one service need two node names (Celery's control queues).
            name=service.name if not service.workers else f"{service.name}.w{len(service.workers)}",
            pool=pool,
            concurrency=concurrency,
        )
        service.workers.append(worker)
        worker.start()
        if wait:
            worker.wait_consuming(via or broker, service.queue(service.events[0]))
        return worker

    return start


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the reliability tests counted in this run."""
    if not FIGURES:
        return
    terminalreporter.write_sep("-", "Reliability figures of this run")
    for test, figures in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{test}: {figures}")
