"""What several scenarios share: timing with CPU accounting, and environment for workers."""

from __future__ import annotations

import time
from collections.abc import Callable

from benchmarks.harness import Metric, Metrics
from benchmarks.procs import broker_pid, cpu_seconds

RATE = Metric("rate", "msg/s")
CPU = Metric("cpu", "us/msg", higher_is_better=False)
"""CPU time of the harness process (the producer) per message."""
BROKER_CPU = Metric("broker cpu", "us/msg", higher_is_better=False)
"""CPU time of the local RabbitMQ node per message (other clients' load included)."""
PUBLISH_METRICS = (RATE, CPU, BROKER_CPU)

_BROKER = broker_pid()


def broker_cpu_seconds() -> float:
    """CPU time of the local broker so far, or 0 when it is not on this machine."""
    return cpu_seconds(_BROKER) if _BROKER else 0.0


def timed_publish(n: int, send: Callable[[], None]) -> Metrics:
    """Time ``send`` (which publishes ``n`` messages); report rate and CPU per message."""
    broker_before = broker_cpu_seconds()
    cpu_before = time.process_time()
    start = time.perf_counter()
    send()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    metrics = {RATE.name: n / elapsed, CPU.name: cpu / n * 1e6}
    if _BROKER:
        metrics[BROKER_CPU.name] = (broker_cpu_seconds() - broker_before) / n * 1e6
    return metrics
