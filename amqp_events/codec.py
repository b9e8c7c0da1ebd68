"""Conversions between JSON values and the payload types of generated packages.

Generated ``payloads.py`` modules build every encoder and decoder from the small
functions here, so the generated code stays short and the conversions are tested once.

Decoding functions (``as_*``, ``decode_*``, ``required``, ``optional``, ...) expect input
that the payload's JSON Schema has already accepted; they check the JSON type they
convert (cheaply, so that a mistake surfaces as a ``TypeError`` naming what was
received) but not the schema's constraints. Encoding functions (``encode_*``,
``native``, ``object_value``) produce JSON values with the spec's property names; the
runtime validates the result against the schema before publishing it.

Absent is not null: an optional property that is absent from a payload is ``UNSET``
(of type ``Unset``), while JSON ``null`` is ``None``. Encoding leaves ``UNSET``
properties out of the JSON object and writes ``None`` as ``null``.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import (
    Any,
    Final,
    Generic,
    Literal,
    NoReturn,
    Self,
    SupportsIndex,
    TypeAlias,
    TypeVar,
    cast,
)

from amqp_events.addresses import is_routing_word
from amqp_events.errors import ConfigurationError, PayloadError
from amqp_events.events import Delivery, Headers
from amqp_events.schema import FORMATS, SchemaValidator
from amqp_events.wire import JsonValue, parse_json

__all__ = [
    "UNSET",
    "DecodedDatetime",
    "DecodedTime",
    "DecodedUUID",
    "EncodeCase",
    "NativeJson",
    "Unset",
    "Variant",
    "as_bool",
    "as_date",
    "as_datetime",
    "as_float",
    "as_int",
    "as_json",
    "as_list",
    "as_none",
    "as_object",
    "as_str",
    "as_time",
    "as_uuid",
    "case",
    "channel_word",
    "correlated",
    "decode_list",
    "decode_literal",
    "decode_map",
    "decode_nullable",
    "decode_positions",
    "decode_union",
    "encode_date",
    "encode_datetime",
    "encode_list",
    "encode_map",
    "encode_nullable",
    "encode_optional",
    "encode_positions",
    "encode_time",
    "encode_union",
    "encode_uuid",
    "extra_properties",
    "headers_json",
    "headers_object",
    "json_equal",
    "list_encoder",
    "list_of",
    "load_examples",
    "load_json",
    "map_encoder",
    "map_of",
    "native",
    "never",
    "nullable",
    "nullable_encoder",
    "object_value",
    "optional",
    "required",
    "roundtrip",
    "routing_key",
    "text_at",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
L = TypeVar("L", bound=str | int | bool | None)

NativeJson: TypeAlias = (
    bool | int | float | str | Sequence["NativeJson"] | Mapping[str, "NativeJson"] | None
)
"""A value whose Python form already is its JSON form (read-only view of ``JsonValue``)."""


class Unset(enum.Enum):
    """The type of ``UNSET``: an optional property that is absent from the payload."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET
"""The value of an optional property that is absent (``None`` stands for JSON ``null``)."""


def _received(data: object) -> str:
    shown = repr(data)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _expected(what: str, data: object) -> TypeError:
    return TypeError(f"Expected {what}, received {_received(data)}.")


# Decoding -------------------------------------------------------------------------------


def as_object(data: JsonValue) -> dict[str, JsonValue]:
    """Return ``data`` as a JSON object."""
    if not isinstance(data, dict):
        raise _expected("a JSON object", data)
    return data


def as_list(data: JsonValue) -> list[JsonValue]:
    """Return ``data`` as a JSON array."""
    if not isinstance(data, list):
        raise _expected("a JSON array", data)
    return data


def as_str(data: JsonValue) -> str:
    """Return ``data`` as a string."""
    if not isinstance(data, str):
        raise _expected("a JSON string", data)
    return data


def as_int(data: JsonValue) -> int:
    """Return ``data`` as an integer; JSON Schema counts ``1.0`` as an integer too."""
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise _expected("a JSON integer", data)
    if isinstance(data, float):
        if not data.is_integer():
            raise _expected("a JSON integer", data)
        return int(data)
    return data


