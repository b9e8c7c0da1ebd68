"""Worker memory: a service with 200 handlers against a Celery worker with 200 tasks.

Each repetition starts a fresh prefork worker (-c 2), sends one message to every
handler so both pool processes have run real work, and sums the peak resident set
(``VmHWM``) over the worker's process tree. Pages shared after the fork count once
per process, the same for both.
"""

from __future__ import annotations

from benchmarks import profiling
from benchmarks.broker import Admin
from benchmarks.harness import Case, Metric, Metrics, Scenario, Settings, Target, WorkerCase
from benchmarks.payloads import payloads
from benchmarks.procs import tree_peak_rss_mib
from benchmarks.scenarios.systems import CelerySystem, EventsSystem, System

EVENTS = "amqp-events worker"
CELERY = "celery worker"
PEAK = Metric("peak rss", "MiB", higher_is_better=False)


class PeakMemory(WorkerCase):
    """A fresh worker, one message per handler, then the tree's summed peak RSS."""

    metrics = (PEAK,)

    def __init__(self, name: str, system: System) -> None:
        self.name = name
        self.system = system

    def start(self) -> None:
        self.system.declare()

    def warm_up(self, n: int) -> None:
        del n
        self.run(self.system.count)

    def run(self, n: int) -> Metrics:
        del n  # one message per handler, whatever the message count
        system = self.system
        system.purge()
        system.sink.reset()
        worker = system.start_worker()
        try:
            with profiling.attached(worker.pid, self.spy_to):
                system.publish_backlog(payloads(system.count), consumed=True)
                system.sink.wait(system.count, timeout=120, check=worker.check)
            return {PEAK.name: tree_peak_rss_mib(worker.pid)}
        finally:
            worker.kill()

    def stop(self) -> None:
        self.system.close()


def _cases(settings: Settings, admin: Admin) -> list[Case]:
    count = settings.handlers
    return [
        PeakMemory(CELERY, CelerySystem(settings, admin, "memory-celery", count=count)),
        PeakMemory(EVENTS, EventsSystem(settings, admin, "memory-events", count=count)),
    ]


MEMORY = Scenario(
    name="memory",
    title="peak RSS of a prefork worker (-c 2, summed over its processes) with many handlers",
    build=_cases,
    targets=(Target(EVENTS, PEAK.name, "<=", 1.2, CELERY),),
    n=lambda settings: settings.handlers,
)
