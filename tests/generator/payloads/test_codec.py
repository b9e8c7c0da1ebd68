"""The runtime conversions generated payload modules are built from."""

from __future__ import annotations

import copy
import pickle
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from amqp_events import Delivery, codec
from amqp_events.codec import UNSET, Unset
from amqp_events.wire import JsonValue


def test_unset_is_a_falsy_singleton_distinct_from_none() -> None:
    assert UNSET is Unset.UNSET
    assert repr(UNSET) == "UNSET"
    assert not UNSET
    assert UNSET is not None
    assert copy.deepcopy(UNSET) is UNSET
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET


def test_optional_properties_keep_absent_and_null_apart() -> None:
    obj: dict[str, JsonValue] = {"note": None}
    assert codec.optional(obj, "note", codec.nullable(codec.as_str)) is None
    assert codec.optional(obj, "other", codec.nullable(codec.as_str)) is UNSET
    assert codec.object_value({"note": None, "other": UNSET}) == {"note": None}


def test_object_value_keeps_extras_but_named_properties_win() -> None:
    assert codec.object_value({"a": 1}, {"a": 2, "b": 3}) == {"a": 1, "b": 3}


def test_required_property_missing_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="'orderId'"):
        codec.required({}, "orderId", codec.as_str)


def test_numbers_keep_their_json_form() -> None:
    assert codec.as_float(12) == 12
    assert type(codec.as_float(12)) is int  # 12 round-trips as 12, not 12.0
    assert codec.as_int(3.0) == 3
    assert type(codec.as_int(3.0)) is int
    for bad in (True, 1.5, "1"):
        with pytest.raises(TypeError):
            codec.as_int(bad)
    with pytest.raises(TypeError):
        codec.as_float(False)


def test_literals_compare_as_json() -> None:
    assert codec.decode_literal(1.0, (1, 2)) == 1
    with pytest.raises(TypeError):
        codec.decode_literal(True, (1,))
    with pytest.raises(TypeError):
        codec.decode_literal(1, (True,))
    assert codec.decode_literal(True, (True,)) is True


def test_formats_parse_and_format() -> None:
    at = codec.as_datetime("2024-01-01t10:00:00.5z")
    assert at == datetime(2024, 1, 1, 10, 0, 0, 500000, tzinfo=UTC)
    offset = codec.as_datetime("2024-01-01T10:00:00+02:00")
    assert offset.utcoffset() == timedelta(hours=2)
    assert codec.as_date("2024-02-29") == date(2024, 2, 29)
    assert codec.encode_date(date(2024, 2, 29)) == "2024-02-29"
    assert codec.as_time("10:00:00Z") == time(10, tzinfo=UTC)
    assert codec.encode_time(time(10, 30)) == "10:30:00"
    raw = "7F1B3F2E59A14E4B9D271D2C52B0B0A4"
    assert codec.as_uuid(raw) == uuid.UUID("7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4")


