"""Loading YAML and JSON: data, the line of every pointer, and bounded cost for hostile files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.documents import Documents
from generator.load import Limits, load_text

ORDERS = """\
asyncapi: 3.0.0
info:
  title: Orders
  version: 1.0.0
channels:
  orderCreated:
    address: orders.created
    messages:
      created:
        payload:
          type: object
          properties:
            on: {type: string}
"""


def test_every_pointer_has_the_line_and_column_of_its_key() -> None:
    loaded, problems = load_text(ORDERS)
    assert problems == []
    assert loaded is not None
    assert loaded.position("/asyncapi") == (1, 1)
    assert loaded.position("/info/version") == (4, 3)
    assert loaded.position("/channels/orderCreated/address") == (7, 5)
    assert loaded.position("/channels/orderCreated/messages/created/payload/type") == (11, 11)


def test_list_items_and_unknown_pointers_fall_back_to_the_nearest_known_place() -> None:
    loaded, _ = load_text("a:\n  - x\n  - {b: 1}\n")
    assert loaded is not None
    assert loaded.position("/a/1") == (3, 5)
    assert loaded.position("/a/1/b") == (3, 6)
    assert loaded.position("/a/1/missing/deeper") == (3, 5)


def test_keys_keep_their_text_and_values_follow_json() -> None:
    loaded, _ = load_text(
        "on: yes\nnull: ~\n1: one\nd: 2024-01-02\ne: 1e3\nf: 1.5E-2\nh: 0x1f\ns: '1e3'\n"
    )
    assert loaded is not None
    assert loaded.data == {
        "on": True,
        "null": None,
        "1": "one",
        "d": "2024-01-02",
        "e": 1000.0,
        "f": 0.015,
        "h": 31,
        "s": "1e3",
    }


def test_json_documents_load_with_positions() -> None:
    loaded, problems = load_text('{\n  "asyncapi": "3.0.0",\n  "info": {"title": "x"}\n}\n')
    assert problems == []
    assert loaded is not None
    assert loaded.data == {"asyncapi": "3.0.0", "info": {"title": "x"}}
    assert loaded.position("/info/title") == (3, 12)


def test_merge_keys_merge_and_explicit_keys_win() -> None:
    loaded, _ = load_text("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n")
    assert loaded is not None
    assert loaded.data == {"base": {"x": 1, "y": 2}, "m": {"x": 1, "y": 3}}


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("a: 1\na: 2\n", "appears twice", (2, 1)),
        ("a: [1,\n", "not valid YAML", (2, 1)),
        ("a: [1, 2\nb: 3\n", "flow sequence that starts at line 1, column 4", (2, 2)),
        ('{"a": [1, }', "not valid JSON", (1, 11)),
        ("a: &x [*x]\n", "refers to no anchor defined before it", (1, 8)),
        ("- !!python/object:os.system ls\n", "is not supported", (1, 3)),
        ("? [a]\n: b\n", "keys must be plain strings", (1, 3)),
        ("", "empty", None),
        ("a: 1\n---\nb: 2\n", "several YAML documents", (2, 1)),
        ("x: !custom 1\n", "'!custom' is not supported", (1, 4)),
    ],
)
def test_bad_files_end_in_one_located_sentence(
    text: str, fragment: str, position: tuple[int, int] | None
) -> None:
    loaded, problems = load_text(text)
    assert len(problems) == 1
    assert fragment in problems[0].message
    assert problems[0].position == position
    if "twice" not in fragment:
        assert loaded is None


def test_an_alias_bomb_stops_early_in_bounded_time() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 12):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    start = time.perf_counter()
    loaded, problems = load_text("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 1.0
    assert loaded is None
    assert "alias bomb" in problems[0].message


def test_deep_nesting_is_refused_at_the_limit() -> None:
    loaded, problems = load_text("[" * 250 + "]" * 250)
    assert loaded is None
    assert "more than 200 levels deep" in problems[0].message
    fine, problems = load_text("[" * 150 + "]" * 150)
    assert fine is not None
    assert problems == []


def test_limits_on_values_and_size_are_configurable() -> None:
    loaded, problems = load_text("[1, 2, 3, 4, 5]", limits=Limits(max_values=3))
    assert loaded is None
    assert "more than 3 values" in problems[0].message
    loaded, problems = load_text("x" * 100, limits=Limits(max_bytes=10))
    assert loaded is None
    assert "larger than" in problems[0].message


def test_files_that_are_not_utf8_or_missing_are_reported(tmp_path: Path) -> None:
    (tmp_path / "latin.yaml").write_bytes("a: caf\xe9\n".encode("latin-1"))
    documents = Documents(tmp_path / "latin.yaml")
    assert documents.root() is None
    assert "not UTF-8" in (documents.problem("latin.yaml") or "")
    missing = Documents(tmp_path / "nope.yaml")
    assert missing.root() is None
    assert missing.problem("nope.yaml") == "it does not exist"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    root = Documents(tmp_path / "bom.yaml").root()
    assert root is not None
    assert root.value == {"a": 1}
