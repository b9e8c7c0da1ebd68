"""Hostile documents: text from a document never becomes code, and nothing is written elsewhere.

The document below puts quotes, triple quotes, backslashes, newlines, template syntax,
Python keywords, dunders and code fragments into every place text can go. The package
must still compile, import without warnings, pass mypy and ruff, and every marker from
the document may appear in the generated source only inside strings and comments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.output import write_tree
from generator.pipeline import Options, TypesStage, compile_document, generate
from tests.generator.quality import ROOT, mypy_strict, python_files, ruff_check, ruff_format_check
from tests.generator.template_code import assert_only_template_code

MARK = "PWNED"
NASTY = [
    f'"""); import os; os.system("{MARK}") #',
    f"'''{MARK}'''",
    f"\\{MARK}\\",
    f"line one\nline two {MARK}\r\n",
    f"{{{{ {MARK} }}}} {{% for x in y %}}{MARK}{{% endfor %}}",
    f"{MARK}\u2028\x00\t\x7f é 漢字",
    f"{MARK} \"quoted\" 'single'",
]
LONG = f"{MARK} " + "a very long sentence with spaces " * 12


def _hostile_document() -> dict[str, Any]:
    text = " | ".join(NASTY)
    enum = ["eu", 'quote"', "it's", "back\\slash", "{{ x }}", "new\nline", MARK]
    payload = {
        "type": "object",
        "description": text,
        "properties": {
            "class": {"type": "string", "enum": NASTY, "examples": NASTY},
            '"""': {"type": "string", "default": NASTY[0]},
            "__init__": {"type": "integer", "title": LONG},
        },
        "examples": [{"class": NASTY[0]}],
    }
    messages = {}
    for index, name in enumerate(
        ["class", "__import__", f'print("{MARK}")', "Robert'); DROP TABLE x", "a\nb", "__init__"]
    ):
        messages[f"m{index}"] = {
            "name": name,
            "title": NASTY[index % len(NASTY)],
            "summary": LONG if index == 0 else NASTY[(index + 1) % len(NASTY)],
            "description": text,
            "payload": payload,
            "headers": {
                "type": "object",
                "properties": {'x-"id"': {"type": "string"}, f"{MARK}\n": {"type": "string"}},
            },
            "correlationId": {"location": '$message.header#/x-"id"'},
            "bindings": {"amqp": {"messageType": f'{MARK}"); import os #{index}'}},
            "examples": [{"payload": {"class": NASTY[1]}, "headers": {'x-"id"': NASTY[2]}}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": text, "version": NASTY[0], "description": LONG + text},
        "channels": {
            "__class__": {
                "address": f"evil.\"{MARK}\".{{region}}.'\\'.{LONG.replace(' ', '-')}",
                "description": text,
                "parameters": {"region": {"enum": enum, "description": text}},
                "messages": messages,
                "bindings": {"amqp": {"exchange": {"name": f'ex"{MARK}\\', "type": "topic"}}},
            }
        },
        "operations": {
            "__del__": {
                "action": "send",
                "channel": {"$ref": "#/channels/__class__"},
                "summary": text,
            },
            "import": {
                "action": "receive",
                "channel": {"$ref": "#/channels/__class__"},
                "description": text,
                "x-amqp-events-retry": {"delays": [1, 2]},
            },
        },
    }


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory, build_types: TypesStage) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    spec = folder / "asyncapi.yaml"
    spec.write_text(yaml.safe_dump(_hostile_document(), allow_unicode=True), encoding="utf-8")
    output = folder / "gen"
    compiled = compile_document(
        Options(spec=spec, output=output, package="hostile"), build_types=build_types
    )
    assert compiled.tree is not None, [d.render() for d in compiled.diagnostics]
    report = write_tree(output, compiled.tree)
    assert report.diagnostics == ()
    return output


def test_the_hostile_package_imports_without_warnings(hostile_tree: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import hostile, hostile_handlers"],
        cwd=hostile_tree,
        env={**os.environ, "PYTHONPATH": f"{hostile_tree}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_hostile_package_passes_mypy_and_ruff(hostile_tree: Path, tmp_path: Path) -> None:
    status, output = mypy_strict([hostile_tree], tmp_path)
    assert status == 0, output
    files = python_files([hostile_tree])
    status, output = ruff_format_check(files)
    assert status == 0, output
    status, output = ruff_check(files)
    assert status == 0, output


def test_document_text_only_appears_inside_strings_and_comments(hostile_tree: Path) -> None:
    for path in python_files([hostile_tree]):
        assert_only_template_code(Path(path), mark=MARK, package="hostile")


def test_names_from_the_document_became_safe_identifiers(hostile_tree: Path) -> None:
    import importlib  # noqa: PLC0415

    sys.path.insert(0, str(hostile_tree))
    try:
        package = importlib.import_module("hostile")
        names = [n for n in package.__all__ if n.startswith("fire_")]
        assert names
        assert all(n.isidentifier() and n.isascii() for n in names)
        handlers = importlib.import_module("hostile.handlers")
        methods = sorted(handlers.Handlers.__abstractmethods__)
        assert methods
        assert all(m.startswith("on_") and m.isidentifier() for m in methods)
    finally:
        sys.path.remove(str(hostile_tree))
        for module in [m for m in sys.modules if m == "hostile" or m.startswith("hostile.")]:
            del sys.modules[module]


@pytest.mark.parametrize("package", ["../evil", "a/b", "..", "evil.pkg", "/tmp/x", "class"])
def test_a_package_name_cannot_leave_the_output_folder(
    package: str, write_spec: Callable[..., Path], tmp_path: Path, build_types: TypesStage
) -> None:
    spec = write_spec(yaml.safe_dump(_hostile_document()))
    before = sorted(p for p in tmp_path.rglob("*"))
    result = generate(
        Options(spec=spec, output=tmp_path / "out", package=package), build_types=build_types
    )
    assert not result.ok
    assert result.diagnostics[0].location.file == "--package"
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_references_outside_the_folder_are_read_but_nothing_is_written_there(
    tmp_path: Path, build_types: TypesStage
) -> None:
    outside = tmp_path / "shared" / "x.yaml"
    outside.parent.mkdir()
    outside.write_text("Thing: {type: string}\n")
    spec = tmp_path / "deep" / "er" / "asyncapi.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(
        """\
asyncapi: 3.0.0
info: {title: Paths, version: '1'}
channels:
  c:
    address: a.b
    messages:
      m: {payload: {$ref: '../../shared/x.yaml#/Thing'}}
operations:
  o: {action: send, channel: {$ref: '#/channels/c'}}
"""
    )
    before = {p: p.stat().st_mtime for p in tmp_path.rglob("*") if p.is_file()}
    result = generate(Options(spec=spec, output=tmp_path / "out"), build_types=build_types)
    assert result.ok, [d.render() for d in result.diagnostics]
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    new = after - set(before)
    assert new and all(tmp_path / "out" in p.parents for p in new)


def test_a_package_folder_that_links_outside_is_refused(
    tmp_path: Path, write_spec: Callable[..., Path], build_types: TypesStage
) -> None:
    spec = write_spec("asyncapi: 3.0.0\ninfo: {title: Link, version: '1'}\nchannels: {}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = tmp_path / "out"
    output.mkdir()
    (output / "link").symlink_to(elsewhere, target_is_directory=True)
    result = generate(Options(spec=spec, output=output, package="link"), build_types=build_types)
    assert not result.ok
    assert "would leave the output folder" in result.diagnostics[-1].message
    assert list(elsewhere.iterdir()) == []
