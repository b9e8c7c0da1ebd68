"""Fixtures for the generator's tests: compile documents written inline or on disk."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic
from generator.payloads import build_types as real_build_types
from generator.pipeline import Compiled, Options, TypesStage, compile_document
from tests.generator.summary import MANIFEST_COUNTS

SHARED = Path(__file__).resolve().parents[3] / "shared"
"""The shared folder of real documents and official schemas, next to the checkout."""


@pytest.fixture(scope="session")
def build_types() -> TypesStage:
    """The payloads stage the pipeline uses (a fixture, so a test can swap it)."""
    return real_build_types


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[..., Path]:
    """Write a document (and any files it references) under ``tmp_path/spec``."""

    def write(text: str, name: str = "asyncapi.yaml", **others: str) -> Path:
        folder = tmp_path / "spec"
        for relative, content in {name: text, **others}.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return folder / name

    return write


@pytest.fixture
def compile_spec(
    write_spec: Callable[..., Path], tmp_path: Path, build_types: TypesStage
) -> Callable[..., Compiled]:
    """Compile an inline document in memory."""

    def run(text: str, *, package: str | None = "pkg", **options: object) -> Compiled:
        path = write_spec(text)
        return compile_document(
            Options(spec=path, output=tmp_path / "gen", package=package, **options),  # type: ignore[arg-type]
            build_types=build_types,
        )

    return run


def errors(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[Diagnostic]:
    """The errors among diagnostics."""
    return [d for d in diagnostics if d.level == "error"]


def messages(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[str]:
    """Rendered diagnostics, for readable assertions."""
    return [d.render() for d in diagnostics]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how the shared real-world documents fared, whenever their test ran."""
    failed = [
        report
        for report in terminalreporter.stats.get("failed", [])
        if "test_manifest.py::test_each_document" in getattr(report, "nodeid", "")
    ]
    if not MANIFEST_COUNTS and not failed:
        return
    terminalreporter.write_sep("-", "AsyncAPI documents of the shared manifest")
    for outcome, count in sorted(MANIFEST_COUNTS.items()):
        terminalreporter.write_line(f"{outcome}: {count}")
    terminalreporter.write_line(f"failures: {len(failed)}")
