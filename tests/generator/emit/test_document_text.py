"""Spec text in generated source: always an inert, ASCII-only literal of the same value."""

from __future__ import annotations

import ast
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit.layout import Group, call, join_lines, lay_out, subscript, text
from generator.emit.literals import docstring, json_text, string
from generator.emit.width import LINE_LENGTH, overlong

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200
) | st.sampled_from(['"""', "'''", "\\", '"', "'", '\\"', "{{ x }}", "{% if %}", "\u202e", "\x00"])


@settings(max_examples=300)
@given(_TEXT)
def test_string_literals_evaluate_to_the_text(value: str) -> None:
    literal = string(value)
    assert literal.isascii()
    assert ast.literal_eval(literal) == value


@settings(max_examples=300)
@given(_TEXT)
def test_docstrings_are_inert_ascii_that_parses(value: str) -> None:
    lines, _ = docstring(value, indent=4)
    source = "class X:\n" + "\n".join(lines) + "\n    x: int\n"
    assert source.isascii()
    tree = ast.parse(source)
    cls = tree.body[0]
    assert isinstance(cls, ast.ClassDef)
    assert len(cls.body) == 2  # the docstring stayed one string; nothing became code
    assert all(not line.endswith(" ") for line in lines)
    doc = ast.get_docstring(cls, clean=False) or ""
    for word in value.split():
        if word.isascii() and word.isprintable() and word not in {'"', '"""'}:
            assert word.strip('"') in doc


def test_docstrings_wrap_to_the_line_length() -> None:
    lines, _ = docstring("word " * 60, indent=4)
    assert len(lines) > 2
    assert all(len(line) <= LINE_LENGTH for line in lines)
    assert not any(map(overlong, lines))


def test_a_short_docstring_stays_on_one_line() -> None:
    assert docstring("The ``x`` property.", indent=4) == (
        ['    """The ``x`` property."""'],
        "The ``x`` property.",
    )


@settings(max_examples=200)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | _TEXT,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
        max_leaves=20,
    )
)
def test_json_text_is_a_raw_literal_of_the_same_json(value: object) -> None:
    lines = json_text(value, indent=4)
    source = "x = (\n" + "\n".join(lines) + "\n)\n"
    assert source.isascii()
    literal = ast.literal_eval(source.split("=", 1)[1].strip())
    assert json.loads(literal) == value


def test_groups_stay_flat_when_they_fit_and_explode_with_magic_commas() -> None:
    short = call("f", text("a"), text("b"))
    assert lay_out(short, indent=0, column=0) == ["f(a, b)"]
    long = call("f", text("a" * 60), text("b" * 60))
    assert join_lines("x = ", long, indent=0) == [
        "x = f(",
        f"    {'a' * 60},",
        f"    {'b' * 60},",
        ")",
    ]


def test_one_item_subscripts_break_without_a_comma() -> None:
    doc = subscript("list", text("X" * 120))
    assert join_lines("y: ", doc, indent=0) == ["y: list[", f"    {'X' * 120}", "]"]


def test_one_item_tuples_keep_their_comma_when_flat() -> None:
    assert Group("(", (text("a"),), ")", one_tuple=True).flat == "(a,)"


def test_overlong_mirrors_rufs_exemptions() -> None:
    assert not overlong("x" * 200)  # a single word cannot be shorter
    assert overlong("x = " + "y" * 200)
    assert not overlong("# see https://example.com/" + "p" * 120)
