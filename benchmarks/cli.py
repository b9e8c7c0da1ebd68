"""``python -m benchmarks``: run the scenarios against a real RabbitMQ, print and save results."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import FrameType

from kombu.utils.url import maybe_sanitize_url

from benchmarks.broker import Admin
from benchmarks.harness import ScenarioResult, Settings, guarded
from benchmarks.package import compile_bytecode
from benchmarks.procs import ROOT
from benchmarks.report import table, to_json, write_json
from benchmarks.scenarios import SCENARIOS

DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672//"
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"


def _parser() -> argparse.ArgumentParser:
    names = ", ".join(s.name for s in SCENARIOS)
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure celery-amqp-events against raw kombu, raw Celery and FastStream "
        "on a real RabbitMQ, side by side in one run.",
    )
    parser.add_argument(
        "--n", type=int, default=3000, help="messages per repetition (default: %(default)s)"
    )
    parser.add_argument(
        "--reps", type=int, default=5, help="measured repetitions per case (default: %(default)s)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=300,
        help="messages of the unrecorded warm-up, 0 for none (default: %(default)s)",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("AMQP_URL", DEFAULT_URL),
        help="broker URL (default: $AMQP_URL or %(default)s)",
    )
    parser.add_argument(
        "--scenarios", default="all", help=f"comma-separated subset of: {names} (default: all)"
    )
    parser.add_argument(
        "--handlers",
        type=int,
        default=200,
        help="handlers of the worker memory scenario (default: %(default)s)",
    )
    parser.add_argument(
        "--channels",
        default="10,100,200,1000",
        help="spec sizes of the code generation scenario (default: %(default)s)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        help="where to write results (default: benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="worker logs and generated files (default: a temp dir)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="after measuring, run each case once more under pyinstrument or py-spy "
        "and write the profiles to DIR",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return parser


def _versions() -> str:
    found = []
    for package in ("celery", "kombu", "amqp", "faststream", "datamodel-code-generator"):
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return ", ".join(found)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    # Unwinds like Ctrl-C, so workers are killed and queues deleted on the way out.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the selected scenarios; exit 1 when one of them failed."""
    args = _parser().parse_args(argv)
    if args.list:
        for scenario in SCENARIOS:
            print(f"{scenario.name:<8} {scenario.title}")
        return 0
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    known = {s.name for s in SCENARIOS}
    unknown = [w for w in wanted if w != "all" and w not in known]
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}; --list shows them", file=sys.stderr)
        return 2
    selected = [s for s in SCENARIOS if "all" in wanted or s.name in wanted]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="amqp-events-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        n=args.n,
        reps=args.reps,
        warmup=args.warmup,
        url=args.url,
        prefix=f"bench-{uuid.uuid4().hex[:6]}",
        workdir=workdir,
        handlers=args.handlers,
        channels=tuple(int(c) for c in args.channels.split(",") if c),
        profile=args.profile,
    )
    try:
        admin = Admin(settings.url)
    except Exception as error:  # noqa: BLE001 - any failure to connect ends the run the same way
        print(f"No broker answers at {maybe_sanitize_url(args.url)}: {error}", file=sys.stderr)
        return 1
    meta: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "broker": admin.server_version,
        "n": settings.n,
        "reps": settings.reps,
        "warmup": settings.warmup,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "versions": _versions(),
    }
    # Workers import the project as an installed package would: from bytecode.
    for source in ("amqp_events", "benchmarks"):
        compile_bytecode(ROOT / source)
    results: list[ScenarioResult] = []
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = time.monotonic()
    try:
        for scenario in selected:
            print(f"[{time.monotonic() - started:6.1f}s] {scenario.name} ...", file=sys.stderr)
            results.append(guarded(scenario, settings, admin))
            admin.cleanup()
    finally:
        admin.cleanup()
        admin.close()
    meta["duration"] = f"{time.monotonic() - started:.0f} s"
    print(table(results, meta))
    meta["queues"] = sorted(admin.used)
    write_json(args.json, to_json(results, meta))
    print(f"\nJSON: {args.json}\nworker logs: {workdir}")
    if args.profile:
        print(f"profiles: {args.profile}")
    failed = [r for r in results if r.error and "not available" not in r.error]
    if not failed and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0
