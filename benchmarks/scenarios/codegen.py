"""Code generation: ``amqp-events-gen`` on synthetic specs, against datamodel-code-generator.

Both tools run as a fresh process, as in CI, so interpreter start-up is part of the
time. datamodel-code-generator only writes the payload models of the same document,
formatted with ruff; ``amqp-events-gen`` writes the whole package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import profiling, synth
from benchmarks.broker import Admin
from benchmarks.harness import Case, Metric, Metrics, Scenario, Settings, Target, UnavailableError
from benchmarks.package import gen_command

TIME = Metric("time", "s", higher_is_better=False)
CHECK_CHANNELS = 200


def _tool(name: str) -> Path | None:
    script = Path(sys.executable).with_name(name)
    return script if script.exists() else None


def gen_name(channels: int) -> str:
    """Case name of our generator at one spec size."""
    return f"amqp-events-gen {channels} ch"


def regen_name(channels: int) -> str:
    """Case name of our generator writing over the tree it generated before."""
    return f"amqp-events-gen {channels} ch, again"


def check_name(channels: int) -> str:
    """Case name of ``--check`` at one spec size."""
    return f"amqp-events-gen --check {channels} ch"


def diff_name(channels: int) -> str:
    """Case name of ``diff`` between two versions of a spec of one size."""
    return f"amqp-events-gen diff {channels} ch"


def dmcg_name(channels: int) -> str:
    """Case name of datamodel-code-generator at one spec size."""
    return f"datamodel-codegen {channels} ch"


def _spec(settings: Settings, channels: int) -> Path:
    folder = settings.workdir / "codegen"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic-{channels}.asyncapi.yaml"
    if not path.exists():
        synth.write(channels, path)
    return path


def _run(argv: list[str], what: str, *, ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise RuntimeError(f"{what} exited with {done.returncode}: {done.stderr.strip()[-2000:]}")
    return elapsed


class Timed(Case):
    """One command on one spec; with ``fresh``, every repetition writes an empty directory."""

    metrics = (TIME,)

    def __init__(self, name: str, spec: Path, out: Path, *, warm: bool, fresh: bool = True) -> None:
        self.name = name
        self.spec = spec
        self.out = out
        self.warm = warm
        self.fresh = fresh
        self.spy_to: Path | None = None

    def argv(self) -> list[str]:
        """The command line."""
        raise NotImplementedError

    def profile(self, n: int, base: Path) -> None:
        # The work happens in the command's own process, so py-spy runs the command.
        self.spy_to = base.with_suffix(".pyspy.txt")
        try:
            self.run(n)
        finally:
            self.spy_to = None

    def warm_up(self, n: int) -> None:
        # One warm run per tool fills the page cache; more would only cost time.
        if self.warm:
            self.run(n)

    def run(self, n: int) -> Metrics:
        del n
        if self.fresh:
            shutil.rmtree(self.out, ignore_errors=True)
        self.out.mkdir(parents=True, exist_ok=True)
        argv = self.argv()
        if self.spy_to is not None:
            argv = profiling.command(argv, self.spy_to)
        return {TIME.name: _run(argv, self.name)}


def generator_problem(settings: Settings) -> str | None:
    """Why ``amqp-events-gen`` cannot generate a small spec here, or None when it can."""
    probe = settings.workdir / "codegen" / "probe"
    try:
        _run([*gen_command(), str(_spec(settings, 2)), "-o", str(probe)], "amqp-events-gen")
    except (RuntimeError, OSError) as error:
        return f"generator not available: {error}"
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return None


class Generate(Timed):
    """``amqp-events-gen SPEC -o DIR``."""

    def __init__(
        self,
        name: str,
        spec: Path,
        out: Path,
        *,
        warm: bool,
        problem: str | None,
        fresh: bool = True,
    ) -> None:
        super().__init__(name, spec, out, warm=warm, fresh=fresh)
        self.problem = problem

    def start(self) -> None:
        if self.problem:
            raise UnavailableError(self.problem)

    def argv(self) -> list[str]:
        return [*gen_command(), str(self.spec), "-o", str(self.out)]


class Check(Generate):
    """``amqp-events-gen SPEC -o DIR --check`` on a tree generated from the same spec."""

    def __init__(self, name: str, spec: Path, out: Path, *, problem: str | None) -> None:
        super().__init__(name, spec, out, warm=True, problem=problem, fresh=False)

    def start(self) -> None:
        super().start()
        shutil.rmtree(self.out, ignore_errors=True)
        _run(super().argv(), "amqp-events-gen")

    def argv(self) -> list[str]:
        return [*super().argv(), "--check"]


class Diff(Generate):
    """``amqp-events-gen diff OLD NEW`` on a spec and its later version (exit 1: breaking)."""

    def __init__(self, name: str, old: Path, new: Path, *, problem: str | None) -> None:
        super().__init__(name, new, new.parent / "unused", warm=True, problem=problem)
        self.old = old

    def run(self, n: int) -> Metrics:
        del n
        argv = [*gen_command(), "diff", str(self.old), str(self.spec)]
        if self.spy_to is not None:
            argv = profiling.command(argv, self.spy_to)
        return {TIME.name: _run(argv, self.name, ok=(0, 1))}


class Models(Timed):
    """datamodel-code-generator, AsyncAPI input, pydantic v2 models formatted by ruff."""

    def start(self) -> None:
        if _tool("datamodel-codegen") is None:
            raise UnavailableError("datamodel-code-generator is not installed")

    def argv(self) -> list[str]:
        return [
            str(_tool("datamodel-codegen")),
            "--input",
            str(self.spec),
            "--input-file-type",
            "asyncapi",
            "--output",
            str(self.out / "models.py"),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--disable-timestamp",
            "--formatters",
            "ruff-format",
        ]


def _codegen_cases(settings: Settings, admin: Admin) -> list[Case]:
    del admin
    out = settings.workdir / "codegen"
    cases: list[Case] = []
    smallest = min(settings.channels)
    problem = generator_problem(settings)
    for channels in settings.channels:
        spec = _spec(settings, channels)
        warm = channels == smallest
        cases.append(
            Generate(gen_name(channels), spec, out / f"gen-{channels}", warm=warm, problem=problem)
        )
        cases.append(Models(dmcg_name(channels), spec, out / f"dmcg-{channels}", warm=warm))
    return cases


def _check_size(settings: Settings) -> int:
    # The target's size unless a run asks for smaller specs (the smoke test does).
    return CHECK_CHANNELS if CHECK_CHANNELS in settings.channels else max(settings.channels)


def _check_cases(settings: Settings, admin: Admin) -> list[Case]:
    del admin
    size = _check_size(settings)
    spec = _spec(settings, size)
    out = settings.workdir / "codegen" / f"check-{size}"
    problem = generator_problem(settings)
    # Both run on the same unchanged tree, as a developer regenerates or checks it.
    return [
        Generate(regen_name(size), spec, out, warm=True, problem=problem, fresh=False),
        Check(check_name(size), spec, out, problem=problem),
    ]


def _diff_cases(settings: Settings, admin: Admin) -> list[Case]:
    del admin
    size = _check_size(settings)
    old = _spec(settings, size)
    new = synth.write(size, old.with_name(f"synthetic-{size}-later.asyncapi.yaml"), later=True)
    out = settings.workdir / "codegen" / f"diff-gen-{size}"
    problem = generator_problem(settings)
    # Generating one of the two documents is the yardstick: a diff reads both.
    return [
        Generate(gen_name(size), new, out, warm=True, problem=problem),
        Diff(diff_name(size), old, new, problem=problem),
    ]


CODEGEN = Scenario(
    name="codegen",
    title="generate a package from a synthetic spec (a fresh process each time)",
    build=_codegen_cases,
    targets=(
        Target(gen_name(200), TIME.name, "<=", 0.5, dmcg_name(200)),
        Target(gen_name(1000), TIME.name, "<=", 12.0, gen_name(100)),
    ),
    compare=tuple((gen_name(c), dmcg_name(c)) for c in (10, 100, 1000)),
    n=lambda settings: 0,
)

DIFF_SCENARIO = Scenario(
    name="diff",
    title=f"diff two versions of a {CHECK_CHANNELS}-channel spec, against generating one",
    build=_diff_cases,
    targets=(Target(diff_name(CHECK_CHANNELS), TIME.name, "<=", 1.0, gen_name(CHECK_CHANNELS)),),
    n=lambda settings: 0,
)

CHECK_SCENARIO = Scenario(
    name="check",
    title=f"--check on an unchanged {CHECK_CHANNELS}-channel tree",
    build=_check_cases,
    targets=(Target(check_name(CHECK_CHANNELS), TIME.name, "<=", 1.0, regen_name(CHECK_CHANNELS)),),
    n=lambda settings: 0,
)