def test_values_made_in_python_are_written_with_z_for_utc() -> None:
    assert codec.encode_datetime(datetime(2024, 1, 1, tzinfo=UTC)) == "2024-01-01T00:00:00Z"
    zero = timezone(timedelta(0), "GMT")
    assert codec.encode_datetime(datetime(2024, 1, 1, 0, 0, 0, 5, zero)) == (
        "2024-01-01T00:00:00.000005Z"
    )
    two = timezone(timedelta(hours=2))
    assert codec.encode_datetime(datetime(2024, 1, 1, tzinfo=two)) == "2024-01-01T00:00:00+02:00"
    assert codec.encode_time(time(10, tzinfo=UTC)) == "10:00:00Z"
    assert codec.encode_time(time(10, tzinfo=two)) == "10:00:00+02:00"
    assert codec.encode_uuid(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"


SPELLINGS = [
    (codec.as_datetime, codec.encode_datetime, "2024-01-01T00:00:00Z"),
    (codec.as_datetime, codec.encode_datetime, "2024-01-01T00:00:00+00:00"),
    (codec.as_datetime, codec.encode_datetime, "2024-01-01T00:00:00-00:00"),
    (codec.as_datetime, codec.encode_datetime, "2024-01-01T00:00:00.000Z"),
    (codec.as_datetime, codec.encode_datetime, "2024-01-01t10:00:00.5z"),
    (codec.as_datetime, codec.encode_datetime, "2024-01-01T10:00:00.1234567+02:00"),
    (codec.as_datetime, codec.encode_datetime, "2024-01-01T10:00:00.123456789Z"),
    (codec.as_time, codec.encode_time, "10:00:00Z"),
    (codec.as_time, codec.encode_time, "10:00:00.000000001+01:00"),
    (codec.as_time, codec.encode_time, "10:00:00"),
    (codec.as_uuid, codec.encode_uuid, "7F1B3F2E59A14E4B9D271D2C52B0B0A4"),
    (codec.as_uuid, codec.encode_uuid, "7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4"),
]


@pytest.mark.parametrize(("decode", "encode", "text"), SPELLINGS)
def test_decoded_values_are_written_as_they_were_read(
    decode: Callable[[JsonValue], Any], encode: Callable[[Any], JsonValue], text: str
) -> None:
    value = decode(text)
    assert encode(value) == text
    assert encode(copy.deepcopy(value)) == text
    assert encode(pickle.loads(pickle.dumps(value))) == text
    assert copy.deepcopy(value) == value


def test_digits_beyond_microseconds_are_kept_on_the_wire_and_ignored_in_python() -> None:
    # Python's datetime stops at microseconds; the value compares to the microsecond.
    at = codec.as_datetime("2024-01-01T10:00:00.123456789Z")
    assert at == datetime(2024, 1, 1, 10, 0, 0, 123456, tzinfo=UTC)
    assert codec.encode_datetime(at) == "2024-01-01T10:00:00.123456789Z"
    # A value computed from it is written from its own fields.
    later = at + timedelta(seconds=1)
    assert codec.encode_datetime(later) == "2024-01-01T10:00:01.123456Z"
    assert codec.encode_datetime(at.replace(hour=11)) == "2024-01-01T11:00:00.123456Z"
    assert codec.encode_time(codec.as_time("10:00:00.1234567Z").replace(minute=1)) == (
        "10:01:00.123456Z"
    )


def test_native_copies_containers() -> None:
    value: JsonValue = {"a": [1, {"b": None}]}
    copied = codec.native(value)
    assert copied == value
    assert copied is not value
    assert codec.native(("x", 1)) == ["x", 1]


def test_positions_decode_and_encode_tuples() -> None:
    decoders = (codec.as_uuid, codec.as_float)
    value = codec.decode_positions(
        ["7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4", 2, True], decoders, codec.as_bool
    )
    assert value == (uuid.UUID("7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4"), 2, True)
    encoders = (codec.encode_uuid, codec.native)
    assert codec.encode_positions(value, encoders, codec.native) == [
        "7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4",
        2,
        True,
    ]
    assert codec.decode_positions(["a"], (codec.as_str, codec.as_int)) == ("a",)
    with pytest.raises(TypeError, match="at most 1 items"):
        codec.decode_positions(["a", "b"], (codec.as_str,))


def _tagged(name: str) -> codec.Variant[str]:
    return codec.Variant(lambda data: name, ("object",), (name,))


def test_unions_decode_by_tag_then_kind_then_schema() -> None:
    by_tag = [_tagged("a"), _tagged("b")]
    assert codec.decode_union({"k": "b"}, by_tag, name="U", tag="k") == "b"

    by_kind: list[codec.Variant[object]] = [
        codec.Variant(codec.as_str, ("string",)),
        codec.Variant(codec.as_int, ("number",)),
    ]
    assert codec.decode_union(3, by_kind, name="U") == 3
    assert codec.decode_union("3", by_kind, name="U") == "3"
    with pytest.raises(TypeError, match="a value of U"):
        codec.decode_union(None, by_kind, name="U")

    first: codec.Variant[str] = codec.Variant(
        lambda data: "first", ("object",), schema={"required": ["a"]}
    )
    last: codec.Variant[str] = codec.Variant(lambda data: "last", ("object",))
    assert codec.decode_union({"a": 1}, [first, last], name="U") == "first"
    assert codec.decode_union({"b": 1}, [first, last], name="U") == "last"


def test_unions_encode_by_class_and_copy_native_members() -> None:
    cases = [codec.case(datetime, codec.encode_datetime), codec.case(date, codec.encode_date)]
    at = datetime(2024, 1, 1, tzinfo=UTC)
    assert codec.encode_union(at, cases, name="U") == "2024-01-01T00:00:00Z"
    assert codec.encode_union(date(2024, 1, 1), cases, name="U") == "2024-01-01"
    assert codec.encode_union(["x"], cases, name="U") == ["x"]
    with pytest.raises(TypeError, match="a value of U"):
        codec.encode_union(object(), cases, name="U")


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        ({"a": 1, "b": [1.0]}, {"b": [1], "a": 1.0}, True),
        (True, 1, False),
        (0, False, False),
        (None, None, True),
        ("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00+00:00", True),
        ("2024-01-01T02:00:00+02:00", "2024-01-01T00:00:00Z", True),
        ("2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", False),
        ("7F1B3F2E59A14E4B9D271D2C52B0B0A4", "7f1b3f2e-59a1-4e4b-9d27-1d2c52b0b0a4", True),
        ("10:00:00Z", "10:00:00+00:00", True),
        ("a", "A", False),
        ([1], [1, 2], False),
        ({"a": 1}, {"a": 1, "b": None}, False),
    ],
)
def test_json_equal(left: JsonValue, right: JsonValue, equal: bool) -> None:
    assert codec.json_equal(left, right) is equal
    assert codec.json_equal(right, left) is equal


