"""Encoder and decoder expressions for model types, built from ``amqp_events.codec``.

Each type has two spellings per direction: applied to a value
(``codec.decode_list(data, codec.as_str)``) and as a function to pass along
(``codec.list_of(codec.as_str)``). Values that already are their own JSON (``str``,
``Literal``, lists of those ...) are not converted when encoding, only copied.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.emit.layout import Doc, Seq, call, text, tuple_of
from generator.payloads.model import (
    AliasDef,
    ClassDef,
    Definition,
    ListOf,
    LiteralOf,
    MapOf,
    Nullable,
    Primitive,
    Ref,
    TupleDef,
    TypeExpr,
    UnionDef,
)
from generator.payloads.typeinfo import Lookup, is_native, python_classes

__all__ = ["Coders"]

_DECODERS = {
    "str": "codec.as_str",
    "int": "codec.as_int",
    "float": "codec.as_float",
    "bool": "codec.as_bool",
    "none": "codec.as_none",
    "json": "codec.as_json",
    "datetime": "codec.as_datetime",
    "date": "codec.as_date",
    "time": "codec.as_time",
    "uuid": "codec.as_uuid",
    "never": "codec.never",
}
_ENCODERS = {
    "datetime": "codec.encode_datetime",
    "date": "codec.encode_date",
    "time": "codec.encode_time",
    "uuid": "codec.encode_uuid",
    "never": "codec.never",
}
_SCALAR_CLASSES = frozenset({"str", "int", "float", "bool", "None"})


class Coders:
    """Spells encoders and decoders; ``literal`` renders (and records) string literals."""

    def __init__(
        self, definitions: dict[str, Definition], literal: Callable[[str | int | bool], str]
    ) -> None:
        self.definitions = definitions
        self.literal = literal

    def lookup(self, name: str) -> Definition:
        """The definition called ``name``."""
        return self.definitions[name]

    @property
    def _lookup(self) -> Lookup:
        return self.lookup

    def _functions(self, name: str) -> tuple[str, str]:
        found = self.definitions[name]
        assert isinstance(found, ClassDef | AliasDef | TupleDef | UnionDef)
        return found.encode, found.decode

    def _values(self, expr: LiteralOf) -> Doc:
        return tuple_of(text(self.literal(v)) for v in expr.values)

    # Decoding -----------------------------------------------------------------------

    def decoder(self, expr: TypeExpr) -> Doc:
        """A function that decodes JSON into ``expr``."""
        match expr:
            case Primitive(name=name):
                doc: Doc = text(_DECODERS[name])
            case LiteralOf():  # literals are always named; see mapping
                raise AssertionError("a Literal type is decoded by its alias")
            case ListOf(item=item):
                doc = call("codec.list_of", self.decoder(item))
            case MapOf(value=value):
                doc = call("codec.map_of", self.decoder(value))
            case Nullable(inner=inner):
                doc = call("codec.nullable", self.decoder(inner))
            case Ref(name=name):
                doc = text(self._functions(name)[1])
        return doc

    def decode(self, expr: TypeExpr, data: Doc) -> Doc:
        """``data`` decoded into ``expr``."""
        match expr:
            case Primitive(name="json"):
                doc: Doc = data
            case Primitive(name=name):
                doc = call(_DECODERS[name], data)
            case LiteralOf():
                doc = call("codec.decode_literal", data, self._values(expr))
            case ListOf(item=item):
                doc = call("codec.decode_list", data, self.decoder(item))
            case MapOf(value=value):
                doc = call("codec.decode_map", data, self.decoder(value))
            case Nullable(inner=inner):
                doc = call("codec.decode_nullable", data, self.decoder(inner))
            case Ref(name=name):
                doc = call(self._functions(name)[1], data)
        return doc

    # Encoding -----------------------------------------------------------------------

    def native(self, expr: TypeExpr) -> bool:
        """Whether values of ``expr`` are their own JSON."""
        return is_native(expr, self._lookup)

    def _scalar(self, expr: TypeExpr) -> bool:
        classes = python_classes(expr, self._lookup)
        return self.native(expr) and classes is not None and classes <= _SCALAR_CLASSES

    def json_typed(self, expr: TypeExpr) -> bool:
        """Whether ``expr`` is typed as a ``JsonValue`` already (``dict[str, int]`` is not:
        dicts are invariant), so its values pass where ``JsonValue`` is expected."""
        return self._scalar(expr) or expr == Primitive("json")

    def encoder(self, expr: TypeExpr) -> Doc:
        """A function that encodes ``expr`` as JSON."""
        if self.native(expr):
            return text("codec.native")
        match expr:
            case Primitive(name=name):
                doc: Doc = text(_ENCODERS[name])
            case ListOf(item=item):
                doc = call("codec.list_encoder", self.encoder(item))
            case MapOf(value=value):
                doc = call("codec.map_encoder", self.encoder(value))
            case Nullable(inner=inner):
                doc = call("codec.nullable_encoder", self.encoder(inner))
            case Ref(name=name):
                doc = text(self._functions(name)[0])
            case LiteralOf():  # always native; here for completeness
                doc = text("codec.native")
        return doc

    def encode(self, expr: TypeExpr, value: Doc) -> Doc:
        """``value`` encoded as JSON."""
        if self._scalar(expr):
            return value
        if self.native(expr):
            return call("codec.native", value)
        match expr:
            case Primitive(name=name):
                doc: Doc = call(_ENCODERS[name], value)
            case ListOf(item=item):
                doc = call("codec.encode_list", value, self.encoder(item))
            case MapOf(value=item):
                doc = call("codec.encode_map", value, self.encoder(item))
            case Nullable(inner=inner):
                doc = call("codec.encode_nullable", value, self.encoder(inner))
            case Ref(name=name):
                doc = call(self._functions(name)[0], value)
            case LiteralOf():
                doc = value
        return doc

    def encode_optional(self, expr: TypeExpr, value: Doc) -> Doc:
        """An optional property's ``value`` encoded, ``UNSET`` staying ``UNSET``."""
        if self._scalar(expr):
            return value
        return call("codec.encode_optional", value, self.encoder(expr))

    @staticmethod
    def keyword(name: str, value: Doc) -> Doc:
        """``name=value``."""
        return Seq((text(f"{name}="), value))
