"""The pre-commit hooks the project ships run as pre-commit runs them: entry, then args."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import yaml

from tests.contracts.conftest import add_coupon
from tests.examples.test_examples import GENERATOR
from tests.support.workers import ROOT

HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def _hook(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    entry = shlex.split(HOOKS[name]["entry"])
    assert entry[0] == "amqp-events-gen"
    assert HOOKS[name]["pass_filenames"] is False
    return subprocess.run(
        [GENERATOR, *entry[1:], *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_check_hook_passes_on_the_committed_examples() -> None:
    done = _hook(
        "amqp-events-gen-check",
        "examples/orders/asyncapi.yaml",
        "-o",
        "examples/orders",
        "--package",
        "orders_events",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is up to date" in done.stdout


def test_the_diff_hook_stops_a_breaking_commit(repo: Path) -> None:
    assert _hook("amqp-events-gen-diff", "orders/asyncapi.yaml", cwd=repo).returncode == 0
    add_coupon(repo)
    done = _hook("amqp-events-gen-diff", "orders/asyncapi.yaml", cwd=repo)
    assert done.returncode == 1
    assert "breaking: The property 'coupon'" in done.stdout
    other = _hook("amqp-events-gen-diff", "--against", "nope", "orders/asyncapi.yaml", cwd=repo)
    assert other.returncode == 2
    assert "The revision 'nope' does not exist" in other.stderr


def test_the_contracts_hook_passes_on_the_example_services() -> None:
    done = _hook(
        "amqp-events-gen-contracts",
        "examples/orders/asyncapi.yaml",
        "examples/billing/asyncapi.yaml",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].endswith("0 breaking, 0 compatible, 1 info.")
