"""The golden cases: each folder holds ``asyncapi.yaml``, ``options.json`` and ``expected/``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.pipeline import Options, TypesStage, compile_document

__all__ = ["GOLDEN", "Case", "cases"]

GOLDEN = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    """One golden case."""

    folder: Path

    @property
    def name(self) -> str:
        """The case's folder name."""
        return self.folder.name

    @property
    def expected(self) -> Path:
        """The folder of the expected generated tree."""
        return self.folder / "expected"

    def options(self) -> Options:
        """The generator options of the case."""
        settings = json.loads((self.folder / "options.json").read_text())
        return Options(
            spec=self.folder / "asyncapi.yaml",
            output=self.expected,
            display=f"{self.name}/asyncapi.yaml",
            **settings,
        )

    def generate(self, build_types: TypesStage) -> tuple[dict[str, str], tuple[Diagnostic, ...]]:
        """Every file the case generates (scaffold included), by path below ``expected``."""
        compiled = compile_document(self.options(), build_types=build_types)
        if compiled.tree is None:
            return {}, compiled.diagnostics
        files = dict(compiled.tree.files)
        if compiled.tree.scaffold is not None:
            path, text = compiled.tree.scaffold
            files[path] = text
        return files, compiled.diagnostics

    def on_disk(self) -> dict[str, str]:
        """The expected tree as committed."""
        return {
            path.relative_to(self.expected).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(self.expected.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        }


def cases() -> list[Case]:
    """Every golden case, sorted by name."""
    return [Case(p) for p in sorted(GOLDEN.iterdir()) if (p / "options.json").is_file()]
