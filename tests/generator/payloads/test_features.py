"""Generated payload types for every JSON Schema construct: build, encode, validate, decode.

Each test works on the imported package of ``specs.FEATURES``: it builds values, checks
the exact JSON they encode to (spec names, absent vs null), validates that JSON with
the embedded schema as the runtime does, and decodes it back.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from amqp_events.codec import UNSET
from amqp_events.errors import PayloadError
from amqp_events.schema import SchemaValidator
from amqp_events.wire import JsonValue, decode_json, encode_json
from tests.generator.payloads.conftest import Generated

ORDER_ID = uuid.UUID("7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4")
AT = datetime(2024, 1, 1, 12, 30, tzinfo=UTC)


def _binding(
    generated: Generated, name: str
) -> tuple[Callable[[Any], JsonValue], Callable[[JsonValue], Any], SchemaValidator]:
    binding = generated.module.roots[f"messages/{name}/payload"]
    payloads = generated.payloads
    schema = getattr(generated.schemas, binding.schema)
    return (
        getattr(payloads, binding.encode),
        getattr(payloads, binding.decode),
        SchemaValidator(schema, event=name),
    )


def _wire(generated: Generated, name: str, value: Any) -> Any:
    """Encode ``value`` as the root ``name``, validate it, and check it decodes back."""
    encode, decode, validator = _binding(generated, name)
    data = decode_json(encode_json(encode(value)))  # exactly what travels
    validator.validate(data)
    assert decode(data) == value
    return data


def _decoded(generated: Generated, name: str, data: JsonValue) -> Any:
    """Validate ``data`` as the root ``name`` and decode it; check it encodes back."""
    encode, decode, validator = _binding(generated, name)
    validator.validate(data)
    value = decode(data)
    assert encode(value) == data
    return value


def _order(p: Any, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "order_id": ORDER_ID,
        "class_": "gold",
        "items": [p.OrderItemsItem(sku="ABC", qty=2)],
        "note": None,
        "created_at": AT,
    }
    return p.Order(**(fields | changes))


def test_objects_are_frozen_slotted_keyword_only_dataclasses(features: Generated) -> None:
    p = features.payloads
    order = _order(p)
    with pytest.raises(dataclasses.FrozenInstanceError):
        order.note = "x"
    assert dataclasses.is_dataclass(order)
    assert not hasattr(order, "__dict__")
    with pytest.raises(TypeError):
        p.Order(ORDER_ID)


def test_wire_names_absent_and_null(features: Generated) -> None:
    p = features.payloads
    assert _wire(features, "Order", _order(p)) == {
        "orderId": "7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4",
        "class": "gold",
        "items": [{"sku": "ABC", "qty": 2}],
        "note": None,
        "createdAt": "2024-01-01T12:30:00Z",
    }
    full = _order(
        p,
        note="n",
        legacy_note=None,
        coupon="C",
        day=date(2024, 2, 29),
        at=time(10, 0),
        email="a@b.c",
        total=p.Money(amount=12, currency="EUR"),
        ratio=0.5,
        status="paid",
        flag=True,
        labels={"k": "v"},
        when={"x": AT},
        anything={"any": [1, None]},
        tree=p.Node(value=1, children=[p.Node(value=2)]),
    )
    data = _wire(features, "Order", full)
    assert data["legacyNote"] is None
    assert data["total"] == {"amount": 12, "currency": "EUR"}  # 12 stays 12
    assert data["when"] == {"x": "2024-01-01T12:30:00Z"}
    assert data["tree"] == {"value": 1, "children": [{"value": 2}]}


def test_optional_fields_default_to_unset(features: Generated) -> None:
    order = _order(features.payloads)
    assert order.coupon is UNSET
    assert order.legacy_note is UNSET
    assert order.note is None


def test_properties_that_can_only_be_null(features: Generated) -> None:
    p = features.payloads
    types = {f.name: f.type for f in dataclasses.fields(p.Nulls)}
    # None goes last in a union (ruff's RUF036).
    assert types == {
        "void": "None",
        "cleared": "Unset | None",
        "gone": "Unset | None",
        "additional_properties": "dict[str, JsonValue]",
    }
    assert _wire(features, "Nulls", p.Nulls(void=None)) == {"void": None}
    assert _wire(features, "Nulls", p.Nulls(void=None, cleared=None)) == {
        "void": None,
        "cleared": None,
    }


def test_closed_objects_have_no_extra_field_and_the_schema_rejects_extras(
    features: Generated,
) -> None:
    p = features.payloads
    assert "additional_properties" not in {f.name for f in dataclasses.fields(p.Order)}
    _, decode, validator = _binding(features, "Order")
    data = _wire(features, "Order", _order(p))
    with pytest.raises(PayloadError):
        validator.validate({**data, "extra": 1})
    with pytest.raises(PayloadError):
        validator.validate({**data, "items": [{"sku": "abc", "qty": 1}]})  # pattern
    del decode


def test_open_objects_keep_unknown_properties(features: Generated) -> None:
    p = features.payloads
    value = _decoded(features, "Open", {"id": 1, "later": {"x": [1]}})
    assert value == p.Open(id=1, additional_properties={"later": {"x": [1]}})


def test_typed_additional_properties(features: Generated) -> None:
    p = features.payloads
    value = _decoded(features, "Typed", {"id": 1, "a": 2})
    assert value == p.Typed(id=1, additional_properties={"a": 2})
    _, _, validator = _binding(features, "Typed")
    with pytest.raises(PayloadError):
        validator.validate({"a": "x"})


def test_maps_without_properties_are_dicts(features: Generated) -> None:
    p = features.payloads
    prices = {"a": p.Money(amount=1.5, currency="USD")}
    assert _wire(features, "Prices", prices) == {"a": {"amount": 1.5, "currency": "USD"}}


def test_enums_and_consts_are_literals(features: Generated) -> None:
    p = features.payloads
    assert p.OrderStatus.__args__ == ("new", "paid", "shipped")
    assert p.Currency.__args__ == ("EUR", "USD")
    assert p.OrderFlag.__args__ == (True,)
    _, _, validator = _binding(features, "Order")
    data = _wire(features, "Order", _order(p, status="new"))
    with pytest.raises(PayloadError):
        validator.validate({**data, "status": "lost"})


def test_discriminated_union_picks_the_member_by_tag(features: Generated) -> None:
    p = features.payloads
    assert _decoded(features, "Event", {"kind": "deleted"}) == p.Deleted(kind="deleted")
    created = _decoded(features, "Event", {"kind": "created", "name": "n", "x": 1})
    assert created == p.Created(kind="created", name="n", additional_properties={"x": 1})
    assert _wire(features, "Mapped", p.Deleted(kind="deleted", reason="r")) == {
        "kind": "deleted",
        "reason": "r",
    }
    event = features.module.roots["messages/Event/payload"]
    assert set(event.public_names) >= {"Event", "Created", "Deleted", "CreatedKind"}


def test_a_const_property_tags_a_union_without_a_discriminator(features: Generated) -> None:
    p = features.payloads
    source = features.module.payloads_source
    assert 'name="AutoTagged", tag="kind")' in source
    assert _decoded(features, "AutoTagged", {"kind": "created", "name": "n"}) == p.Created(
        kind="created", name="n"
    )
    # No tag property among Cat and Dog: decoding validates instead.
    assert 'name="Pet")' in source
    assert "schema=schemas.PET_MEMBER_1" in source


def test_untagged_union_picks_the_member_that_validates(features: Generated) -> None:
    p = features.payloads
    assert _decoded(features, "Pet", {"bark": 2}) == p.Dog(bark=2)
    assert _decoded(features, "Pet", {"meow": True}) == p.Cat(meow=True)
    assert _decoded(features, "Loose", {"b": 1}) == p.LooseOption2(b=1)
    # anyOf: both members match; the first listed wins, and nothing is lost.
    both = _decoded(features, "Loose", {"a": "x", "b": 1})
    assert both == p.LooseOption1(a="x", additional_properties={"b": 1})


def test_unions_of_kinds(features: Generated) -> None:
    assert _wire(features, "Scalar", "x") == "x"
    assert _wire(features, "Scalar", 3) == 3
    assert _wire(features, "Scalar", None) is None
    assert _wire(features, "Kinds", True) is True
    assert _wire(features, "Kinds", 7) == 7
    assert _decoded(features, "Kinds", "s") == "s"


def test_formatted_members_are_told_apart(features: Generated) -> None:
    assert _wire(features, "Moment", AT) == "2024-01-01T12:30:00Z"
    assert _wire(features, "Moment", date(2024, 1, 2)) == "2024-01-02"
    assert _decoded(features, "Moment", "2024-01-02") == date(2024, 1, 2)


def test_all_of_merges_into_one_class(features: Generated) -> None:
    p = features.payloads
    merged = p.Merged(id=ORDER_ID, name="ab")
    assert _wire(features, "Merged", merged) == {"id": str(ORDER_ID), "name": "ab"}
    _, _, validator = _binding(features, "Merged")
    with pytest.raises(PayloadError):
        validator.validate({"id": str(ORDER_ID), "name": "a"})  # minLength from a part


def test_tuples(features: Generated) -> None:
    assert _wire(features, "Pair", ("a", 1)) == ["a", 1]
    assert _wire(features, "Prefix", (ORDER_ID,)) == [str(ORDER_ID)]
    assert _wire(features, "Prefix", (ORDER_ID, 2.5, True, False)) == [
        str(ORDER_ID),
        2.5,
        True,
        False,
    ]
    _, _, validator = _binding(features, "Pair")
    with pytest.raises(PayloadError):
        validator.validate(["a", 1, 2])


def test_non_object_roots_have_their_own_codecs(features: Generated) -> None:
    assert _wire(features, "OrderId", ORDER_ID) == str(ORDER_ID)
    assert _wire(features, "Tags", ["a", "b"]) == ["a", "b"]
    assert _wire(features, "Count", 4) == 4
    _, _, validator = _binding(features, "Count")
    with pytest.raises(PayloadError):
        validator.validate(3)  # multipleOf
    with pytest.raises(PayloadError):
        _binding(features, "Tags")[2].validate(["a", "a"])  # uniqueItems
    binding = features.module.roots["messages/OrderId/payload"]
    assert binding.annotation == "payloads.OrderId"


def test_ref_roots_share_the_class(features: Generated) -> None:
    p = features.payloads
    price = features.module.roots["messages/Price/payload"]
    assert price.annotation == "payloads.Money"
    assert price.encode == "encode_money"
    assert _wire(features, "Price", p.Money(amount=1, currency="EUR")) == {
        "amount": 1,
        "currency": "EUR",
    }
    item_price = {f.name: f.type for f in dataclasses.fields(p.OrderItemsItem)}["price"]
    assert "Money" in item_price


def test_any_and_nothing(features: Generated) -> None:
    assert _wire(features, "Anything", {"a": [1, None, "x"]}) == {"a": [1, None, "x"]}
    encode, decode, validator = _binding(features, "Nothing")
    with pytest.raises(PayloadError):
        validator.validate(None)
    with pytest.raises(TypeError):
        decode(None)
    del encode


def test_recursive_schemas(features: Generated) -> None:
    assert _wire(features, "Tree", ["a", ["b", ["c"]]]) == ["a", ["b", ["c"]]]
    assert _decoded(features, "Tree", "leaf") == "leaf"


def test_constraints_the_types_cannot_carry_are_enforced(features: Generated) -> None:
    _, _, constrained = _binding(features, "Constrained")
    constrained.validate({"kind": "b", "n": "text", "x-a": "s"})
    bad_values: list[JsonValue] = [
        {"kind": "a", "n": "x"},  # if/then requires "a"
        {"kind": "b"},  # dependencies: kind needs n
        {"n": 1},  # not: number
        {"x-a": 1},  # patternProperties
    ]
    for bad in bad_values:
        with pytest.raises(PayloadError):
            constrained.validate(bad)
    _, _, legacy = _binding(features, "Legacy")
    legacy.validate({"n": 1.5})
    with pytest.raises(PayloadError):
        legacy.validate({"n": 1})  # exclusiveMinimum: true


def test_every_embedded_schema_compiles(features: Generated) -> None:
    schemas = features.schemas
    for name in schemas.__all__:
        SchemaValidator(getattr(schemas, name), event=name)._compile()
    for definition in features.module.roots.values():
        schema = getattr(schemas, definition.schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["$ref"].removeprefix("#/definitions/") in schema["definitions"]


def test_examples_round_trip_and_invalid_ones_are_reported(features: Generated) -> None:
    assert features.examples.roundtrip_examples() == []
    order = features.module.roots["messages/Order/payload"]
    assert order.examples is not None
    assert len(getattr(features.examples, order.examples)) == 1
    warnings = [d for d in features.module.diagnostics if d.level == "warning"]
    assert [w.message for w in warnings] == [
        "Example 2 of Order is left out of examples.py because it does not satisfy its "
        "schema: data.items[0].qty must be bigger than or equal to 1"
    ]
    assert warnings[0].location.pointer == "/components/messages/Order/payload"
    assert not [d for d in features.module.diagnostics if d.level == "error"]


def test_docstrings_come_from_the_spec(features: Generated) -> None:
    p = features.payloads
    assert p.Order.__doc__.startswith("An order\n\n    Placed by a customer.")
    assert p.Money.__doc__ == 'Money: an "amount" in a currency.'
    assert p.encode_order.__doc__ == "Encode an ``Order`` as its JSON object."


def test_public_names_are_exported(features: Generated) -> None:
    assert set(features.module.public_names) == set(features.payloads.__all__)
