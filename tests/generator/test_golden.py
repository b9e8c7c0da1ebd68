"""Golden trees: each case generates exactly its committed ``expected/`` folder.

Regenerate them with ``python -m tests.golden.regen`` and review the diff. The expected
trees must pass ``mypy --strict``, ``ruff format --check`` and ``ruff check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import errors_in, render_all
from generator.pipeline import TypesStage
from tests.generator.quality import mypy_strict, python_files, ruff_check, ruff_format_check
from tests.golden.cases import Case, cases

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_generated_tree_is_the_committed_one(case: Case, build_types: TypesStage) -> None:
    generated, diagnostics = case.generate(build_types)
    assert not errors_in(diagnostics), render_all(diagnostics)
    on_disk = case.on_disk()
    assert sorted(generated) == sorted(on_disk), "run python -m tests.golden.regen"
    for path, text in generated.items():
        assert text == on_disk[path], (
            f"{case.name}/{path} differs; run python -m tests.golden.regen"
        )


def test_generation_is_deterministic(build_types: TypesStage) -> None:
    for case in CASES:
        assert case.generate(build_types) == case.generate(build_types)


def test_the_expected_trees_pass_mypy_strict(tmp_path: Path) -> None:
    status, output = mypy_strict([case.expected for case in CASES], tmp_path)
    assert status == 0, output


def test_the_expected_trees_pass_ruff() -> None:
    files = python_files(case.expected for case in CASES)
    assert files
    status, output = ruff_format_check(files)
    assert status == 0, output
    status, output = ruff_check(files)
    assert status == 0, output


def test_generated_code_imports_the_runtime_never_the_generator() -> None:
    for path in python_files(case.expected for case in CASES):
        text = Path(path).read_text(encoding="utf-8")
        assert "generator" not in {
            line.split()[1].split(".")[0]
            for line in text.splitlines()
            if line.startswith(("import ", "from "))
        }, path
