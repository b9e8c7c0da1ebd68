"""Cases, scenarios and the runner: warm-up, interleaved repetitions, medians.

A scenario is a few cases measured side by side: the library's and the baselines it is
compared with. Every repetition runs each case once, in turn, so that a machine which
slows down during the run (shared CI machines do) slows all of them alike.
"""

from __future__ import annotations

import statistics
import traceback
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from benchmarks import profiling
from benchmarks.broker import Admin

Metrics = Mapping[str, float]


class UnavailableError(Exception):
    """A case cannot run here (a tool is missing); its message, which says so, is reported."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The command's parameters, shared by every scenario."""

    n: int
    reps: int
    warmup: int
    url: str
    prefix: str
    workdir: Path
    handlers: int = 200
    channels: tuple[int, ...] = (10, 100, 200, 1000)
    profile: Path | None = None
    """Where ``--profile`` writes one profile per case, or None."""


@dataclass(frozen=True, slots=True)
class Metric:
    """One number a case reports per repetition."""

    name: str
    unit: str
    higher_is_better: bool = True


class Case:
    """One thing measured; subclasses override ``run`` and, if needed, the rest."""

    name = "case"
    metrics: Sequence[Metric] = (Metric("rate", "msg/s"),)

    def start(self) -> None:
        """Prepare (connect, start a worker); runs once before the warm-up."""

    def warm_up(self, n: int) -> None:
        """Run once unrecorded, so imports, connections and caches are in place."""
        self.run(n)

    def run(self, n: int) -> Metrics:
        """Run one repetition with ``n`` messages; return a value per metric."""
        raise NotImplementedError

    def profile(self, n: int, base: Path) -> None:
        """Run once more under a profiler, writing files named ``base.*``."""
        profiling.in_process(lambda: self.run(n), base)

    def stop(self) -> None:
        """Release what ``start`` took; runs even after a failure."""


class WorkerCase(Case):
    """A case whose work happens in a worker: ``--profile`` attaches py-spy to it."""

    spy_to: Path | None = None
    """Where the running repetition records py-spy's samples, or None."""

    def profile(self, n: int, base: Path) -> None:
        self.spy_to = base.with_suffix(".pyspy.txt")
        try:
            self.run(n)
        finally:
            self.spy_to = None


@dataclass(frozen=True, slots=True)
class Target:
    """A goal: ``case``'s metric compared with ``baseline``'s (or with 1 when None)."""

    case: str
    metric: str
    op: Literal[">=", "<="]
    threshold: float
    baseline: str | None = None

    def describe(self) -> str:
        """E.g. ``>= 0.9x kombu publish``."""
        if self.baseline is None:
            return f"{self.op} {self.threshold:g}"
        return f"{self.op} {self.threshold:g}x {self.baseline}"


@dataclass(frozen=True)
class Scenario:
    """A named group of cases and the targets that judge them."""

    name: str
    title: str
    build: Callable[[Settings, Admin], Sequence[Case]]
    targets: Sequence[Target] = ()
    compare: Sequence[tuple[str, str]] = ()
    """Extra (case, baseline case) pairs shown with a ratio; targets add theirs."""
    n: Callable[[Settings], int] = lambda settings: settings.n
    """Messages per repetition (some scenarios use fewer or ignore it)."""


@dataclass
class Row:
    """What one metric of one case measured over the repetitions."""

    scenario: str
    case: str
    metric: str
    unit: str
    higher_is_better: bool
    values: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        """The median over repetitions, or None when nothing was measured."""
        return statistics.median(self.values) if self.values else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A target and how the measured ratio compares with it."""

    scenario: str
    target: Target
    ratio: float | None
    met: bool | None
    note: str = ""


@dataclass
class ScenarioResult:
    """Rows and verdicts of one scenario."""

    scenario: Scenario
    n: int
    rows: list[Row]
    verdicts: list[Verdict]
    error: str | None = None


def _row_for(rows: list[Row], scenario: str, case: Case, metric: Metric) -> Row:
    for row in rows:
        if row.case == case.name and row.metric == metric.name:
            return row
    row = Row(scenario, case.name, metric.name, metric.unit, metric.higher_is_better)
    rows.append(row)
    return row


def run_scenario(scenario: Scenario, settings: Settings, admin: Admin) -> ScenarioResult:
    """Start every case, warm each up, then run ``reps`` interleaved repetitions."""
    n = scenario.n(settings)
    rows: list[Row] = []
    result = ScenarioResult(scenario, n, rows, [])
    try:
        cases = list(scenario.build(settings, admin))
    except UnavailableError as error:
        result.error = str(error)
        result.verdicts = judge(scenario, rows)
        return result
    with ExitStack() as stack:
        live: list[Case] = []
        for case in cases:
            try:
                case.start()
            except UnavailableError as error:
                for metric in case.metrics:
                    _row_for(rows, scenario.name, case, metric).error = str(error)
                continue
            finally:
                stack.callback(case.stop)
            live.append(case)
        if settings.warmup:
            for case in live:
                case.warm_up(settings.warmup)
        for _ in range(settings.reps):
            for case in live:
                measured = case.run(n)
                for metric in case.metrics:
                    if metric.name in measured:
                        row = _row_for(rows, scenario.name, case, metric)
                        row.values.append(measured[metric.name])
        if settings.profile is not None:
            folder = settings.profile / scenario.name
            folder.mkdir(parents=True, exist_ok=True)
            for case in live:
                case.profile(n, folder / profiling.slug(case.name))
    result.verdicts = judge(scenario, rows)
    return result


def guarded(scenario: Scenario, settings: Settings, admin: Admin) -> ScenarioResult:
    """Run a scenario; an unexpected failure becomes an error row instead of ending the run."""
    try:
        return run_scenario(scenario, settings, admin)
    except Exception as error:  # noqa: BLE001 - reported in the table and the exit status
        detail = "".join(traceback.format_exception_only(error)).strip()
        traceback.print_exc()
        return ScenarioResult(scenario, scenario.n(settings), [], [], error=f"failed: {detail}")


def _find(rows: list[Row], case: str, metric: str) -> Row | None:
    return next((r for r in rows if r.case == case and r.metric == metric), None)


def judge(scenario: Scenario, rows: list[Row]) -> list[Verdict]:
    """Compare medians with each target of the scenario."""
    verdicts = []
    for target in scenario.targets:
        row = _find(rows, target.case, target.metric)
        value = row.median if row else None
        if target.baseline is None:
            reference: float | None = 1.0
        else:
            base = _find(rows, target.baseline, target.metric)
            reference = base.median if base else None
        if value is None or reference is None:
            missing = row.error if row and row.error else "not measured"
            verdicts.append(Verdict(scenario.name, target, None, None, missing))
            continue
        ratio = value / reference if reference else (0.0 if value == 0 else float("inf"))
        met = ratio >= target.threshold if target.op == ">=" else ratio <= target.threshold
        verdicts.append(Verdict(scenario.name, target, ratio, met))
    return verdicts
