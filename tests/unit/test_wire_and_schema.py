"""Pure pieces of the runtime: headers, JSON, schema validation, signature payloads."""

from __future__ import annotations

import pytest

from amqp_events import ConfigurationError, Delivery, JsonValue, PayloadError, wire
from amqp_events.schema import SchemaValidator
from amqp_events.signature import kwargs_decoder, kwargs_encoder

DELIVERY: Delivery[dict[str, object]] = Delivery(
    event="e", queue="s.e", routing_key="e", exchange="events", headers={}
)


def test_own_headers_and_our_retry_dead_letter_records_are_removed_but_foreign_ones_kept() -> None:
    headers = {
        "tenant": "acme",
        wire.ATTEMPT: 2,
        "x-death": [
            {"queue": "billing:retry.1000", "reason": "expired", "count": 2},
            {"queue": "upstream.dlq", "reason": "rejected", "count": 1},
        ],
        "x-first-death-queue": "upstream.dlq",
        "x-first-death-reason": "rejected",
        "x-last-death-queue": "billing:retry.1000",
        "x-last-death-reason": "expired",
    }
    assert wire.own_headers_removed(headers, "billing:retry.") == {
        "tenant": "acme",
        "x-death": [{"queue": "upstream.dlq", "reason": "rejected", "count": 1}],
        "x-first-death-queue": "upstream.dlq",
        "x-first-death-reason": "rejected",
    }


def test_json_is_strict_and_compact() -> None:
    assert wire.encode_json({"a": [1, None, "é"]}) == '{"a":[1,null,"é"]}'.encode()
    with pytest.raises(ValueError, match="NaN"):
        wire.decode_json(b'{"a": NaN}')
    with pytest.raises(ValueError, match="Out of range"):
        wire.encode_json(float("inf"))
    assert wire.is_json_content_type("application/json; charset=utf-8")
    assert wire.is_json_content_type("application/cloudevents+json")
    assert wire.is_json_content_type(None)
    assert not wire.is_json_content_type("text/plain")


def test_plain_encodings_leave_the_body_as_it_is() -> None:
    # kombu labels bytes it did not serialize "binary"; the generator reads a document's
    # contentEncoding with this same rule.
    for encoding in (None, "", "utf-8", "UTF8", "identity", "binary"):
        assert wire.is_plain_encoding(encoding), encoding
    assert not wire.is_plain_encoding("gzip")
    assert not wire.is_plain_encoding("base64")


def test_header_counters_ignore_nonsense() -> None:
    assert wire.header_count({wire.ATTEMPT: 3}, wire.ATTEMPT) == 3
    assert wire.header_count({wire.ATTEMPT: "3"}, wire.ATTEMPT) == 0
    assert wire.header_count({wire.ATTEMPT: True}, wire.ATTEMPT) == 0
    assert wire.header_count({wire.ATTEMPT: -1}, wire.ATTEMPT) == 0


SCHEMA = {
    "type": "object",
    "required": ["id", "total"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "total": {"type": "number", "minimum": 0},
        "at": {"type": "string", "format": "date-time"},
        "items": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        "note": {"type": "string", "default": "none"},
    },
}


def test_schema_validation_names_event_place_and_values() -> None:
    validator = SchemaValidator(SCHEMA, event="orders.created")
    valid: dict[str, JsonValue] = {
        "id": "0b8f3c1e-4f4e-4a4e-9a4e-0b8f3c1e4f4e",
        "total": 1,
        "at": "2024-01-01T10:00:00Z",
    }
    validator.validate(valid)
    assert "note" not in valid, "defaults are never written into payloads"
    with pytest.raises(PayloadError) as error:
        validator.validate({**valid, "items": [1, 0]})
    assert error.value.event == "orders.created"
    assert error.value.pointer == "/items/1"
    assert "received 0" in str(error.value)
    with pytest.raises(PayloadError, match="date-time"):
        validator.validate({**valid, "at": "2024-13-01T10:00:00Z"})
    with pytest.raises(PayloadError, match="uuid"):
        validator.validate({**valid, "id": "not-a-uuid"})
    with pytest.raises(PayloadError, match="must not contain"):
        validator.validate({**valid, "extra": 1})


def test_signature_payloads_bind_and_check_simple_annotations() -> None:
    def placed(order_id: str, total: float, note: str | None = None, **extra: object) -> None:
        """An order was placed."""

    encode = kwargs_encoder(placed, "orders.placed")
    assert encode(("o-1", 3), {"channel": "web"}) == {
        "order_id": "o-1",
        "total": 3,
        "note": None,
        "channel": "web",
    }
    with pytest.raises(PayloadError, match="missing a required argument"):
        encode((), {})

    decode = kwargs_decoder(placed, "orders.placed")
    assert decode({"order_id": "o-1", "total": 2.5}, DELIVERY) == {"order_id": "o-1", "total": 2.5}
    with pytest.raises(PayloadError, match="'total' must be float or int"):
        decode({"order_id": "o-1", "total": "2.5"}, DELIVERY)
    with pytest.raises(PayloadError, match="must be float or int, received True"):
        decode({"order_id": "o-1", "total": True}, DELIVERY)
    with pytest.raises(PayloadError, match="JSON object"):
        decode([1], DELIVERY)

    def positional(a: int, /) -> None:
        """Not allowed."""

    with pytest.raises(ConfigurationError, match="positional-only"):
        kwargs_encoder(positional, "x")


def test_message_ids_do_not_repeat_when_the_program_seeds_random() -> None:
    import random  # noqa: PLC0415

    random.seed(42)
    first = wire.random_id()
    random.seed(42)
    assert wire.random_id() != first
    assert len(first) == 32
    assert first[12] == "4", "a version 4 UUID"
