"""AsyncAPI schemas rewritten as plain draft 7 that the runtime validator compiles."""

from __future__ import annotations

from typing import Any

import pytest

from amqp_events.errors import PayloadError
from amqp_events.schema import SchemaValidator
from generator.payloads.normalize import normalize


def _normalized(schema: Any, **targets: str) -> tuple[Any, list[str]]:
    result, problems = normalize(schema, definition_of=targets.get)
    return result, [f"{p.level} {p.pointer}: {p.message}" for p in problems]


def _accepts(schema: Any, value: Any) -> bool:
    try:
        SchemaValidator({"definitions": {}, **schema}, event="test").validate(value)
    except PayloadError:
        return False
    return True


def test_references_point_into_definitions() -> None:
    result, problems = _normalized({"$ref": "a.yaml#/Money"}, **{"a.yaml#/Money": "Money"})
    assert result == {"$ref": "#/definitions/Money"}
    assert problems == []


def test_a_reference_without_a_target_is_an_error_and_accepts_anything() -> None:
    result, problems = _normalized({"properties": {"a": {"$ref": "gone.yaml#/X"}}})
    assert result == {"properties": {"a": True}}
    assert problems == [
        "error /properties/a: The reference 'gone.yaml#/X' points to no schema; the runtime "
        "accepts any value here."
    ]


def test_keywords_next_to_a_reference_are_reported_as_ignored() -> None:
    result, problems = _normalized({"$ref": "k", "description": "fine", "minimum": 3}, k="K")
    assert result == {"$ref": "#/definitions/K"}
    assert len(problems) == 1
    assert problems[0].startswith("warning : Keywords next to '$ref' are ignored")
    assert "minimum" in problems[0]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        ({"type": ["string", "null"], "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]},
        ),
        ({"nullable": False, "type": "integer"}, {"type": "integer"}),
    ],
)
def test_nullable_becomes_a_null_type(schema: Any, expected: Any) -> None:
    assert _normalized(schema)[0] == expected


def test_nullable_enum_accepts_null_and_only_the_listed_strings() -> None:
    schema = _normalized({"type": "string", "enum": ["a"], "nullable": True})[0]
    assert _accepts(schema, None)
    assert _accepts(schema, "a")
    assert not _accepts(schema, "b")


def test_prefix_items_become_draft_7_items() -> None:
    result, _ = _normalized(
        {"type": "array", "items": False, "prefixItems": [{"type": "string"}, {"type": "integer"}]}
    )
    assert result == {
        "type": "array",
        "items": [{"type": "string"}, {"type": "integer"}],
        "additionalItems": False,
    }
    assert _accepts(result, ["a", 1])
    assert not _accepts(result, ["a", 1, 2])
    assert not _accepts(result, [1, "a"])


def test_draft_7_tuple_items_are_kept() -> None:
    schema = {"items": [{"type": "string"}], "additionalItems": {"type": "boolean"}}
    assert _normalized(schema)[0] == schema


def test_legacy_exclusive_bounds_become_numbers() -> None:
    result, _ = _normalized(
        {
            "type": "number",
            "minimum": 1,
            "exclusiveMinimum": True,
            "maximum": 5,
            "exclusiveMaximum": False,
        }
    )
    assert result == {"type": "number", "exclusiveMinimum": 1, "maximum": 5}
    assert not _accepts(result, 1)
    assert _accepts(result, 5)


def test_dependent_keywords_become_dependencies() -> None:
    result, _ = _normalized(
        {"dependentRequired": {"a": ["b"]}, "dependentSchemas": {"c": {"required": ["d"]}}}
    )
    assert result == {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}
    assert not _accepts(result, {"a": 1})
    assert _accepts(result, {"a": 1, "b": 2})


def test_annotations_and_extensions_go_but_property_names_stay() -> None:
    result, problems = _normalized(
        {
            "type": "object",
            "title": "T",
            "description": "D",
            "examples": [{}],
            "example": {},
            "default": {"x-a": 1},
            "deprecated": True,
            "externalDocs": {"url": "u"},
            "discriminator": "kind",
            "x-internal": True,
            "properties": {"x-a": {"type": "string", "x-more": 1, "readOnly": True}},
            "required": ["x-a"],
        }
    )
    assert result == {
        "type": "object",
        "properties": {"x-a": {"type": "string"}},
        "required": ["x-a"],
    }
    assert problems == []


def test_data_is_not_mistaken_for_schemas() -> None:
    schema = {"enum": [{"$ref": "not-a-ref", "nullable": True}], "const": {"x-a": 1}}
    assert _normalized(schema)[0] == schema


def test_later_draft_keywords_are_reported() -> None:
    result, problems = _normalized({"type": "object", "unevaluatedProperties": False})
    assert result == {"type": "object"}
    assert problems == [
        "warning /unevaluatedProperties: 'unevaluatedProperties' is not part of JSON Schema "
        "draft 7, which AsyncAPI schemas use; it is not enforced."
    ]


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        ("type", "int"),
        ("required", True),
        ("minLength", -1),
        ("multipleOf", 0),
        ("pattern", "(unclosed"),
        ("maximum", "10"),
        ("uniqueItems", "yes"),
    ],
)
def test_values_the_validator_cannot_compile_are_reported_and_left_out(
    keyword: str, value: Any
) -> None:
    result, problems = _normalized(
        {"type": "string", keyword: value} if keyword != "type" else {keyword: value}
    )
    assert keyword not in result
    assert len(problems) == 1
    assert problems[0].startswith(f"error /{keyword}: '{keyword}' must be")
    SchemaValidator(result, event="test").validate("x" if keyword != "type" else 1)


def test_everything_draft_7_survives_and_compiles() -> None:
    schema = {
        "type": "object",
        "required": ["a"],
        "minProperties": 1,
        "maxProperties": 9,
        "propertyNames": {"pattern": "^[a-z]"},
        "patternProperties": {"^x": {"type": "string"}},
        "additionalProperties": {"type": "integer"},
        "properties": {
            "a": {"type": "string", "minLength": 1, "maxLength": 10, "format": "date"},
            "b": {"type": "array", "contains": {"const": 1}, "uniqueItems": True, "maxItems": 3},
            "c": {"not": {"type": "null"}, "multipleOf": 0.5, "exclusiveMaximum": 10},
            "d": {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}},
            "e": {"anyOf": [{"type": "string"}], "oneOf": [{"const": "x"}], "allOf": [{}]},
        },
    }
    result, problems = _normalized(schema)
    assert result == schema
    assert problems == []
    assert _accepts(result, {"a": "2024-01-01", "d": "xy"})
    assert not _accepts(result, {"a": "2024-13-01"})
    assert not _accepts(result, {"a": "2024-01-01", "d": "x"})
