"""The example services: committed code matches their specs, and they run end to end."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.workers import ROOT

EXAMPLES = ROOT / "examples"
GENERATOR = str(Path(sys.executable).with_name("amqp-events-gen"))


@pytest.mark.parametrize("service", ["orders", "billing"])
def test_the_committed_generated_code_matches_the_spec(service: str) -> None:
    done = subprocess.run(
        [
            GENERATOR,
            f"examples/{service}/asyncapi.yaml",
            "-o",
            f"examples/{service}",
            "--package",
            f"{service}_events",
            "--check",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@contextlib.contextmanager
def isolated_url(amqp_url: str) -> Iterator[str]:
    """A vhost of the test's own when rabbitmqctl can make one (the demo uses fixed names)."""
    if shutil.which("rabbitmqctl") is None or not amqp_url.endswith("//"):
        yield amqp_url
        return
    vhost = f"amqp-events-demo-{uuid.uuid4().hex[:8]}"
    user = amqp_url.split("://", 1)[1].split(":", 1)[0] or "guest"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True, timeout=60)
    try:
        subprocess.run(
            ["rabbitmqctl", "-q", "set_permissions", "-p", vhost, user, ".*", ".*", ".*"],
            check=True,
            timeout=60,
        )
        yield amqp_url[:-1] + vhost
    finally:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False, timeout=60)


@pytest.mark.broker
def test_the_demo_runs_both_services_end_to_end(amqp_url: str) -> None:
    with isolated_url(amqp_url) as url:
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "demo.py")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={"PATH": str(Path(sys.executable).parent), "AMQP_URL": url, "DEMO_ORDERS": "4"},
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All 4 orders were invoiced by billing and marked paid by orders." in done.stdout
    assert done.stdout.count(" paid: ") == 4
