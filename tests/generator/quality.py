"""Run the project's pinned mypy and ruff over generated trees, in as few processes as possible."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["ROOT", "mypy_strict", "python_files", "ruff_check", "ruff_format_check"]

ROOT = Path(__file__).resolve().parents[2]
_BIN = Path(sys.executable).parent
_MYPY_CONFIG = """\
[mypy]
strict = True
warn_unreachable = True
enable_error_code = ignore-without-code, redundant-expr, truthy-bool
python_version = 3.11
explicit_package_bases = True
mypy_path = {path}

[mypy-amqp_events.*]
follow_imports = silent

[mypy-fastjsonschema.*]
ignore_missing_imports = True
"""


def python_files(roots: Iterable[Path]) -> list[str]:
    """Every ``.py`` file below ``roots``, sorted."""
    return sorted(
        str(p) for root in roots for p in root.rglob("*.py") if "__pycache__" not in p.parts
    )


def _run(command: Sequence[str], cwd: Path) -> tuple[int, str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


def mypy_strict(roots: Sequence[Path], workdir: Path) -> tuple[int, str]:
    """``mypy --strict`` over every generated tree; each root is a folder of packages."""
    config = workdir / "mypy.ini"
    config.write_text(_MYPY_CONFIG.format(path=":".join(str(r) for r in roots)))
    command = [
        str(_BIN / "mypy"),
        "--config-file",
        str(config),
        "--cache-dir",
        str(ROOT / ".mypy_cache" / "generated"),
        "--no-error-summary",
        *python_files(roots),
    ]
    # Run outside the checkout so the project's own configuration plays no part.
    return _run(command, workdir)


def ruff_format_check(files: Sequence[str]) -> tuple[int, str]:
    """``ruff format --check`` with the project's settings."""
    return _run([str(_BIN / "ruff"), "format", "--check", "--quiet", *files], ROOT)


def ruff_check(files: Sequence[str], *, select: str | None = None) -> tuple[int, str]:
    """``ruff check`` with the project's rules; ``amqp_events`` counts as an installed package."""
    only = ["--select", select] if select else []
    command = [
        str(_BIN / "ruff"),
        "check",
        "--quiet",
        "--output-format",
        "concise",
        "--config",
        'lint.isort.known-third-party = ["amqp_events"]',
        *only,
        *files,
    ]
    return _run(command, ROOT)


def ruff_check_without_config(files: Sequence[str]) -> tuple[int, str]:
    """``ruff check`` with ruff's own defaults, as in a project that configures nothing."""
    command = [str(_BIN / "ruff"), "check", "--isolated", "--quiet", *files]
    return _run(command, ROOT)
