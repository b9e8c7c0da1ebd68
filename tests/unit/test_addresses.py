"""Channel addresses as routing keys: one set of rules for the generator and the runtime."""

from __future__ import annotations

import pytest

from amqp_events import addresses, codec
from amqp_events.errors import ConfigurationError
from generator.model import Channel


def test_a_word_holding_a_parameter_is_bound_as_a_star() -> None:
    assert addresses.binding_key("orders.{region}.events") == "orders.*.events"
    assert addresses.binding_key("users.user-{id}.created") == "users.*.created"
    assert addresses.binding_key("lights/{id}/on") == "*"
    assert addresses.binding_key("plain.key") == "plain.key"


def test_an_address_splits_into_text_and_parameters() -> None:
    assert addresses.address_parts("orders.{region}.{kind}s") == (
        ("orders.", False),
        ("region", True),
        (".", False),
        ("kind", True),
        ("s", False),
    )
    assert addresses.parameter_names("a.{x}.{y}.{x}") == ["x", "y", "x"]
    assert addresses.parameters_inside_words("users.user-{id}")
    assert not addresses.parameters_inside_words("users.{id}")


def test_the_generator_binds_a_channel_as_the_runtime_does() -> None:
    for address in ("orders.{region}.events", "users.user-{id}.created", "a.b"):
        channel = Channel(key="k", id="c", address=address)
        assert channel.binding_key == addresses.binding_key(address)
        assert channel.address_parts() == addresses.address_parts(address)


@pytest.mark.parametrize("value", ["", "a.b", "a*", "#", "eu.west"])
def test_a_parameter_value_is_one_routing_key_word(value: str) -> None:
    assert not addresses.is_routing_word(value)
    with pytest.raises(ConfigurationError, match="one routing-key word"):
        codec.channel_word("region", value)


def test_an_ordinary_word_is_a_routing_key_word() -> None:
    assert addresses.is_routing_word("eu-west_1")
    assert codec.channel_word("region", "eu-west_1") == "eu-west_1"


TOPIC_CASES = [
    ("a.b", "a.b", True),
    ("a.b", "a.b.c", False),
    ("a.*", "a.b", True),
    ("a.*", "a", False),
    ("a.*", "a.b.c", False),
    ("*.*", "a", False),
    ("a.#", "a", True),
    ("a.#", "a.b.c", True),
    ("#", "", True),
    ("#", "a.b.c", True),
    ("#.b", "b", True),
    ("#.b", "a.c", False),
    ("a.#.c", "a.c", True),
    ("a.#.c", "a.b.b.c", True),
    ("a.#.c", "a.b.b", False),
    ("#.#", "a", True),
    ("a.*.#.d", "a.b.d", True),
    ("a.*.#.d", "a.d", False),
]


@pytest.mark.parametrize(("binding", "key", "routed"), TOPIC_CASES)
def test_topic_matching_follows_rabbitmq(binding: str, key: str, routed: bool) -> None:
    assert addresses.topic_matches(binding, key) is routed


def test_parameter_values_fill_an_address_into_its_routing_key() -> None:
    values = {"region": "eu", "kind": "order"}
    assert addresses.fill_parameters("orders.{region}.{kind}s", values) == "orders.eu.orders"
    assert addresses.fill_parameters("plain.key", {}) == "plain.key"
