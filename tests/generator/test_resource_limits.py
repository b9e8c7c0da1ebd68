"""Resource bombs end in a clear error within bounded time and memory, with default limits."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

from generator.load import LIMITS, load_text

GENERATOR = str(Path(sys.executable).with_name("amqp-events-gen"))


def test_a_document_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(LIMITS.max_bytes + 1)  # sparse: the size is real, the disk stays free
    started = time.monotonic()
    done = subprocess.run(
        [GENERATOR, str(huge), "-o", str(tmp_path / "gen")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "larger than 64 MiB" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 10


def test_too_many_values_stop_the_loader_within_bounded_time_and_memory() -> None:
    text = "[" + ",".join(["0"] * (LIMITS.max_values + 1)) + "]"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    loaded, problems = load_text(text)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert loaded is None
    assert "more than 1,000,000 values" in problems[0].message
    assert "alias" not in problems[0].message, "no alias was involved"
    # Generous bounds for a loaded 2-core machine; typically 6 s and 250 MB.
    assert elapsed < 60
    assert grown_mb < 1024
