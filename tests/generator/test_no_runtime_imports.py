"""Compiling or comparing documents loads none of Celery: the generator is a tool, not a worker.

Each test runs the command line in a fresh interpreter and reports which modules of
Celery or kombu it loaded, so an import that sneaks in through ``amqp_events`` shows.
"""

from __future__ import annotations

import shutil
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
        [sys.executable, "-c", _PROBE, *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    # The command prints what it did first; the probe's line is the last.
    status, _, loaded = done.stdout.strip().splitlines()[-1].partition(" ")
    return int(status), loaded.split()


def test_generating_never_loads_celery(tmp_path: Path) -> None:
    status, loaded = _run(str(SPEC), "-o", str(tmp_path), "--package", "orders_v3")
    assert status == 0
    assert loaded == []


def test_checking_never_loads_celery(tmp_path: Path) -> None:
    assert _run(str(SPEC), "-o", str(tmp_path), "--package", "orders_v3")[0] == 0
    status, loaded = _run(str(SPEC), "-o", str(tmp_path), "--package", "orders_v3", "--check")
    assert status == 0
    assert loaded == []


def test_diff_never_loads_celery(tmp_path: Path) -> None:
    # A later version that narrows a schema, changes a retry ladder and an exchange, so
    # every part of the comparison runs, the runtime's topology rules included.
    for document in SPEC.parent.glob("*.yaml"):
        shutil.copy(document, tmp_path)
    later = tmp_path / SPEC.name
    text = later.read_text(encoding="utf-8")
    for old, new in (
        ("maxLength: 200", "maxLength: 100"),
        ("delays: [1, 5, 30]", "delays: [1, 5, 60]"),
        ("name: orders\n          type: topic", "name: orders\n          type: direct"),
    ):
        assert old in text
        text = text.replace(old, new)
    later.write_text(text, encoding="utf-8")
    status, loaded = _run("diff", str(SPEC), str(later))
    assert status == 1
    assert loaded == []