def as_float(data: JsonValue) -> float:
    """Return ``data`` as a number, keeping an ``int`` an ``int`` so ``12`` stays ``12``."""
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise _expected("a JSON number", data)
    return data


def as_bool(data: JsonValue) -> bool:
    """Return ``data`` as a boolean."""
    if not isinstance(data, bool):
        raise _expected("true or false", data)
    return data


def as_none(data: JsonValue) -> None:
    """Check that ``data`` is JSON ``null``."""
    if data is not None:
        raise _expected("null", data)


def as_json(data: JsonValue) -> JsonValue:
    """Return ``data`` unchanged: the property accepts any JSON value."""
    return data


def as_datetime(data: JsonValue) -> datetime:
    """Parse an RFC 3339 ``date-time`` string into an aware ``datetime``."""
    return DecodedDatetime.read(as_str(data))


def as_date(data: JsonValue) -> date:
    """Parse an RFC 3339 ``full-date`` string."""
    return date.fromisoformat(as_str(data))


def as_time(data: JsonValue) -> time:
    """Parse an RFC 3339 ``time`` string (with or without an offset)."""
    return DecodedTime.read(as_str(data))


def as_uuid(data: JsonValue) -> uuid.UUID:
    """Parse a ``uuid`` string."""
    return DecodedUUID.read(as_str(data))


def _utc_suffix(text: str) -> str:
    # The same spelling the runtime validator accepts: 't', 'z' and 'Z' allowed.
    return text.upper().replace("Z", "+00:00")


# A date-time, time or UUID string can say more than its Python value holds: digits
# beyond microseconds, the unknown offset '-00:00', or only its spelling ('.000Z', a
# lowercase 't', an uppercase UUID). Decoded values keep the string, so encoding what
# was decoded gives the same JSON again and forwarding a payload loses nothing. They
# compare, hash and compute as their plain values; a value computed from one
# (``+ timedelta``, ``replace``) keeps no string and is written from its own fields.


class _KeepsText:
    """What the decoded classes share: the string they were read from."""

    __slots__ = ()
    _text: str

    @classmethod
    def read(cls, text: str) -> Self:
        """Parse ``text`` (times to the microsecond) and keep it."""
        value = cls._parse(text)
        object.__setattr__(value, "_text", text)  # a UUID refuses plain assignment
        return value

    @classmethod
    def _parse(cls, text: str) -> Self:
        raise NotImplementedError

    @property
    def text(self) -> str | None:
        """The string this value was decoded from; None for a value made otherwise."""
        return getattr(self, "_text", None)

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # Pickled and copied as the string, which the plain value's state does not hold.
        text = self.text
        return super().__reduce_ex__(protocol) if text is None else (type(self).read, (text,))


class DecodedDatetime(_KeepsText, datetime):
    """A ``datetime`` decoded from a ``date-time`` string, which encoding writes again."""

    __slots__ = ("_text",)

    @classmethod
    def _parse(cls, text: str) -> Self:
        return cls.fromisoformat(_utc_suffix(text))


class DecodedTime(_KeepsText, time):
    """A ``time`` decoded from a ``time`` string, which encoding writes again."""

    __slots__ = ("_text",)

    @classmethod
    def _parse(cls, text: str) -> Self:
        return cls.fromisoformat(_utc_suffix(text))


class DecodedUUID(_KeepsText, uuid.UUID):
    """A ``UUID`` decoded from a ``uuid`` string, which encoding writes again."""

    __slots__ = ("_text",)

    @classmethod
    def _parse(cls, text: str) -> Self:
        return cls(text)


def decode_literal(data: JsonValue, values: tuple[L, ...]) -> L:
    """Return the member of ``values`` that ``data`` equals (JSON ``true`` is not ``1``)."""
    for value in values:
        # 1.0 is the JSON integer 1, but true is not 1.
        if data == value and isinstance(data, bool) == isinstance(value, bool):
            return value
    raise _expected(f"one of {values!r}", data)


