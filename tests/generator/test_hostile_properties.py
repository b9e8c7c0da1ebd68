"""Property-based hostile documents: whatever text a document holds, it never becomes code.

Hypothesis builds documents whose names, titles, descriptions, enum values, defaults,
examples and property names mix quotes, triple quotes, backslashes, newlines, template
syntax, Python keywords, dunders, unicode, very long strings and names that differ only
in case or punctuation. Every document must compile; every package must parse, import,
keep document text inside strings and comments (its modules hold only what the
templates produce), give each message its own function and method, and pass
``mypy --strict`` (checked once over all packages at the end).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.output import write_tree
from generator.pipeline import Options, TypesStage, compile_document
from tests.generator.quality import ROOT, mypy_strict, python_files
from tests.generator.template_code import assert_only_template_code, code_shape
from tests.support.figures import record

MARK = "Qz7"
"""Starts every hostile string, so its pieces can be found in the generated source."""

PIECES = [
    '"""',
    "'''",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "{{ x }}",
    "{% if x %}",
    "{#",
    "#",
    "$",
    "'",
    '"',
    "class",
    "def",
    "None",
    "True",
    "lambda",
    "match",
    "__init__",
    "__class__",
    "__import__",
    "import os",
    'os.system("x")',
    "é",
    "漢字",
    "\u2028",
    "\x00",
    "😀",
    " ",
    "-",
    ".",
    "_",
    "a" * 120,
]
hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), min_size=1, max_size=5).map(
    lambda parts: MARK + "".join(parts)
)
# Message names that collide once made into identifiers: case and punctuation only.
CLASHING = [
    "order created",
    "Order-Created",
    "ORDER_CREATED",
    "order.created",
    "orderCreated",
    "class",
    "Class",
    "__init__",
    "None",
    "fire",
    "on",
]


def _message(index: int, name: str, draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(hostile | st.sampled_from(CLASHING), min_size=1, max_size=3, unique=True))
    values = draw(st.lists(hostile, min_size=1, max_size=3, unique=True))
    properties = {
        prop: {
            "type": "string",
            "enum": values,
            "default": values[0],
            "title": draw(hostile),
            "description": draw(hostile),
        }
        for prop in names
    }
    return {
        "name": name,
        "title": draw(hostile),
        "summary": draw(hostile),
        "description": draw(hostile),
        "payload": {
            "type": "object",
            "description": draw(hostile),
            "properties": properties,
            "required": names[:1],
        },
        "examples": [{"name": draw(hostile), "payload": {names[0]: values[-1]}}],
    }


def _benign_twin(document: object) -> Any:
    """``document`` with each hostile text (and clashing name) replaced by its own word."""
    words: dict[str, str] = {}

    def plain(value: object) -> Any:
        if isinstance(value, str) and (value.startswith(MARK) or value in CLASHING):
            return words.setdefault(value, f"plain{len(words)}")
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {plain(key): plain(item) for key, item in value.items()}
        return value

    return plain(document)


@st.composite
def documents(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """A valid AsyncAPI 3.0 document full of hostile text, and its number of messages."""
    count = draw(st.integers(min_value=1, max_value=4))
    message_names = draw(
        st.lists(hostile | st.sampled_from(CLASHING), min_size=count, max_size=count, unique=True)
    )
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for index, name in enumerate(message_names):
        slug = "".join(ch for ch in draw(hostile) if ch.isalnum())[:40] or "x"
        channels[f"c{index}"] = {
            "address": f"hostile.{index}.{slug}",
            "description": draw(hostile),
            "messages": {f"m{index}": _message(index, name, draw)},
        }
        operations[f"send{index}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/c{index}"},
            "summary": draw(hostile),
        }
        operations[f"receive{index}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/c{index}"},
            "description": draw(hostile),
        }
    info = {"title": draw(hostile), "version": "1.0.0", "description": draw(hostile)}
    document = {"asyncapi": "3.0.0", "info": info, "channels": channels, "operations": operations}
    return document, count


def test_hostile_documents_always_compile_into_safe_packages_that_pass_mypy(
    tmp_path: Path, build_types: TypesStage
) -> None:
    output = tmp_path / "gen"
    twins = tmp_path / "twins-gen"
    packages: dict[str, int] = {}

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(documents())
    def compile_one(case: tuple[dict[str, Any], int]) -> None:
        document, count = case
        package = f"hostile{len(packages)}"
        spec = tmp_path / f"{package}.yaml"
        spec.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        compiled = compile_document(
            Options(spec=spec, output=output, package=package), build_types=build_types
        )
        assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
        assert write_tree(output, compiled.tree).diagnostics == ()
        for path in sorted((output / package).glob("*.py")):
            assert_only_template_code(path, mark=MARK, package=package)
        # The same document with every hostile text replaced by a plain word.
        twin_spec = tmp_path / "twins" / f"{package}.yaml"
        twin_spec.parent.mkdir(exist_ok=True)
        twin_spec.write_text(yaml.safe_dump(_benign_twin(document)), encoding="utf-8")
        twin = compile_document(
            Options(spec=twin_spec, output=twins, package=package), build_types=build_types
        )
        assert twin.tree is not None, [d.render() for d in twin.diagnostics]
        assert write_tree(twins, twin.tree).diagnostics == ()
        for path in sorted((output / package).glob("*.py")):
            twin_path = twins / package / path.name
            assert code_shape(path) == code_shape(twin_path), f"{path} differs from {twin_path}"
        packages[package] = count

    compile_one()

    # Import every package (warnings are errors), count its functions and methods.
    script = (
        "import importlib, json\n"
        "report = {}\n"
        f"for name in {sorted(packages)!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    fires = [n for n in dir(package) if n.startswith('fire_')]\n"
        "    methods = sorted(package.Handlers.__abstractmethods__)\n"
        "    report[name] = [len(set(fires)), len(set(methods)),"
        " importlib.import_module(name + '.examples').roundtrip_examples()]\n"
        "print(json.dumps(report))\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        env={**os.environ, "PYTHONPATH": f"{output}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for package, count in packages.items():
        fires, methods, mismatches = report[package]
        assert (fires, methods) == (count, count), f"{package}: names collided"
        assert mismatches == [], f"{package}: {mismatches}"

    status, output_text = mypy_strict([output], tmp_path)
    assert status == 0, output_text
    assert len(packages) >= 20
    record(
        "hostile documents",
        f"{len(packages)} tried, {len(packages)} compiled and passed mypy --strict, "
        f"{sum(packages.values())} messages, 0 collisions",
    )
    assert python_files([output])
