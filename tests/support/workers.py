"""Real ``celery worker`` subprocesses for tests: start, wait until consuming, kill, stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from tests.support.broker import Broker, wait_for

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


class WorkerProcess:
    """One ``celery worker`` in its own process group, logging to a file."""

    def __init__(
        self,
        app: str,
        *,
        env: Mapping[str, str],
        log: Path,
        name: str,
        pool: str = "prefork",
        concurrency: int = 2,
        extra_args: tuple[str, ...] = (),
        folder: Path = ROOT,
    ) -> None:
        """``folder`` is where the worker runs and imports ``app`` from, as its README says."""
        self.app = app
        self.folder = folder
        path = dict.fromkeys([str(folder), str(ROOT)])
        self.env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(path)}
        self.log = log
        self.name = name
        self.pool = pool
        self.concurrency = concurrency
        self.extra_args = extra_args
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Start the worker (in a new session, so killing its group kills its pool too)."""
        self.starts += 1
        command = [
            CELERY,
            "-A",
            self.app,
            "worker",
            "-n",
            f"{self.name}-{self.starts}@%h",
            f"--pool={self.pool}",
            "-c",
            str(self.concurrency),
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "info",
            *self.extra_args,
        ]
        with self.log.open("ab") as log:
            log.write(f"\n=== start {self.starts}: {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command,
                cwd=self.folder,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_consuming(self, broker: Broker, queue: str, *, timeout: float = 30.0) -> None:
        """Wait until ``queue`` has a consumer; fail with the log's tail when the worker died."""

        def consuming() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(
                    f"The worker exited with {self.process.returncode}; log tail:\n{self.tail()}"
                )
            return broker.consumers(queue) > 0

        try:
            wait_for(consuming, timeout=timeout, interval=0.1, what=f"a consumer on {queue}")
        except AssertionError as error:
            raise AssertionError(f"{error}\nWorker log tail:\n{self.tail()}") from None

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self, timeout: float = 20.0) -> None:
        """Ask for a warm shutdown; SIGKILL when it takes longer than ``timeout``."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self.process = None

    def terminate(self, timeout: float = 30.0) -> None:
        """SIGTERM the main process alone, as an orchestrator does on a deploy; wait for it."""
        assert self.process is not None, "the worker is not running"
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        self.process = None

    @property
    def node_name(self) -> str:
        """The Celery node name of the current start (what ``-n`` expanded to)."""
        return f"{self.name}-{self.starts}@{socket.gethostname()}"

    def control_shutdown(self, timeout: float = 30.0) -> None:
        """Ask for a warm shutdown with ``celery control shutdown`` and wait for the exit."""
        assert self.process is not None, "the worker is not running"
        # A worker that shuts down sends no reply, so the command exits 69 ("no reply").
        subprocess.run(
            [CELERY, "-A", self.app, "control", "shutdown", "-d", self.node_name],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        self.process.wait(timeout=timeout)
        self.process = None

    def children(self) -> list[int]:
        """Process ids of the worker's pool processes."""
        assert self.process is not None, "the worker is not running"
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    @property
    def running(self) -> bool:
        """Tell whether the worker process is alive."""
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 60) -> str:
        """The end of the worker log."""
        try:
            text = self.log.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def wait_until(deadline_s: float) -> float:
    """Seconds left until a monotonic deadline (never negative)."""
    return max(0.0, deadline_s - time.monotonic())
