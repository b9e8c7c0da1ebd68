"""Worker subprocesses and what /proc says about them: process trees, CPU time, peak memory."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_TICKS = os.sysconf("SC_CLK_TCK")


class WorkerDiedError(RuntimeError):
    """A worker exited while a scenario still needed it."""


class Worker:
    """One worker command in its own session, so killing its group kills its pool too."""

    def __init__(self, argv: Sequence[str], *, env: Mapping[str, str], log: Path) -> None:
        self.argv = list(argv)
        self.env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the command, appending its output to the log file."""
        with self.log.open("ab") as log:
            log.write(f"\n=== {' '.join(self.argv)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        """The worker's main process id."""
        if self.process is None:
            raise WorkerDiedError("the worker is not running")
        return self.process.pid

    def check(self) -> None:
        """Raise with the log's tail when the worker has exited."""
        if self.process is not None and self.process.poll() is not None:
            raise WorkerDiedError(
                f"the worker exited with {self.process.returncode}; log {self.log}:\n{self.tail()}"
            )

    def kill(self) -> None:
        """SIGKILL the whole process group and reap the main process."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def tail(self, lines: int = 30) -> str:
        """The end of the worker's log."""
        try:
            text = self.log.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def celery_worker(
    app: str, *, name: str, env: Mapping[str, str], log: Path, concurrency: int = 2
) -> Worker:
    """A prefork ``celery worker`` with the flags the README recommends for production."""
    return Worker(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app,
            "worker",
            "-n",
            f"{name}@%h",
            "--pool=prefork",
            "-c",
            str(concurrency),
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        env=env,
        log=log,
    )


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces; fields after it are space separated.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that are alive."""
    children = _children()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def tree_peak_rss_mib(pid: int) -> float:
    """Sum of each process's peak resident set (VmHWM) over the tree, in MiB."""
    return sum(_status_kib(p, "VmHWM") for p in process_tree(pid)) / 1024


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process, or 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its living descendants."""
    return sum(cpu_seconds(p) for p in process_tree(pid))


def broker_pid() -> int | None:
    """The local RabbitMQ node's process, when it runs on this machine and /proc shows it."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        # The node boots with "-s rabbit boot"; rabbitmqctl's own VM does not.
        if b"\x00-s\x00rabbit\x00boot\x00" in cmdline:
            return int(entry.name)
    return None
