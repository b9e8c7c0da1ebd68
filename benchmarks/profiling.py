"""``--profile DIR``: one more, unmeasured run of each case under a profiler.

Cases that run in the harness use pyinstrument (a text call tree and an HTML page);
cases whose work happens in a worker or a command attach py-spy to that process tree
and write collapsed stacks (``.pyspy.txt``), which speedscope and flamegraph.pl read.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_RATE = "250"


def slug(name: str) -> str:
    """A file name for a case name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def in_process(run: Callable[[], object], base: Path) -> None:
    """Run ``run`` under pyinstrument; write ``base.txt`` and ``base.html``."""
    from pyinstrument import Profiler  # noqa: PLC0415 - only --profile needs it

    profiler = Profiler()
    with profiler:
        run()
    base.with_suffix(".txt").write_text(profiler.output_text(), encoding="utf-8")
    base.with_suffix(".html").write_text(profiler.output_html(), encoding="utf-8")


def py_spy() -> str | None:
    """The py-spy executable, if installed."""
    sibling = Path(sys.executable).with_name("py-spy")
    return str(sibling) if sibling.exists() else shutil.which("py-spy")


def _record(output: Path) -> list[str]:
    tool = py_spy()
    if tool is None:
        raise RuntimeError("py-spy is not installed (pip install -e '.[bench]')")
    return [tool, "record", "--format", "raw", "--rate", _RATE, "--subprocesses", "-o", str(output)]


@contextmanager
def attached(pid: int, output: Path | None) -> Iterator[None]:
    """Record the process tree of ``pid`` with py-spy while the block runs (if ``output``).

    A py-spy that cannot attach (no ptrace permission) is reported and the block runs
    unprofiled.
    """
    if output is None:
        yield
        return
    log = output.with_suffix(".log")
    with log.open("wb") as messages:
        spy = subprocess.Popen(
            [*_record(output), "--nonblocking", "--pid", str(pid)],
            stdout=messages,
            stderr=subprocess.STDOUT,
        )
    _wait_sampling(spy, log)
    try:
        yield
    finally:
        # py-spy writes its file when interrupted, as after Ctrl-C.
        if spy.poll() is None:
            spy.send_signal(signal.SIGINT)
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()


def _wait_sampling(spy: subprocess.Popen[bytes], log: Path, timeout: float = 10.0) -> None:
    # A short block would end before py-spy attached and leave no file behind.
    deadline = time.monotonic() + timeout
    while b"Sampling" not in log.read_bytes():
        if spy.poll() is not None or time.monotonic() > deadline:
            print(f"py-spy did not start; see {log}", file=sys.stderr)
            return
        time.sleep(0.02)


def command(argv: list[str], output: Path) -> list[str]:
    """``argv`` run under py-spy, which writes ``output`` when the command exits."""
    return [*_record(output), "--", *argv]
