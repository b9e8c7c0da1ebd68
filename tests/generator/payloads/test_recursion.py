"""Schemas that refer to themselves through a nullable union (the JSON value pattern).

The name of such a schema stands for an alias (``Json = JsonValue1 | None``) that is
only written once its union is finished, yet the union's members already refer to it
and the union must know what they are to tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from amqp_events.errors import PayloadError
from amqp_events.schema import SchemaValidator
from amqp_events.wire import JsonValue, decode_json, encode_json
from tests.generator.payloads import specs
from tests.generator.payloads.conftest import Generated
from tests.generator.payloads.support import build

ROUND_TRIPS: dict[str, list[JsonValue]] = {
    "Json": ["a", None, [], ["a", None, ["b", [None]]]],
    "AnyJson": ["a", None, ["a", [None, "b"]]],
    "Kinds": ["a", None, ["a", None, [["b"]]]],
    "Legacy": [None, [], [1, [2, [3]], []]],
    "Document": [1, None, {}, {"a": 1, "b": None, "c": {"d": {"e": 2}}}],
    "Value": ["a", 1.5, True, None, [1, "x", [False]], {"a": [1, {"b": None}], "c": {}}],
    "Status": ["on", None, ["on", [None, ["on"]]]],
    "Holder": [{}, {"json": ["a", None], "values": [{"k": [1, "v"]}, None]}],
}
"""JSON each root must decode and encode back unchanged."""


def _codec(
    generated: Generated, name: str
) -> tuple[Callable[[Any], JsonValue], Callable[[JsonValue], Any], SchemaValidator]:
    binding = generated.module.roots[f"messages/{name}/payload"]
    return (
        getattr(generated.payloads, binding.encode),
        getattr(generated.payloads, binding.decode),
        SchemaValidator(getattr(generated.schemas, binding.schema), event=name),
    )


def test_every_recursive_schema_builds_without_problems(recursive: Generated) -> None:
    assert [d.render() for d in recursive.module.diagnostics] == []
    assert set(ROUND_TRIPS) == set(specs.RECURSIVE)


@pytest.mark.parametrize(("name", "data"), [(n, d) for n, ds in ROUND_TRIPS.items() for d in ds])
def test_recursive_values_round_trip(recursive: Generated, name: str, data: JsonValue) -> None:
    encode, decode, validator = _codec(recursive, name)
    validator.validate(data)
    assert decode_json(encode_json(encode(decode(data)))) == data


def test_the_nullable_name_is_an_alias_of_its_union(recursive: Generated) -> None:
    source = recursive.module.payloads_source
    # ``JsonValue`` is taken by the runtime's type, hence the 2.
    assert 'JsonValue2: TypeAlias = str | list["Json"]' in source
    assert "Json: TypeAlias = JsonValue2 | None" in source
    assert recursive.payloads.decode_json(["a", None]) == ["a", None]


def test_values_outside_the_union_are_refused(recursive: Generated) -> None:
    _, _, validator = _codec(recursive, "Json")
    bad_values: list[JsonValue] = [1, {"a": "b"}, ["a", 2]]
    for bad in bad_values:
        with pytest.raises(PayloadError):
            validator.validate(bad)


@pytest.mark.parametrize("others", [[], [{"type": "null"}]])
def test_a_schema_that_is_only_itself_is_reported_not_a_crash(others: list[Any]) -> None:
    own = {"$ref": "recursive.yaml#/components/schemas/Loop"}
    document = {"components": {"schemas": {"Loop": {"oneOf": [own, *others]}}}}
    module = build({"Loop": own}, {"recursive.yaml": document})
    messages = [d.message for d in module.diagnostics if d.level == "error"]
    assert len(messages) == 1
    assert "refers to itself" in messages[0]
    assert "Loop: TypeAlias = JsonValue" in module.payloads_source


def test_a_list_of_itself_is_a_recursive_alias_not_an_error() -> None:
    own = {"$ref": "recursive.yaml#/components/schemas/Nest"}
    nest = {"type": ["array", "null"], "items": own}
    module = build({"Nest": own}, {"recursive.yaml": {"components": {"schemas": {"Nest": nest}}}})
    assert module.diagnostics == ()
    assert 'Nest: TypeAlias = list["Nest"] | None' in module.payloads_source


def _schemas(**schemas: Any) -> dict[str, Any]:
    return {"recursive.yaml": {"components": {"schemas": schemas}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"recursive.yaml#/components/schemas/{name}"}


@pytest.mark.parametrize(
    ("schemas", "place"),
    [
        ({"X": {"type": "string", "oneOf": [{"minLength": 1}, _ref("X")]}}, "/X/oneOf/1"),
        (
            {
                "X": {"oneOf": [{"type": "string"}, _ref("Y")]},
                "Y": {"anyOf": [{"type": "integer"}, _ref("X")]},
            },
            "/X/oneOf/1",
        ),
    ],
)
def test_a_union_that_contains_itself_with_nothing_in_between_is_an_error(
    schemas: dict[str, Any], place: str
) -> None:
    module = build({"X": _ref("X")}, _schemas(**schemas))
    [error] = [d for d in module.diagnostics if d.level == "error"]
    assert "is the union itself" in error.message
    assert error.location.pointer.endswith(place)


def test_unions_that_contain_each_other_through_arrays_are_recursive_types() -> None:
    schemas = _schemas(
        X={"oneOf": [{"type": "string"}, {"type": "array", "items": _ref("Y")}]},
        Y={"oneOf": [{"type": "integer"}, {"type": "array", "items": _ref("X")}]},
    )
    module = build({"X": _ref("X")}, schemas)
    assert module.diagnostics == ()
