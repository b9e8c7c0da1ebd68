"""Literals, docstrings, comments and layout in templates: inert, and what ruff format keeps."""

from __future__ import annotations

import ast
import io
import keyword
import random
import string
import tokenize
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit import literals
from generator.emit.imports import Imports, sort_all
from generator.emit.layout import Doc, call, dict_of, render, tuple_of
from generator.emit.literals import comment, docstring
from generator.emit.module import Module
from tests.generator.quality import ruff_check, ruff_check_without_config, ruff_format_check


@given(st.text())
def test_string_literals_evaluate_to_the_text(text: str) -> None:
    assert ast.literal_eval(literals.string(text)) == text


@given(st.text(), st.integers(min_value=0, max_value=12))
def test_docstrings_hold_the_text_and_nothing_else(text: str, level: int) -> None:
    indent = level * 4
    lines, _ = docstring(text, indent=indent + 4)
    source = "def f():\n" + "\n".join(lines) + "\n"
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(function.body) == 1
    doc = ast.get_docstring(function, clean=True) or ""
    words = " ".join(text.split())
    assert " ".join(doc.split()).startswith(words[:20].strip()) or not words.strip()


@given(st.text())
def test_comments_are_only_comments(text: str) -> None:
    source = "\n".join(comment(text, indent=4))
    for token in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
        assert token.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        )


def test_sorted_all_follows_ruff() -> None:
    assert sort_all(["fire_b", "Handlers", "SERVICE", "fire_a10", "fire_a9", "Bind", "X"]) == [
        "SERVICE",
        "Bind",
        "Handlers",
        "X",
        "fire_a9",
        "fire_a10",
        "fire_b",
    ]


def _name(rng: random.Random, size: int) -> str:
    name = rng.choice(string.ascii_lowercase) + "".join(
        rng.choice(string.ascii_lowercase + "_") for _ in range(size)
    )
    return f"{name}_" if keyword.iskeyword(name) else name


def _text(rng: random.Random, size: int) -> str:
    alphabet = string.ascii_letters + " '\"\\{}%é漢\n"
    return "".join(rng.choice(alphabet) for _ in range(size))


def _expression(rng: random.Random, depth: int = 0) -> Doc:
    items: list[Doc | str] = []
    for _ in range(rng.randint(0 if depth else 1, 5)):
        kind = rng.random()
        if kind < 0.3 and depth < 2:
            items.append(_expression(rng, depth + 1))
        elif kind < 0.5:
            items.append(literals.string(_text(rng, rng.randint(0, 140))))
        elif kind < 0.7 and depth < 2:
            key, value = literals.string(_name(rng, 8)), literals.string(_text(rng, 30))
            items.append(dict_of([(key, value)]))
        else:
            items.append(_name(rng, rng.randint(1, 60)))
    if rng.random() < 0.3:
        return tuple_of(items)
    return call(f"{_name(rng, rng.randint(1, 30))}.{_name(rng, 10)}", *items)


def test_random_layouts_are_fixed_points_of_ruff_format(tmp_path: Path) -> None:
    rng = random.Random(20240501)
    lines = [""]
    for index in range(300):
        # Generated code keeps the line up to the first bracket short (see layout.render).
        target = f"value_{index}_{_name(rng, rng.randint(0, 40))}"
        expression = render(_expression(rng), 0, prefix=f"{target} = ")
        lines.append(f"{target} = {expression}")
        indent = 4 * rng.randint(1, 3)
        lines.append("if True:" if indent == 4 else "if True:\n    if True:")
        if indent > 8:
            lines[-1] += "\n        if True:"
        value = render(_expression(rng), indent, prefix="return_value = ")
        lines.append(" " * indent + "return_value = " + value)
    path = tmp_path / "layouts.py"
    module = Module("Random layouts.")
    module.add(*lines)
    path.write_text(module.render(), encoding="utf-8")
    status, output = ruff_format_check([str(path)])
    assert status == 0, output
    # Line length and the noqa markers only: the names in this file are made up.
    status, output = ruff_check([str(path)], select="E501,W,RUF100")
    assert status == 0, output


@settings(max_examples=50)
@given(st.lists(st.sampled_from(["Final", "Any", "cast", "TypeVar", "TypeAlias"]), min_size=1))
def test_imports_render_as_ruff_sorts_them(names: list[str]) -> None:
    imports = Imports().names("typing", *names).module("abc").names(".", "events", "payloads")
    imports.module("amqp_events").names("amqp_events", "Delivery", "Headers")
    text = imports.render()
    assert text.startswith("import abc\nfrom typing import ")
    assert "\n\nimport amqp_events\nfrom amqp_events import Delivery, Headers\n\n" in text
    assert text.endswith("from . import events, payloads")


@pytest.mark.parametrize("width", [88, 89, 100, 101])
def test_imports_wrap_where_isort_wraps_them_with_rufs_defaults_too(
    tmp_path: Path, width: int
) -> None:
    names = ["fire_" + "x" * (width - len("from .publishers import fire_"))]
    imports = Imports().names(".publishers", *names)
    path = tmp_path / f"wrapped_{width}.py"
    path.write_text(f"{imports.render()}\n\n__all__ = {names!r}\n")
    status, output = ruff_check([str(path)], select="I")
    assert status == 0, output
    status, output = ruff_check_without_config([str(path)])
    assert status == 0, output


def test_member_order_is_ruffs_natural_case_insensitive_order(tmp_path: Path) -> None:
    names = [
        "Payload10",
        "Payload2",
        "Payload1Nested",
        "payB",
        "PayC",
        "Paya",
        "PAYLOAD_X",
        "encode_x10",
        "encode_x9",
        "Payload1",
        "B10",
    ]
    imports = Imports().names(".payloads", *names)
    path = tmp_path / "ordered.py"
    path.write_text(f"{imports.render()}\n\n__all__ = {sort_all(names)!r}\n")
    status, output = ruff_check([str(path)], select="I,RUF022")
    assert status == 0, output
