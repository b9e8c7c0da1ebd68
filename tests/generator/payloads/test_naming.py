"""Names from spec text: safe, readable, unique, deterministic."""

from __future__ import annotations

import keyword

import pytest

from generator.emit.imports import sort_all
from generator.payloads.keynames import words_of_key
from generator.payloads.naming import (
    MAX_NAME,
    Namespace,
    attribute_name,
    class_name,
    constant_name,
    function_name,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("orderId", ["order", "Id"]),
        ("order_id", ["order", "id"]),
        ("order-id.v2", ["order", "id", "v2"]),
        ("HTTPServer", ["HTTP", "Server"]),
        ("ORDER_CREATED", ["ORDER", "CREATED"]),
        ("1st", ["1st"]),
        ("__init__", ["init"]),
        ("\u00fcn\u00efc\u00f6d\u00e9", ["unicode"]),
        ("Stra\u00dfe", ["Strasse"]),
        ("\u540d\u524d", []),
        ("", []),
        ("{{ x }}", ["x"]),
    ],
)
def test_words_are_ascii_and_split_at_case_and_punctuation(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("wire", "attribute"),
    [
        ("orderId", "order_id"),
        ("class", "class_"),
        ("from", "from_"),
        ("None", "none"),
        ("field", "field_"),  # would shadow dataclasses.field in the class body
        ("list", "list_"),  # would shadow the builtin in later annotations
        ("str", "str_"),
        ("l", "l_"),  # pycodestyle's ambiguous name
        ("type", "type"),  # a soft keyword is a valid attribute
        ("match", "match"),
        ("_", "unnamed"),
        ("", "unnamed"),
        ("__class__", "class_"),
        ("1st", "field_1st"),
        ("\u540d\u524d", "unnamed"),
    ],
)
def test_attribute_names_are_safe(wire: str, attribute: str) -> None:
    assert attribute_name(wire) == attribute
    assert attribute.isidentifier()
    assert not keyword.iskeyword(attribute)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("order", "created"), "OrderCreated"),
        (("ORDER_CREATED",), "OrderCreated"),
        (("2fa",), "Schema2fa"),
        (("",), "Unnamed"),
        (("class",), "Class"),
        (("HTTPServer",), "HttpServer"),
    ],
)
def test_class_names_are_cap_words(texts: tuple[str, ...], expected: str) -> None:
    assert class_name(*texts) == expected


def test_long_names_keep_whole_words_within_the_limit() -> None:
    long = class_name("Order", "Shipping", "Address", "Country", "Subdivision", "Code", "Extra")
    assert len(long) <= MAX_NAME
    assert long.startswith("Order")
    tail = class_name(
        "Order", "Shipping", "Address", "Country", "Subdivision", "Code", "Extra", keep_tail=True
    )
    assert tail.endswith("Extra")
    assert len(class_name("x" * 500)) == MAX_NAME
    assert len(attribute_name("y" * 500)) == MAX_NAME


def test_function_and_constant_names() -> None:
    assert function_name("encode", "OrderCreated") == "encode_order_created"
    assert constant_name("OrderCreated") == "ORDER_CREATED"
    assert constant_name("Event", private=True) == "_EVENT"
    assert constant_name("1st") == "SCHEMA_1ST"


def test_namespace_refuses_case_variants_keywords_and_builtins_exactly() -> None:
    names = Namespace(["Handlers"])
    assert names.claim(["Money"]) == "Money"
    assert names.claim(["money"]) == "money_2"
    assert names.claim(["MONEY"]) == "MONEY2"
    assert names.claim(["Handlers"]) == "Handlers2"
    assert names.claim(["handlers"]) == "handlers_2"
    assert names.claim(["Open"]) == "Open"  # only the builtin `open` is taken
    assert names.claim(["open"]) == "open_2"
    assert names.claim(["None"]) == "None2"
    assert names.claim(["Payload1"]) == "Payload1"
    assert names.claim(["Payload1"]) == "Payload1N2"  # not Payload12


def test_namespace_refuses_the_names_pycodestyle_finds_ambiguous() -> None:
    # E741 and E742: l, O and I read like 1 and 0.
    names = Namespace()
    assert names.claim_together("O", ["encode_{}", "decode_{}"]) == "O2"
    assert names.claim(["I"]) == "I2"
    assert names.claim(["l"]) == "l_2"
    assert names.claim(["L"]) == "L"
    assert Namespace(python_names=False).claim(["O"]) == "O"


def test_namespace_claims_a_type_with_its_functions() -> None:
    names = Namespace(["encode_order"])
    assert names.claim_together("Order", ["encode_{}", "decode_{}"]) == "Order2"
    assert not names.is_free("decode_order2")
    assert names.is_free("decode_order")


def test_names_are_deterministic() -> None:
    def run() -> list[str]:
        names = Namespace()
        return [names.claim([class_name(t)]) for t in ("a", "A", "a-", "a_", "ä", "A1", "a1")]

    assert run() == run() == ["A", "A2", "A3", "A4", "A5", "A1", "A1N2"]


def test_all_order_matches_rufs_isort_style() -> None:
    names = [
        "decode_a",
        "Beta",
        "ALPHA",
        "beta_10",
        "beta_2",
        "Alpha",
        "_x",
        "AB",
        "Item1",
        "Item02",
    ]
    assert sort_all(names) == [
        "AB",
        "ALPHA",
        "Alpha",
        "Beta",
        "Item02",  # a leading zero compares as a fraction: 0.2 < 1
        "Item1",
        "_x",
        "beta_2",
        "beta_10",
        "decode_a",
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("a.yaml#/components/schemas/Money", ["Money"]),
        ("a.yaml#/components/messages/OrderCreated/payload", ["OrderCreated", "payload"]),
        ("a.yaml#/components/schemas/Order/properties/address", ["address"]),
        ("a.yaml#/components/schemas/A/allOf/0", ["A", "0"]),
        ("schemas/money.yaml#", ["money"]),
        ("a.yaml#/definitions/a~1b", ["a/b"]),
    ],
)
def test_ref_targets_are_named_after_their_pointer(key: str, expected: list[str]) -> None:
    assert words_of_key(key) == expected
