"""Golden trees: each case generates exactly its committed ``expected/`` folder.

Regenerate them with ``python -m tests.golden.regen`` and review the diff. The expected
trees must pass ``mypy --strict``, ``ruff format --check`` and ``ruff check``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diagnostics import errors_in, render_all
from generator.pipeline import TypesStage
from tests.generator.binding import bind_in_subprocess
from tests.generator.quality import (
    ROOT,
    mypy_strict,
    python_files,
    ruff_check,
    ruff_check_without_config,
    ruff_format_check,
)
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


MISUSE = '''"""A service that implements the generated handler interface wrongly."""

import orders_v3
from amqp_events import Delivery, Headers
from orders_v3 import payloads as p

Plain = Delivery[Headers]


class Incomplete(orders_v3.Handlers):
    def on_order_created(self, payload: p.Order, delivery: Delivery[p.OrderCreatedHeaders]) -> None:
        pass

    def on_order_shipped(self, payload: p.OrderShipped, delivery: Plain) -> None:
        pass


class Mistyped(orders_v3.Handlers):
    def on_order_created(self, payload: p.OrderShipped, delivery: Plain) -> None:  # line 19
        pass

    def on_order_shipped(self, payload: p.OrderShipped, delivery: Plain) -> None:
        pass

    def on_order_cancelled(self, payload: p.OrderCancelled, delivery: Plain) -> int:  # line 25
        return 1


orders_v3.bind(orders_v3.create_app(), Incomplete())  # line 29
orders_v3.bind(orders_v3.create_app(), Mistyped())
'''


def test_a_missing_or_mistyped_handler_is_a_mypy_error(tmp_path: Path) -> None:
    [orders] = [case.expected for case in CASES if case.name == "orders_v3"]
    user = tmp_path / "user"
    user.mkdir()
    (user / "misuse.py").write_text(MISUSE, encoding="utf-8")
    status, output = mypy_strict([orders, user], tmp_path)
    found = sorted(
        (
            int(line.split(":")[1]),
            line.rsplit("[", 1)[1].rstrip("]"),
            " ".join(line.split("error: ")[1].split()[:4]),
        )
        for line in output.splitlines()
        if line.startswith("user/misuse.py:") and ": error: " in line
    )
    assert status == 1
    assert found == [
        (19, "override", 'Argument 1 of "on_order_created"'),
        (19, "override", 'Argument 2 of "on_order_created"'),
        (25, "override", 'Return type "int" of'),
        (29, "abstract", "Cannot instantiate abstract class"),
    ], output
    assert 'abstract class "Incomplete" with abstract attribute "on_order_cancelled"' in output


def test_the_expected_trees_pass_ruff() -> None:
    files = python_files(case.expected for case in CASES)
    assert files
    status, output = ruff_format_check(files)
    assert status == 0, output
    status, output = ruff_check(files)
    assert status == 0, output
    # Users lint generated packages with their own settings, or none: the modules
    # (not the scaffold, which is theirs to edit) pass ruff's defaults too.
    modules = [f for f in files if not f.endswith("_handlers.py")]
    status, output = ruff_check_without_config(modules)
    assert status == 0, output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_expected_package_binds_to_an_events_app(case: Case) -> None:
    [package] = [p for p in case.expected.iterdir() if (p / "__init__.py").exists()]
    done = bind_in_subprocess(case.expected, [package.name])
    assert done.returncode == 0, done.stderr


def test_generated_code_imports_the_runtime_never_the_generator() -> None:
    for path in python_files(case.expected for case in CASES):
        text = Path(path).read_text(encoding="utf-8")
        assert "generator" not in {
            line.split()[1].split(".")[0]
            for line in text.splitlines()
            if line.startswith(("import ", "from "))
        }, path


def test_every_generated_module_starts_with_the_do_not_edit_header() -> None:
    modules = [
        path
        for case in CASES
        for path in sorted(case.expected.rglob("*.py"))
        if not path.name.endswith("_handlers.py")  # the scaffold is the user's
    ]
    assert modules
    for path in modules:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        stamp = r"# Code generated by amqp-events-gen \S+ \(generated-code API \d+\) from .+"
        assert re.fullmatch(stamp + r"\. DO NOT EDIT\.", first), path


def test_every_example_in_the_golden_specs_round_trips_through_the_types() -> None:
    checked = 0
    for case in CASES:
        [package] = [p for p in case.expected.iterdir() if (p / "__init__.py").exists()]
        script = (
            "import importlib, json\n"
            f"examples = importlib.import_module({package.name + '.examples'!r})\n"
            "count = sum(len(v) for k, v in vars(examples).items()"
            " if k.isupper() and isinstance(v, tuple))\n"
            "print(json.dumps([count, examples.roundtrip_examples()]))\n"
        )
        done = subprocess.run(
            [sys.executable, "-W", "error", "-c", script],
            env={**os.environ, "PYTHONPATH": f"{case.expected}{os.pathsep}{ROOT}"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        count, mismatches = json.loads(done.stdout)
        assert mismatches == [], f"{case.name}: {mismatches}"
        checked += count
    assert checked >= 5, "the golden specs carry examples of payloads and headers"
