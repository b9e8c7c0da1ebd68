"""Generated modules pass mypy --strict and ruff (lint and format) with the project's
configuration, document every public name, and import without warnings.

All packages are checked in one mypy run and one run of each ruff command: mypy takes
seconds per run, not per package.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.generator.payloads import specs
from tests.generator.payloads.conftest import Generated
from tests.generator.payloads.support import (
    PROJECT,
    build,
    import_package,
    run_tool,
    undocumented,
    write_package,
)
from tests.generator.payloads.test_fixtures import fixture_modules

FUZZ_SEEDS = range(12)

USAGE = '''"""Code a user writes against generated payloads; mypy must accept it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from amqp_events.codec import UNSET
from amqp_events.wire import JsonValue

from features_pkg import payloads


def build() -> payloads.Order:
    """An order, typed by the generated classes."""
    item = payloads.OrderItemsItem(sku="ABC", qty=1, price=payloads.Money(amount=1, currency="EUR"))
    return payloads.Order(
        order_id=uuid.uuid4(),
        class_="gold",
        items=[item],
        note=None,
        created_at=datetime.now(UTC),
        status="paid",
    )


def read(data: JsonValue) -> str:
    """Narrowing works on unions and UNSET."""
    event = payloads.decode_event(data)
    if isinstance(event, payloads.Created):
        return event.name
    order = build()
    if order.coupon is UNSET:
        return "no coupon"
    return order.coupon
'''

MISUSE = '''"""Code with type errors; mypy must report each one."""

from __future__ import annotations

from features_pkg import payloads

payloads.Money(amount=1, currency="GBP")  # line 7: not a Currency
payloads.Money(amount="1", currency="EUR")  # line 8: not a float
payloads.Order(order_id="x")  # line 9: a str is not a UUID, fields missing
payloads.encode_money(payloads.Open(id=1))  # line 10: wrong class
'''


@pytest.fixture(scope="module")
def checked(written: Path) -> Path:
    """Every shared package, the fuzzed ones, and the user code, in one directory."""
    for seed in FUZZ_SEEDS:
        write_package(build(specs.fuzz_schemas(seed, 25)), written, f"fuzz_{seed}_pkg")
    write_package(build(specs.fuzz_texts(0, 60)), written, "texts_pkg")
    for name, module in fixture_modules().items():
        write_package(module, written, name)
    (written / "usage.py").write_text(USAGE)
    (written / "misuse.py").write_text(MISUSE)
    return written


def test_ruff_check_passes(checked: Path) -> None:
    result = run_tool(
        "ruff",
        "check",
        "--config",
        str(PROJECT / "pyproject.toml"),
        "--exclude",
        "misuse.py",
        str(checked),
        cwd=checked,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_the_code_as_it_is(checked: Path) -> None:
    result = run_tool(
        "ruff",
        "format",
        "--check",
        "--diff",
        "--config",
        str(PROJECT / "pyproject.toml"),
        str(checked),
        cwd=checked,
    )
    assert result.returncode == 0, result.stdout[:5000] + result.stderr


def test_mypy_strict_passes_and_catches_misuse(checked: Path) -> None:
    result = run_tool(
        "mypy",
        "--config-file",
        str(PROJECT / "pyproject.toml"),
        "--strict",
        "--no-incremental",
        ".",
        cwd=checked,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    outside = [line for line in errors if not line.startswith("misuse.py:")]
    assert outside == [], result.stdout
    lines = {int(line.split(":")[1]) for line in errors}
    assert lines == {7, 8, 9, 10}, result.stdout


def test_every_public_name_has_a_docstring(
    features: Generated, recursive: Generated, hostile: Generated, empty: Generated
) -> None:
    for generated in (features, recursive, hostile, empty):
        for source in (
            generated.module.payloads_source,
            generated.module.schemas_source,
            generated.module.examples_source,
        ):
            assert undocumented(source) == []


def test_attributes_are_documented_with_what_the_document_says_only(
    features: Generated, recursive: Generated, hostile: Generated
) -> None:
    for generated in (features, recursive, hostile):
        source = generated.module.payloads_source
        assert not re.search(r'"""The ``[^`]*`` property\."""', source)
    # A property the document describes keeps its description, and a renamed one says
    # its JSON name: "class" is both.
    source = features.module.payloads_source
    assert '    class_: str\n    """A Python keyword on the wire.' in source
    assert "JSON name: ``class``." in source


def test_payload_modules_start_with_their_docstring_for_the_package_header(
    features: Generated,
) -> None:
    # The package renderer writes the one "DO NOT EDIT" header above these modules.
    for source in (
        features.module.payloads_source,
        features.module.schemas_source,
        features.module.examples_source,
    ):
        first = source.splitlines()[0]
        assert first.startswith(('"""', "# ruff: noqa", "# Spec text")), first


def test_import_raises_no_warnings(tmp_path: Path) -> None:
    module = build(specs.FEATURES, {"common.yaml": specs.COMMON})
    write_package(module, tmp_path, "warned_pkg")
    code = (
        "import warnings; warnings.simplefilter('error');"
        "import warned_pkg.payloads, warned_pkg.schemas, warned_pkg.examples"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": f"{tmp_path}:{PROJECT}"},
    )
    assert result.returncode == 0, result.stderr


def test_imported_in_process_without_warnings(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        modules = import_package(
            build(specs.HOSTILE, reserved=specs.HOSTILE_RESERVED), tmp_path, "quiet_pkg"
        )
    assert modules["examples"].roundtrip_examples() == []
