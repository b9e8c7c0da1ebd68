"""Problems in schemas are located diagnostics with full sentences, never tracebacks."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic
from generator.payloads import TypesModule
from tests.generator.payloads.support import build, import_package


def _messages(module: TypesModule, level: str) -> list[tuple[str, str]]:
    return [(d.location.pointer, d.message) for d in module.diagnostics if d.level == level]


def test_contradicting_all_of_property_types_are_an_error_at_the_property() -> None:
    module = build(
        {
            "Broken": {
                "allOf": [
                    {"type": "object", "properties": {"id": {"type": "string"}}},
                    {"type": "object", "properties": {"id": {"type": "integer"}}},
                ]
            }
        }
    )
    [(pointer, message)] = _messages(module, "error")
    assert pointer == "/components/messages/Broken/payload"
    assert message == (
        "The ``id`` property of ``Broken`` is declared more than once "
        "(#/components/messages/Broken/payload/allOf/0/properties/id, "
        "#/components/messages/Broken/payload/allOf/1/properties/id) and the declarations "
        "contradict each other: The allOf parts allow no common JSON type: one allows "
        "string, another integer."
    )


def test_contradicting_all_of_types_and_formats_are_errors() -> None:
    module = build(
        {
            "Types": {"allOf": [{"type": "string"}, {"type": "boolean"}]},
            "Formats": {"allOf": [{"format": "date"}, {"format": "uuid", "type": "string"}]},
        }
    )
    errors = _messages(module, "error")
    assert errors == [
        (
            "/components/messages/Types/payload",
            "The allOf parts allow no common JSON type: one allows string, another boolean.",
        ),
        (
            "/components/messages/Formats/payload",
            "The allOf parts ask for different formats, 'date' and 'uuid'; a value cannot "
            "have both.",
        ),
    ]


def test_compatible_all_of_refinements_merge_silently() -> None:
    module = build(
        {
            "Fine": {
                "allOf": [
                    {"type": "object", "properties": {"id": {"type": "string"}}},
                    {"properties": {"id": {"type": "string", "format": "uuid", "minLength": 3}}},
                ]
            }
        }
    )
    assert module.diagnostics == ()
    assert "id: UUID" in module.payloads_source


def test_references_to_nothing_and_to_themselves() -> None:
    module = build(
        {
            "Dangling": {"$ref": "gone.yaml#/X"},
            "Loop": {"$ref": "asyncapi.yaml#/components/schemas/A"},
        },
        {
            "asyncapi.yaml": {
                "components": {
                    "schemas": {
                        "A": {"$ref": "#/components/schemas/B"},
                        "B": {"$ref": "#/components/schemas/A"},
                    }
                }
            }
        },
    )
    messages = [m for _, m in _messages(module, "error")]
    assert (
        "The reference 'gone.yaml#/X' points to no schema; the value is typed as JsonValue."
        in messages
    )
    assert (
        "This schema refers to itself through '$ref' alone, so it describes no value; it is "
        "typed as JsonValue." in messages
    )


def test_examples_that_are_not_json_are_reported() -> None:
    module = build(
        {"At": {"type": "string"}},
        examples={"At": [datetime.date(2024, 1, 1), float("nan"), "ok"]},
    )
    assert [m for _, m in _messages(module, "warning")] == [
        "Example 1 of At is left out of examples.py because it holds a date "
        "(datetime.date(2024, 1, 1)); quote it in YAML to keep it a string",
        "Example 2 of At is left out of examples.py because it holds nan, which JSON cannot "
        "represent",
    ]
    assert '"ok"' in module.examples_source


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            {"properties": {"a": {"type": "string"}}},
            "This schema has properties but no 'type: object'",
        ),
        ({"type": "object", "unevaluatedProperties": False}, "'unevaluatedProperties' is not part"),
        ({"$ref": "asyncapi.yaml#/components/schemas/S", "minimum": 1}, "Keywords next to '$ref'"),
        (
            {
                "allOf": [
                    {"type": "object", "additionalProperties": False, "properties": {"a": {}}},
                    {"type": "object", "properties": {"b": {}}},
                ]
            },
            "additionalProperties is false here, so the properties other allOf parts add ('b')",
        ),
        (
            {
                "oneOf": [
                    {"type": "array", "items": {"type": "string", "format": "date"}},
                    {"type": "array", "items": {"type": "string", "format": "uuid"}},
                ]
            },
            "cannot be told apart in Python when encoding",
        ),
        (
            {"type": "object", "required": ["a"], "properties": {"a": False}},
            "The property 'a' is required but its schema allows no value",
        ),
    ],
)
def test_warnings(schema: Any, expected: str) -> None:
    module = build(
        {"W": schema}, {"asyncapi.yaml": {"components": {"schemas": {"S": {"type": "integer"}}}}}
    )
    warnings = [m for _, m in _messages(module, "warning")]
    assert any(m.startswith(expected) or expected in m for m in warnings), warnings


MALFORMED: dict[str, Any] = {
    "TypeNumber": {"type": 5},
    "BadType": {"type": "int"},
    "PropertiesList": {"type": "object", "properties": ["a"]},
    "RequiredString": {"type": "object", "required": "a"},
    "ItemsNumber": {"type": "array", "items": 3},
    "EnumString": {"enum": "a"},
    "OneOfObject": {"oneOf": {"a": 1}},
    "AllOfScalars": {"allOf": [1, "x"]},
    "SchemaList": [1, 2],
    "Pattern": {"type": "string", "pattern": "(("},
    "Discriminator": {"oneOf": [{"type": "object"}], "discriminator": 7},
    "RefNumber": {"$ref": 7},
    "Mixed": {"type": ["string", "nope"]},
}


def test_malformed_schemas_give_diagnostics_and_importable_code(tmp_path: Path) -> None:
    module = build(MALFORMED)
    errors = _messages(module, "error")
    pointers = {pointer for pointer, _ in errors}
    for name in ("BadType", "RequiredString", "Pattern", "RefNumber", "Mixed", "SchemaList"):
        assert any(p.startswith(f"/components/messages/{name}/payload") for p in pointers), name
    for diagnostic in module.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.message.endswith(".") or diagnostic.message.endswith(")")
    modules = import_package(module, tmp_path, "malformed_pkg")
    assert modules["payloads"].decode_type_number("anything") == "anything"