def decode_list(data: JsonValue, decode: Callable[[JsonValue], T]) -> list[T]:
    """Decode a JSON array item by item."""
    return [decode(item) for item in as_list(data)]


def list_of(decode: Callable[[JsonValue], T]) -> Callable[[JsonValue], list[T]]:
    """Return a decoder of JSON arrays whose items ``decode`` converts."""

    def decode_items(data: JsonValue) -> list[T]:
        return decode_list(data, decode)

    return decode_items


def decode_map(data: JsonValue, decode: Callable[[JsonValue], T]) -> dict[str, T]:
    """Decode a JSON object used as a map, value by value."""
    return {key: decode(value) for key, value in as_object(data).items()}


def map_of(decode: Callable[[JsonValue], T]) -> Callable[[JsonValue], dict[str, T]]:
    """Return a decoder of JSON objects used as maps whose values ``decode`` converts."""

    def decode_values(data: JsonValue) -> dict[str, T]:
        return decode_map(data, decode)

    return decode_values


def decode_nullable(data: JsonValue, decode: Callable[[JsonValue], T]) -> T | None:
    """Return ``None`` for JSON ``null``, otherwise what ``decode`` makes of ``data``."""
    return None if data is None else decode(data)


def nullable(decode: Callable[[JsonValue], T]) -> Callable[[JsonValue], T | None]:
    """Return a decoder that also accepts JSON ``null`` (as ``None``)."""

    def decode_or_none(data: JsonValue) -> T | None:
        return decode_nullable(data, decode)

    return decode_or_none


def decode_positions(
    data: JsonValue,
    decoders: Sequence[Callable[[JsonValue], Any]],
    rest: Callable[[JsonValue], Any] | None = None,
) -> tuple[Any, ...]:
    """Decode a positional JSON array item by item; ``rest`` decodes any further items."""
    items = as_list(data)
    if rest is None and len(items) > len(decoders):
        raise _expected(f"at most {len(decoders)} items", data)
    head = tuple(decode(item) for decode, item in zip(decoders, items, strict=False))
    return head + tuple(map(rest, items[len(decoders) :])) if rest else head


def never(data: object) -> NoReturn:
    """Refuse a value that the schema does not allow at all (``false`` schemas)."""
    raise _expected("no value (the schema is false)", data)


def required(obj: Mapping[str, JsonValue], name: str, decode: Callable[[JsonValue], T]) -> T:
    """Decode the required property ``name`` of a JSON object."""
    try:
        data = obj[name]
    except KeyError:
        raise TypeError(f"Expected the required property {name!r}; it is absent.") from None
    return decode(data)


def optional(
    obj: Mapping[str, JsonValue], name: str, decode: Callable[[JsonValue], T]
) -> T | Unset:
    """Decode the optional property ``name`` of a JSON object, ``UNSET`` when absent."""
    if name not in obj:
        return UNSET
    return decode(obj[name])


def extra_properties(
    obj: Mapping[str, JsonValue],
    known: Iterable[str],
    decode: Callable[[JsonValue], T],
) -> dict[str, T]:
    """Decode the properties of a JSON object that are not among the ``known`` names."""
    names = frozenset(known)
    return {key: decode(value) for key, value in obj.items() if key not in names}


def _kind(data: JsonValue) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "boolean"
    if isinstance(data, int | float):
        return "number"
    if isinstance(data, str):
        return "string"
    if isinstance(data, list):
        return "array"
    return "object"


@dataclass(frozen=True, slots=True)
class Variant(Generic[T_co]):
    """One member of a union: how to decode it and how to recognise it in JSON."""

    decode: Callable[[JsonValue], T_co]
    kinds: tuple[str, ...]
    """The JSON kinds it accepts: ``null``, ``boolean``, ``number``, ``string``,
    ``array``, ``object`` (integers are numbers)."""
    tags: tuple[str, ...] = ()
    """Values of the union's tag property that select this member."""
    schema: Mapping[str, Any] | None = None
    """JSON Schema that tells this member apart from others of the same kind."""
    _validator: list[SchemaValidator] = field(default_factory=list, compare=False, repr=False)

    def matches(self, data: JsonValue) -> bool:
        """Tell whether ``data`` is valid for this member (always true without a schema)."""
        if self.schema is None:
            return True
        if not self._validator:
            self._validator.append(SchemaValidator(self.schema, event="union member"))
        try:
            self._validator[0].validate(data)
        except PayloadError:
            return False
        return True


