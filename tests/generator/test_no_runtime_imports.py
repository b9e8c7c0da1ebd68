"""Compiling a document loads none of Celery: the generator is a tool, not a worker.

Each test runs the command line in a fresh interpreter and reports which modules of
Celery or kombu it loaded, so an import that sneaks in through ``amqp_events`` shows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.golden.cases import GOLDEN

_PROBE = """
import sys
from generator.cli import main

status = main(sys.argv[1:])
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("celery", "kombu"))
print(status, " ".join(loaded))
"""

# A document with examples, headers and every kind of binding: the examples are checked
# with the runtime's format checks while generating.
SPEC = GOLDEN / "orders_v3" / "asyncapi.yaml"


def _run(*arguments: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(SPEC), *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    # The command prints what it did first; the probe's line is the last.
    status, _, loaded = done.stdout.strip().splitlines()[-1].partition(" ")
    return int(status), loaded.split()


def test_generating_never_loads_celery(tmp_path: Path) -> None:
    status, loaded = _run("-o", str(tmp_path), "--package", "orders_v3")
    assert status == 0
    assert loaded == []


def test_checking_never_loads_celery(tmp_path: Path) -> None:
    assert _run("-o", str(tmp_path), "--package", "orders_v3")[0] == 0
    status, loaded = _run("-o", str(tmp_path), "--package", "orders_v3", "--check")
    assert status == 0
    assert loaded == []