def test_roundtrip_reports_each_kind_of_problem() -> None:
    schema = {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}

    def decode(data: JsonValue) -> int:
        return codec.required(codec.as_object(data), "n", codec.as_int)

    def lossy(value: int) -> JsonValue:
        return {"n": value + 1}

    def encode(value: int) -> JsonValue:
        return {"n": value}

    assert codec.roundtrip("X", [{"n": 1}], schema, decode, encode) == []
    assert codec.roundtrip("X", [{"n": "1"}], schema, decode, encode) == [
        "X, example 1 does not satisfy its schema: the value must be integer (received '1')."
    ]
    assert codec.roundtrip("X", [{"n": 1}], schema, decode, lossy) == [
        "X, example 1 changes when decoded and encoded again: {'n': 1} became {'n': 2}."
    ]
    broken = codec.roundtrip("X", [{"n": 1}], schema, decode, lambda value: {"n": "x"})
    assert broken[0].startswith("X, example 1 does not survive decoding and encoding")


def test_roundtrip_compares_the_json_text_of_strings() -> None:
    schema = {"type": "string", "format": "date-time"}
    examples: list[JsonValue] = ["2024-01-01T00:00:00Z"]
    exact = codec.roundtrip("T", examples, schema, codec.as_datetime, codec.encode_datetime)
    assert exact == []

    def respelled(value: datetime) -> JsonValue:
        return value.isoformat()

    assert codec.roundtrip("T", examples, schema, codec.as_datetime, respelled) == [
        "T, example 1 is written differently when decoded and encoded again: "
        "'2024-01-01T00:00:00Z' became '2024-01-01T00:00:00+00:00'."
    ]


def test_embedded_json_is_strict() -> None:
    assert codec.load_json('{"a": [1, null]}') == {"a": [1, None]}
    assert codec.load_examples("[1, 2]") == (1, 2)
    with pytest.raises(ValueError, match="NaN"):
        codec.load_json("NaN")
    with pytest.raises(TypeError):
        codec.load_examples("{}")


def test_the_correlation_id_is_read_from_where_the_document_puts_it() -> None:
    def delivery(headers: dict[str, object], correlation_id: str | None = None) -> Any:
        return Delivery(
            event="e",
            queue="q",
            routing_key="e",
            exchange="x",
            headers=headers,
            correlation_id=correlation_id,
        )

    in_header = codec.correlated(delivery({"x-cid": "c-1"}), {}, source="header", pointer="/x-cid")
    assert in_header.correlation_id == "c-1"
    in_payload = codec.correlated(
        delivery({}), {"order": {"id": 42}}, source="payload", pointer="/order/id"
    )
    assert in_payload.correlation_id == "42"
    amqp_property = codec.correlated(
        delivery({"x-cid": "c-1"}, "amqp"), {}, source="header", pointer="/x-cid"
    )
    assert amqp_property.correlation_id == "amqp", "the AMQP property wins"
    absent = codec.correlated(delivery({}), {}, source="header", pointer="/x-cid")
    assert absent.correlation_id is None
