"""Workers handling events: draining a backlog, and end to end while events are fired."""

from __future__ import annotations

import time

from benchmarks import profiling
from benchmarks.broker import Admin
from benchmarks.harness import Case, Metric, Metrics, Scenario, Settings, Target, WorkerCase
from benchmarks.payloads import payloads
from benchmarks.procs import Worker, tree_cpu_seconds
from benchmarks.scenarios.common import BROKER_CPU, RATE, broker_cpu_seconds
from benchmarks.scenarios.systems import CelerySystem, EventsSystem, FastStreamSystem, System

EVENTS = "amqp-events worker"
CELERY = "celery worker"
FASTSTREAM = "faststream worker"
WORKER_CPU = Metric("worker cpu", "us/msg", higher_is_better=False)
PUBLISH_RATE = Metric("publish rate", "msg/s")


def _timeout(n: int) -> float:
    return 60.0 + n / 100


class Drain(WorkerCase):
    """A backlog of n messages, then a fresh worker; rate from first to last handler."""

    metrics = (RATE, WORKER_CPU, BROKER_CPU)

    def __init__(self, name: str, system: System) -> None:
        self.name = name
        self.system = system

    def start(self) -> None:
        self.system.declare()

    def run(self, n: int) -> Metrics:
        system = self.system
        system.purge()
        system.sink.reset()
        system.publish_backlog(payloads(n))
        worker = system.worker()
        worker.start()
        try:
            with profiling.attached(worker.pid, self.spy_to):
                system.sink.wait(1, timeout=60, check=worker.check, interval=0.001)
                cpu_start, handled_start = tree_cpu_seconds(worker.pid), system.sink.count()
                broker_start = broker_cpu_seconds()
                records = system.sink.wait(n, timeout=_timeout(n), check=worker.check)
                cpu = tree_cpu_seconds(worker.pid) - cpu_start
                broker = broker_cpu_seconds() - broker_start
        finally:
            worker.kill()
        times = [r.at for r in records]
        handled = max(1, n - handled_start)
        metrics = {
            RATE.name: n / (max(times) - min(times)),
            WORKER_CPU.name: cpu / handled * 1e6,
        }
        if broker:
            metrics[BROKER_CPU.name] = broker / handled * 1e6
        return metrics

    def stop(self) -> None:
        self.system.close()


class EndToEnd(WorkerCase):
    """A consuming worker; n events fired one confirmed publish at a time."""

    metrics = (RATE, PUBLISH_RATE)

    def __init__(self, name: str, system: System) -> None:
        self.name = name
        self.system = system
        self.worker: Worker | None = None

    def start(self) -> None:
        self.system.declare()
        self.worker = self.system.start_worker()

    def run(self, n: int) -> Metrics:
        system, worker = self.system, self.worker
        assert worker is not None
        system.sink.reset()
        items = system.prepare(payloads(n))
        with profiling.attached(worker.pid, self.spy_to):
            start = time.time()
            system.publish_each(items)
            published = time.time()
            records = system.sink.wait(n, timeout=_timeout(n), check=worker.check)
        return {
            RATE.name: n / (max(r.at for r in records) - start),
            PUBLISH_RATE.name: n / (published - start),
        }

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.kill()
        self.system.close()


def _drain_cases(settings: Settings, admin: Admin) -> list[Case]:
    return [
        Drain(CELERY, CelerySystem(settings, admin, "drain-celery")),
        Drain(EVENTS, EventsSystem(settings, admin, "drain-events")),
        Drain(FASTSTREAM, FastStreamSystem(settings, admin, "drain-faststream")),
    ]


def _e2e_cases(settings: Settings, admin: Admin) -> list[Case]:
    return [
        EndToEnd(CELERY, CelerySystem(settings, admin, "e2e-celery")),
        EndToEnd(EVENTS, EventsSystem(settings, admin, "e2e-events")),
        EndToEnd(FASTSTREAM, FastStreamSystem(settings, admin, "e2e-faststream")),
    ]


DRAIN = Scenario(
    name="drain",
    title="a backlog handled by a fresh prefork worker (-c 2), first to last handler",
    build=_drain_cases,
    targets=(Target(EVENTS, "rate", ">=", 1.0, CELERY),),
    compare=((FASTSTREAM, CELERY), (FASTSTREAM, EVENTS)),
)

E2E = Scenario(
    name="e2e",
    title="end to end: fire one confirmed event at a time while the worker handles them",
    build=_e2e_cases,
    targets=(Target(EVENTS, "rate", ">=", 1.0, CELERY),),
    compare=((FASTSTREAM, CELERY), (FASTSTREAM, EVENTS)),
)
