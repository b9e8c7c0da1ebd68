"""Completion records: handlers append fixed-size lines to a file, the harness polls its size.

One ``write`` with ``O_APPEND`` per handled message keeps lines whole across the pool
processes and costs no broker round trip, so detecting completion does not slow what
is measured. Each line holds the payload's sequence number and the handler's clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LINE_BYTES = 29
"""``{seq:010d} {time:017.6f}\\n``; fixed, so the file size counts the lines."""


class Sink:
    """The writing side, used by handlers; opens its file once per process."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd = -1
        self._pid = -1

    def record(self, seq: int) -> None:
        """Append one completion line for payload ``seq``."""
        pid = os.getpid()
        if pid != self._pid:
            # A forked pool process must not share its parent's descriptor position.
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._pid = pid
        os.write(self._fd, f"{seq:010d} {time.time():017.6f}\n".encode())


@dataclass(frozen=True, slots=True)
class Record:
    """One handled message: its sequence number and when its handler finished."""

    seq: int
    at: float


class SinkTimeoutError(RuntimeError):
    """Fewer messages were handled than expected before the deadline."""


class SinkReader:
    """The harness side: counts lines by file size and reads them incrementally."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: list[Record] = []
        self._offset = 0

    def reset(self) -> None:
        """Empty the file (no handler may be writing) and forget what was read."""
        self.path.write_bytes(b"")
        self.records = []
        self._offset = 0

    def count(self) -> int:
        """Lines written so far."""
        try:
            return self.path.stat().st_size // LINE_BYTES
        except FileNotFoundError:
            return 0

    def read_new(self) -> list[Record]:
        """Read the lines written since the last call and return them."""
        with self.path.open("rb") as file:
            file.seek(self._offset)
            data = file.read()
        whole = len(data) - len(data) % LINE_BYTES
        new = [
            Record(int(data[start : start + 10]), float(data[start + 11 : start + 28]))
            for start in range(0, whole, LINE_BYTES)
        ]
        self.records.extend(new)
        self._offset += whole
        return new

    def read(self) -> list[Record]:
        """Read what was written since the last call; return every record so far."""
        self.read_new()
        return self.records

    def wait(
        self,
        count: int,
        *,
        timeout: float,
        check: Callable[[], None] = lambda: None,
        interval: float = 0.005,
    ) -> list[Record]:
        """Poll until ``count`` lines exist; ``check`` raises if a worker died meanwhile."""
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise SinkTimeoutError(
                    f"only {self.count()} of {count} messages were handled within {timeout:g} s"
                )
            check()
            time.sleep(interval)
        return self.read()