def decode_union(
    data: JsonValue,
    variants: Sequence[Variant[T]],
    *,
    name: str,
    tag: str | None = None,
) -> T:
    """Decode a member of a ``oneOf``/``anyOf`` union.

    A string value of the ``tag`` property selects the member that lists it. Otherwise
    the members that accept the JSON kind of ``data`` are tried in the spec's order and
    the first whose schema accepts ``data`` is taken; the last candidate needs no check,
    because validated input matches at least one member (exactly one for ``oneOf``).
    """
    if tag is not None and isinstance(data, dict):
        value = data.get(tag)
        if isinstance(value, str):
            for variant in variants:
                if value in variant.tags:
                    return variant.decode(data)
    kind = _kind(data)
    candidates = [variant for variant in variants if kind in variant.kinds]
    for variant in candidates[:-1]:
        if variant.matches(data):
            return variant.decode(data)
    if candidates:
        return candidates[-1].decode(data)
    raise _expected(f"a value of {name}", data)


# Encoding -------------------------------------------------------------------------------


def native(value: NativeJson) -> JsonValue:
    """Copy a value whose Python form is its JSON form (lists and dicts are copied)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(key): native(item) for key, item in value.items()}
    return [native(item) for item in value]


def _zulu(text: str) -> str:
    # RFC 3339's common spelling of UTC, as most producers write it: 'Z', not '+00:00'.
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


def encode_datetime(value: datetime) -> JsonValue:
    """Format a ``datetime`` as an RFC 3339 ``date-time`` (it needs a time zone); a
    decoded one as it was written."""
    text = value.text if isinstance(value, DecodedDatetime) else None
    return _zulu(value.isoformat()) if text is None else text


def encode_date(value: date) -> JsonValue:
    """Format a ``date`` as an RFC 3339 ``full-date``."""
    return value.isoformat()


def encode_time(value: time) -> JsonValue:
    """Format a ``time`` as an RFC 3339 ``time``; a decoded one as it was written."""
    text = value.text if isinstance(value, DecodedTime) else None
    return _zulu(value.isoformat()) if text is None else text


def encode_uuid(value: uuid.UUID) -> JsonValue:
    """Format a ``UUID`` in its canonical hyphenated form; a decoded one as it was written."""
    text = value.text if isinstance(value, DecodedUUID) else None
    return str(value) if text is None else text


def encode_positions(
    value: Sequence[Any],
    encoders: Sequence[Callable[[Any], JsonValue]],
    rest: Callable[[Any], JsonValue] | None = None,
) -> JsonValue:
    """Encode a tuple item by item; ``rest`` encodes any items after the positional ones."""
    head = [encode(item) for encode, item in zip(encoders, value, strict=False)]
    tail = [rest(item) for item in value[len(encoders) :]] if rest else []
    return head + tail


def encode_list(value: Sequence[T], encode: Callable[[T], JsonValue]) -> list[JsonValue]:
    """Encode a list item by item."""
    return [encode(item) for item in value]


def list_encoder(encode: Callable[[T], JsonValue]) -> Callable[[Sequence[T]], JsonValue]:
    """Return an encoder of lists whose items ``encode`` converts."""

    def encode_items(value: Sequence[T]) -> JsonValue:
        return encode_list(value, encode)

    return encode_items


def encode_map(value: Mapping[str, T], encode: Callable[[T], JsonValue]) -> dict[str, JsonValue]:
    """Encode a map value by value."""
    return {key: encode(item) for key, item in value.items()}


def map_encoder(encode: Callable[[T], JsonValue]) -> Callable[[Mapping[str, T]], JsonValue]:
    """Return an encoder of maps whose values ``encode`` converts."""

    def encode_values(value: Mapping[str, T]) -> JsonValue:
        return encode_map(value, encode)

    return encode_values


def encode_nullable(value: object, encode: Callable[[T], JsonValue]) -> JsonValue:
    """Encode ``None`` as ``null`` and anything else with ``encode``."""
    # Typed ``object``, not ``T | None``: for a union such as ``dict[str, JsonValue] |
    # str | Model``, mypy solves ``T | None`` by joining the members into ``object`` and
    # then refuses the union's own encoder. Generated code passes only values of the
    # encoder's type (its caller's annotation says so).
    return None if value is None else encode(cast("T", value))


def nullable_encoder(encode: Callable[[T], JsonValue]) -> Callable[[T | None], JsonValue]:
    """Return an encoder that also accepts ``None`` (as ``null``)."""

    def encode_or_null(value: T | None) -> JsonValue:
        return encode_nullable(value, encode)

    return encode_or_null


def encode_optional(value: T | Unset, encode: Callable[[T], JsonValue]) -> JsonValue | Unset:
    """Encode a present optional property; ``UNSET`` stays ``UNSET`` (and is left out)."""
    if isinstance(value, Unset):
        return UNSET
    return encode(value)


def object_value(
    properties: Mapping[str, JsonValue | Unset],
    extra: Mapping[str, JsonValue] | None = None,
) -> JsonValue:
    """Build a JSON object from its properties, leaving out ``UNSET`` ones.

    ``extra`` holds properties the schema does not name (kept so that decoding and
    encoding again loses nothing); a named property wins over an extra of the same name.
    """
    result: dict[str, JsonValue] = {}
    for key, value in properties.items():
        if not isinstance(value, Unset):
            result[key] = value
    for key, item in (extra or {}).items():
        result.setdefault(key, item)
    return result


class EncodeCase:
    """One member of a union on the encoding side: its Python class and its encoder."""

    __slots__ = ("encode", "types")

    def __init__(self, types: type | tuple[type, ...], encode: Callable[[Any], JsonValue]) -> None:
        self.types = types
        self.encode = encode

    def __repr__(self) -> str:
        return f"EncodeCase({self.types!r}, {self.encode!r})"


def case(types: type[T], encode: Callable[[T], JsonValue]) -> EncodeCase:
    """Pair a union member's Python class with its encoder (checked by the type checker)."""
    return EncodeCase(types, encode)


