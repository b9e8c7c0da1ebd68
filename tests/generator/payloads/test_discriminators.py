"""Unions selected by a ``discriminator`` whose members only name the tag property.

AsyncAPI's ``discriminator`` (on a base schema the members ``allOf``, or on the union
itself; OpenAPI's ``{propertyName, mapping}`` too) says the property's value is the
member's schema name, or its ``mapping`` key. Decoding picks that member, encoding
writes the same value, and the runtime validator accepts exactly one member.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from amqp_events.errors import PayloadError
from amqp_events.schema import SchemaValidator
from amqp_events.wire import JsonValue
from generator.payloads import build_types
from tests.generator.payloads import specs
from tests.generator.payloads.conftest import Generated
from tests.generator.payloads.support import build, graph_of, roots_of


@pytest.fixture
def pets(discriminated: Generated) -> Generated:
    """The package of ``specs.DISCRIMINATED``."""
    return discriminated


def _round_trip(generated: Generated, name: str, data: JsonValue) -> Any:
    """Validate ``data`` as the root ``name``, decode it and check it encodes back."""
    binding = generated.module.roots[f"messages/{name}/payload"]
    validator = SchemaValidator(getattr(generated.schemas, binding.schema), event=name)
    validator.validate(data)
    value = getattr(generated.payloads, binding.decode)(data)
    assert getattr(generated.payloads, binding.encode)(value) == data
    return value


def _validator(generated: Generated, name: str) -> SchemaValidator:
    binding = generated.module.roots[f"messages/{name}/payload"]
    return SchemaValidator(getattr(generated.schemas, binding.schema), event=name)


def _warnings(generated: Generated) -> list[tuple[str, str]]:
    return [
        (d.location.pointer, d.message)
        for d in generated.module.diagnostics
        if d.level == "warning"
    ]


def test_an_inherited_discriminator_selects_the_member_by_schema_name(pets: Generated) -> None:
    p = pets.payloads
    dog = _round_trip(pets, "Inherited", {"petType": "Dog", "bark": 2})
    assert dog == p.Dog(pet_type="Dog", bark=2)
    assert _round_trip(pets, "Inherited", {"petType": "Cat"}) == p.Cat(pet_type="Cat")
    assert p.DogPetType.__args__ == ("Dog",)


def test_the_embedded_schema_accepts_exactly_one_member(pets: Generated) -> None:
    validator = _validator(pets, "Inherited")
    validator.validate({"petType": "Dog", "bark": 2})
    bad_values: list[JsonValue] = [{"petType": "Dog"}, {"petType": "Cow", "bark": 2}]
    for bad in bad_values:
        with pytest.raises(PayloadError):
            validator.validate(bad)


def test_a_discriminator_on_the_union_selects_by_schema_name(pets: Generated) -> None:
    p = pets.payloads
    tiger = _round_trip(pets, "Own", {"species": "Tiger", "stripes": 3})
    assert tiger == p.Tiger(species="Tiger", stripes=3)
    assert 'name="Own", tag="species")' in pets.module.payloads_source
    with pytest.raises(PayloadError):
        _validator(pets, "Own").validate({"species": "Tiger", "roar": 3})


def test_a_mapping_names_the_values(pets: Generated) -> None:
    p = pets.payloads
    assert _round_trip(pets, "Mapped", {"kind": "crow", "caws": 1}) == p.Crow(kind="crow", caws=1)
    assert _round_trip(pets, "Mapped", {"kind": "hawk", "wings": 2}) == p.Hawk(kind="hawk", wings=2)
    with pytest.raises(PayloadError):
        _validator(pets, "Mapped").validate({"kind": "Hawk", "wings": 2})


def test_a_discriminator_that_cannot_select_is_reported_and_ignored(pets: Generated) -> None:
    warnings = _warnings(pets)
    assert (
        "/components/messages/Optional/payload",
        "The discriminator 'kind' is not required by every member of this anyOf, so its "
        "value cannot select a member; the members are told apart as if there were no "
        "discriminator.",
    ) in warnings
    assert (
        "/components/messages/Unnamed/payload/oneOf/1",
        "This member of a oneOf with the discriminator 'species' is neither a reference "
        "to a named schema nor gives the property a const value, so no value of "
        "'species' selects it; the members are told apart as if there were no "
        "discriminator.",
    ) in warnings
    # As before: the first member that validates, whatever the value says.
    p = pets.payloads
    assert _round_trip(pets, "Optional", {"kind": "Carp"}) == p.Trout(kind="Carp")


def test_only_the_embedded_copy_requires_the_value() -> None:
    documents = {"asyncapi.yaml": {}, "pets.yaml": specs.PETS}
    roots = roots_of(documents, "asyncapi.yaml", specs.DISCRIMINATED)
    graph = graph_of(documents, roots)
    before = copy.deepcopy(dict(graph.nodes))
    build_types(graph, roots)
    assert dict(graph.nodes) == before


def test_a_base_listed_with_its_subschemas_cannot_be_selected_by_name() -> None:
    # Cat includes Pet, so Pet's value would be required of every Cat as well.
    module = build(
        {"Any": {"oneOf": [specs_ref("Pet"), specs_ref("Cat"), specs_ref("Dog")]}},
        {"pets.yaml": specs.PETS},
    )
    [(pointer, message)] = [
        (d.location.pointer, d.message) for d in module.diagnostics if d.level == "warning"
    ]
    assert pointer == "/components/messages/Any/payload"
    assert message == (
        "The schema 'pets.yaml#/components/schemas/Cat' includes "
        "'pets.yaml#/components/schemas/Pet' through allOf, so it would require both their "
        "discriminator values; the members are told apart as if there were no discriminator."
    )
    assert "Literal" not in module.payloads_source


def specs_ref(name: str) -> dict[str, str]:
    """A reference to a schema of ``specs.PETS``."""
    return {"$ref": f"pets.yaml#/components/schemas/{name}"}
