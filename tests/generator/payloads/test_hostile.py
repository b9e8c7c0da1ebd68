"""Hostile names and texts: made safe, kept unique, and never turned into code."""

from __future__ import annotations

import ast
import dataclasses
import keyword

from amqp_events.codec import UNSET
from amqp_events.schema import SchemaValidator
from amqp_events.wire import JsonValue
from tests.generator.payloads import specs
from tests.generator.payloads.conftest import Generated
from tests.generator.payloads.support import build


def test_every_hostile_property_gets_a_distinct_safe_attribute(hostile: Generated) -> None:
    p = hostile.payloads
    attributes = [f.name for f in dataclasses.fields(p.Class)]
    assert len(attributes) == len(specs.HOSTILE_NAMES) + 1  # and additional_properties
    assert len({a.casefold() for a in attributes}) == len(attributes)
    for attribute in attributes:
        assert attribute.isidentifier()
        assert attribute.isascii()
        assert not keyword.iskeyword(attribute)
        assert not attribute.startswith("_")
        assert len(attribute) <= 48


def test_hostile_properties_round_trip_under_their_spec_names(hostile: Generated) -> None:
    p = hostile.payloads
    data: dict[str, JsonValue] = {name: f"value of {name!r}" for name in specs.HOSTILE_NAMES}
    binding = hostile.module.roots["messages/class/payload"]
    SchemaValidator(getattr(hostile.schemas, binding.schema), event="class").validate(data)
    value = p.decode_class(data)
    assert value.class_ == "value of 'class'"
    # Spec properties get the plain names first; the field for unknown properties
    # takes what is left.
    assert value.additional_properties == "value of 'additional_properties'"
    assert value.additional_properties_2 == "value of 'additionalProperties'"
    assert value.additional_properties_3 == {}
    assert p.encode_class(value) == data
    only_one = p.decode_class({"additionalProperties": "x", "unknown": 1})
    assert p.encode_class(only_one) == {"additionalProperties": "x", "unknown": 1}
    assert only_one.additional_properties is UNSET
    assert only_one.additional_properties_3 == {"unknown": 1}


def test_reserved_and_imported_names_are_never_taken(hostile: Generated) -> None:
    names = set(hostile.payloads.__all__)
    assert names.isdisjoint(specs.HOSTILE_RESERVED)
    assert names.isdisjoint({"Unset", "JsonValue", "UNSET", "codec", "field", "dataclass"})
    assert {"Handlers2", "Bind2", "CreateApp", "Unset2", "JsonValue2"} <= names
    # Two schemas that differ only in case get two names that differ in more than case.
    assert {"Money", "Money2"} <= names
    for binding in hostile.module.roots.values():
        assert binding.encode not in specs.HOSTILE_RESERVED
        assert binding.schema not in specs.HOSTILE_RESERVED


def test_spec_text_stays_inside_literals(hostile: Generated) -> None:
    for source in (
        hostile.module.payloads_source,
        hostile.module.schemas_source,
        hostile.module.examples_source,
    ):
        assert source.isascii()
        tree = ast.parse(source)
        # Only the statements the generator writes: no spec text became a statement.
        kinds = {type(node).__name__ for node in tree.body}
        assert kinds <= {
            "Expr",
            "ImportFrom",
            "Import",
            "Assign",
            "AnnAssign",
            "ClassDef",
            "FunctionDef",
        }
        for node in tree.body:
            if isinstance(node, ast.Expr):
                assert isinstance(node.value, ast.Constant)
                assert isinstance(node.value.value, str)


def test_docstrings_keep_the_text(hostile: Generated) -> None:
    doc = hostile.payloads.Class.__doc__
    assert doc is not None
    assert '"""hi"""' in doc
    assert "{{ x }} {% if y %}" in doc
    assert "\u202etxt.exe\u202c" in doc  # escaped in the source, intact in the value
    assert doc.rstrip().endswith('ends with a quote"')


def test_literal_values_and_long_names_survive(hostile: Generated) -> None:
    p = hostile.payloads
    assert p.Codec2.__args__ == ("0.0.0.0", "/tmp", "a" * 120, 'say "hi"', "it's")
    assert p.encode_codec2("it's") == "it's"
    long_root = hostile.module.roots["messages/" + "x" * 200 + "/payload"]
    assert len(long_root.annotation.removeprefix("payloads.")) <= 48
    assert "x" * 200 in hostile.module.payloads_source  # the wire name is kept whole


def test_lint_exemptions_appear_only_when_needed(hostile: Generated, features: Generated) -> None:
    assert "# ruff: noqa: E501, S104, S108" in hostile.module.payloads_source
    assert "ruff: noqa" not in features.module.payloads_source
    plain = build({"Plain": {"type": "string"}})
    assert "noqa" not in plain.payloads_source + plain.schemas_source + plain.examples_source