def encode_union(value: object, cases: Sequence[EncodeCase], *, name: str) -> JsonValue:
    """Encode a union member with the encoder of the first case whose class it is.

    A value that matches no case is a JSON-native member (``str``, ``int``, ``list`` of
    those, ...) and is copied as it is.
    """
    for member in cases:
        if isinstance(value, member.types):
            return member.encode(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return native(value)
    raise TypeError(f"Expected a value of {name}, received {_received(value)}.")


# Embedded JSON --------------------------------------------------------------------------


def load_json(text: str) -> JsonValue:
    """Parse JSON embedded in generated code (strict: no NaN or Infinity)."""
    return parse_json(text)


def load_examples(text: str) -> tuple[JsonValue, ...]:
    """Parse a JSON array of examples embedded in generated code."""
    return tuple(as_list(load_json(text)))


# Examples -------------------------------------------------------------------------------

_FORMAT_PARSERS: Final[tuple[tuple[str, Callable[[JsonValue], object]], ...]] = (
    ("date-time", as_datetime),
    ("date", as_date),
    ("time", as_time),
    ("uuid", as_uuid),
)


def _same_formatted_value(left: str, right: str) -> bool:
    for name, parse in _FORMAT_PARSERS:
        check = FORMATS[name]
        if check(left) and check(right):
            return parse(left) == parse(right)
    return False


def json_equal(left: JsonValue, right: JsonValue) -> bool:
    """Tell whether two JSON values are the same payload.

    Numbers compare by value (``12 == 12.0``) but booleans are not numbers; objects
    compare regardless of key order; two different strings are equal only when both
    are ``date-time``, ``date``, ``time`` or ``uuid`` strings that denote the same value,
    e.g. ``2024-01-01T00:00:00.000Z`` and ``2024-01-01T00:00:00+00:00``.
    """
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return left == right or _same_formatted_value(left, right)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(
            json_equal(value, right[key]) for key, value in left.items()
        )
    return left is None and right is None


def roundtrip(
    label: str,
    examples: Sequence[JsonValue],
    schema: Mapping[str, Any],
    decode: Callable[[JsonValue], T],
    encode: Callable[[T], JsonValue],
) -> list[str]:
    """Validate, decode and re-encode each example; describe every one that changes.

    The re-encoded value must satisfy the schema again and be the same JSON text:
    equal by ``json_equal``, and with every string written as in the example (decoded
    dates, times and UUIDs keep their string). Numbers compare by value (``12`` and
    ``12.0`` are one JSON number) and objects regardless of key order.
    """
    validator = SchemaValidator(schema, event=label)
    problems: list[str] = []
    for number, example in enumerate(examples, start=1):
        where = f"{label}, example {number}"
        try:
            validator.validate(example)
        except PayloadError as error:
            problems.append(f"{where} does not satisfy its schema: {error.reason}")
            continue
        try:
            again = encode(decode(example))
            validator.validate(again)
        except (PayloadError, TypeError, ValueError, KeyError) as error:
            problems.append(f"{where} does not survive decoding and encoding: {error}")
            continue
        if not json_equal(example, again):
            problems.append(
                f"{where} changes when decoded and encoded again: "
                f"{_received(example)} became {_received(again)}."
            )
        elif (respelled := _respelled(example, again)) is not None:
            problems.append(
                f"{where} is written differently when decoded and encoded again: "
                f"{_received(respelled[0])} became {_received(respelled[1])}."
            )
    return problems


def _respelled(left: JsonValue, right: JsonValue) -> tuple[str, str] | None:
    """The first two strings at the same place that differ, in values ``json_equal`` found equal."""
    if isinstance(left, str) and isinstance(right, str):
        return None if left == right else (left, right)
    pairs: Iterable[tuple[JsonValue, JsonValue]] = ()
    if isinstance(left, list) and isinstance(right, list):
        pairs = zip(left, right, strict=True)
    elif isinstance(left, dict) and isinstance(right, dict):
        pairs = ((value, right[key]) for key, value in left.items())
    return next((found for a, b in pairs if (found := _respelled(a, b)) is not None), None)


# Publishing and headers -----------------------------------------------------------------


def channel_word(name: str, value: str) -> str:
    """Check that a channel parameter is one routing-key word: not empty, no '.', '*' or '#'."""
    if not is_routing_word(value):
        raise ConfigurationError(
            f"Channel parameter {name!r} must be one routing-key word, not empty and without "
            f"'.', '*' or '#', got {value!r}."
        )
    return value


def routing_key(*parts: str) -> str:
    """Join the literal parts of a channel address and its parameter values."""
    return "".join(parts)


def headers_object(value: JsonValue) -> dict[str, object]:
    """Encoded headers as the mapping a publish takes (their schema is an object)."""
    return dict(value) if isinstance(value, dict) else {}


def headers_json(headers: Mapping[str, object]) -> JsonValue:
    """Received application headers as a JSON object, to validate and decode them."""
    return cast("JsonValue", dict(headers))


def text_at(value: JsonValue, pointer: str) -> str | None:
    """The string or number at a JSON pointer of an encoded payload, for its correlation id."""
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    return None


def correlated(
    delivery: Delivery[Headers],
    data: JsonValue,
    *,
    source: Literal["header", "payload"],
    pointer: str,
) -> Delivery[Headers]:
    """The delivery with its correlation id read from where the document puts it.

    The AMQP ``correlation_id`` property wins; a producer that only wrote the header or
    the payload field (any AMQP client may) still gives handlers the id.
    """
    if delivery.correlation_id is not None:
        return delivery
    where = data if source == "payload" else cast("JsonValue", dict(delivery.headers))
    found = text_at(where, pointer)
    return delivery if found is None else dataclasses.replace(delivery, correlation_id=found)
