"""Failures: 10% of events fail once and wait in the retry ladder while the rest flow.

Events are published pipelined (``app.batch()``), faster than the worker handles them,
so the worker is the bottleneck and the rate of good events shows what failures cost
it. Once the good events are done, the failed ones wait in the retry queue; the
harness then asks ``rabbitmqctl`` (on a local broker) how many messages the worker
holds unacknowledged. Celery's own ``retry(countdown=...)`` is shown beside it: its
worker holds every waiting message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from benchmarks import profiling
from benchmarks.broker import Admin
from benchmarks.harness import Case, Metric, Metrics, Scenario, Settings, Target, WorkerCase
from benchmarks.payloads import payloads
from benchmarks.procs import Worker
from benchmarks.scenarios.systems import CelerySystem, EventsSystem, System

FAIL_EVERY = 10
NO_FAILURES = "amqp-events, no failures"
FAILURES = "amqp-events, 10% fail once"
CELERY_RETRY = "celery retry(countdown), 10%"
GOOD_RATE = Metric("good rate", "msg/s")
UNACKED = Metric("unacked waiting", "msgs", higher_is_better=False)
WAITING = Metric("in retry", "msgs", higher_is_better=False)


@dataclass(frozen=True, slots=True)
class _Sample:
    unacked: int
    waiting: int


class Flow(WorkerCase):
    """n events published in one batch to a running worker; every ``fail_every``-th fails once."""

    def __init__(self, name: str, system: System, fail_every: int) -> None:
        self.name = name
        self.system = system
        self.fail_every = fail_every
        self.worker: Worker | None = None
        self.metrics = (GOOD_RATE, UNACKED, WAITING) if fail_every else (GOOD_RATE,)

    def start(self) -> None:
        self.system.declare()
        self.worker = self.system.start_worker()

    def warm_up(self, n: int) -> None:
        self.run(n, sample=False)

    def run(self, n: int, *, sample: bool = True) -> Metrics:
        assert self.worker is not None
        with profiling.attached(self.worker.pid, self.spy_to):
            return self._run(self.worker, n, sample=sample)

    def _run(self, worker: Worker, n: int, *, sample: bool) -> Metrics:
        system = self.system
        system.sink.reset()
        bodies = payloads(n, fail_every=self.fail_every)
        failing = {body["seq"] for body in bodies if body.get("fail")}
        start = time.time()
        system.publish_backlog(bodies, consumed=True)
        # Good events first: they are what must keep flowing.
        deadline = time.monotonic() + 60.0 + n / 100
        good, returned, last_good = 0, 0, 0.0
        while good < n - len(failing):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{good} of {n - len(failing)} good events handled")
            worker.check()
            time.sleep(0.005)
            for record in system.sink.read_new():
                if record.seq in failing:
                    returned += 1
                else:
                    good += 1
                    last_good = max(last_good, record.at)
        metrics = {GOOD_RATE.name: good / (last_good - start)}
        samples = []
        while good + returned < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{good + returned} of {n} events handled")
            if sample and system.admin.can_count_unacked and not returned:
                taken = self._sample()
                returned += sum(1 for r in system.sink.read_new() if r.seq in failing)
                # Valid only while every failed event still waits: none came back yet.
                if not returned:
                    samples.append(taken)
            else:
                time.sleep(0.05)
                returned += len(system.sink.read_new())
        if samples:
            metrics[UNACKED.name] = max(s.unacked for s in samples)
            metrics[WAITING.name] = max(s.waiting for s in samples)
        return metrics

    def _sample(self) -> _Sample:
        system = self.system
        counts = system.admin.queue_counts()
        handler = [counts[q] for q in system.queues if q in counts]
        retry = (
            sum(counts[q].ready for q in system.retry_queues if q in counts)
            if isinstance(system, EventsSystem)
            # Celery's retries wait inside the worker: count them as the unacked ones.
            else sum(c.unacked for c in handler)
        )
        return _Sample(unacked=sum(c.unacked for c in handler), waiting=retry)

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.kill()
        self.system.close()


def _cases(settings: Settings, admin: Admin) -> list[Case]:
    # Longer than publishing n events takes, so that for a while every failed event
    # waits in the retry queue at once (the moment the unacked count is about).
    delay = round(2 + settings.n / 1000, 1)
    return [
        Flow(NO_FAILURES, EventsSystem(settings, admin, "retry-none"), 0),
        Flow(FAILURES, EventsSystem(settings, admin, "retry-some", retry=delay), FAIL_EVERY),
        Flow(
            CELERY_RETRY,
            CelerySystem(settings, admin, "retry-celery", retry=delay),
            FAIL_EVERY,
        ),
    ]


RETRY = Scenario(
    name="retry",
    title="10% of events fail once and wait in the retry ladder while the rest flow",
    build=_cases,
    targets=(
        Target(FAILURES, GOOD_RATE.name, ">=", 0.8, NO_FAILURES),
        Target(FAILURES, UNACKED.name, "<=", 0),
    ),
    compare=((CELERY_RETRY, NO_FAILURES),),
)
