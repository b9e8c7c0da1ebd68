"""Fixtures of the contract tests: the example services' documents in a git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.workers import ROOT

NOTE = "        note:\n          type: [string, 'null']"
COUPON = "        coupon:\n          type: string\n" + NOTE


def git(repo: Path, *arguments: str) -> None:
    """Run git in ``repo`` as a test user."""
    subprocess.run(
        ["git", "-c", "user.email=test@example.com", "-c", "user.name=test", *arguments],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with the example services' documents committed; the cwd."""
    folder = tmp_path / "fleet"
    for service in ("orders", "billing"):
        (folder / service).mkdir(parents=True)
        shutil.copy(ROOT / "examples" / service / "asyncapi.yaml", folder / service)
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "the example services")
    monkeypatch.chdir(folder)
    return folder


def add_coupon(repo: Path) -> None:
    """The change a new user tries: an optional ``coupon`` on the orders service's Order."""
    path = repo / "orders" / "asyncapi.yaml"
    text = path.read_text()
    assert NOTE in text
    path.write_text(text.replace(NOTE, COUPON))
