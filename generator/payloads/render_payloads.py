"""Render ``payloads.py``: the payload types with their encoders and decoders."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.emit.imports import Import
from generator.emit.layout import Doc, Group, Seq, call, join_lines, subscript, text, tuple_of
from generator.emit.module import Module
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
    TypeModel,
    UnionDef,
    UnionMember,
)
from generator.payloads.render_classes import render_class
from generator.payloads.statements import Statements

__all__ = ["IMPORTS", "render_payloads"]

MODULE_DOC = """Payload types of the messages, with their JSON encoders and decoders.

Each type ``T`` comes with ``encode_t(value) -> JsonValue``, which writes the spec's
property names, and ``decode_t(data) -> T``, which expects JSON that the schema in
``schemas.py`` has accepted. An optional property that is absent is ``UNSET``; JSON
``null`` is ``None``. Properties a schema does not name are kept in
``additional_properties`` unless the schema forbids them.
"""

_CLASS_SPELLING = {"None": "type(None)"}
_DATES = frozenset({"datetime", "date", "time", "_dt.datetime", "_dt.date", "_dt.time"})


def _expressions(definition: Definition) -> Iterator[TypeExpr]:
    match definition:
        case ClassDef(fields=fields, extra=extra):
            yield from (f.type for f in fields)
            if extra is not None:
                yield extra.value
        case AliasDef(target=target):
            yield target
        case TupleDef(items=items, rest=rest):
            yield from items
            if rest is not None:
                yield rest
        case UnionDef(members=members):
            yield from (m.type for m in members)


def _primitives(expr: TypeExpr) -> Iterator[str]:
    match expr:
        case Primitive(name=name):
            yield name
        case LiteralOf():
            yield "literal"
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            yield from _primitives(inner)
        case Ref():
            pass


IMPORTS: Mapping[str, Import] = {
    "annotations": Import("__future__", ("annotations",)),
    "datetime": Import("datetime", alias="_dt"),
    "dataclass": Import("dataclasses", ("dataclass",)),
    "field": Import("dataclasses", ("field",)),
    "Final": Import("typing", ("Final",)),
    "Literal": Import("typing", ("Literal",)),
    "Never": Import("typing", ("Never",)),
    "TypeAlias": Import("typing", ("TypeAlias",)),
    "UUID": Import("uuid", ("UUID",)),
    "codec": Import("amqp_events", ("codec",)),
    "JsonValue": Import("amqp_events", ("JsonValue",)),
    "UNSET": Import("amqp_events.codec", ("UNSET", "Unset")),
    "schemas": Import(".", ("schemas",)),
}
"""Every import ``payloads.py`` may have; the names they bind are never given to a type."""


def _imports(model: TypeModel) -> list[Import]:
    """The imports of ``payloads.py`` for ``model``: the entries of ``IMPORTS`` it uses."""
    definitions = model.definitions
    unions = [d for d in definitions if isinstance(d, UnionDef)]
    classes = [d for d in definitions if isinstance(d, ClassDef)]
    used = {p for d in definitions for e in _expressions(d) for p in _primitives(e)}
    used |= {c for u in unions for m in u.members for c in m.classes}
    wanted = {
        # Annotations name classes defined further down, so they are never evaluated.
        "annotations": True,
        "datetime": bool(used & _DATES),
        "dataclass": bool(classes),
        "field": any(c.extra is not None for c in classes),
        "Final": bool(unions),
        "Literal": "literal" in used,
        "Never": "never" in used,
        "TypeAlias": len(classes) < len(definitions),
        "UUID": bool(used & {"uuid", "UUID"}),
        "codec": bool(definitions),
        "JsonValue": bool(definitions),
        "UNSET": any(not f.required for c in classes for f in c.fields),
        "schemas": any(m.matcher for u in unions for m in u.members),
    }
    return [IMPORTS[key] for key, needed in wanted.items() if needed]


def _tuple_annotation(items: list[Doc]) -> Doc:
    if not items:
        return text("tuple[()]")
    return Seq((text("tuple"), Group("[", tuple(items), "]")))


class _Payloads(Statements):
    def definition(self, definition: Definition) -> None:
        match definition:
            case ClassDef():
                render_class(self, definition)
            case AliasDef(target=target):
                self.alias(definition.name, self.annotation(target, evaluated=True), definition.doc)
                self.codec_functions(
                    definition.name,
                    definition.encode,
                    definition.decode,
                    self.coders.encode(target, text("value")),
                    self.coders.decode(target, text("data")),
                    decodes=target != Primitive("never"),
                )
            case TupleDef():
                self.tuple_def(definition)
            case UnionDef():
                self.union_def(definition)
        self.defined.add(definition.name)

    def tuple_def(self, tup: TupleDef) -> None:
        shapes: list[Doc] = []
        for count in range(tup.required, len(tup.items) + 1):
            items = [self.annotation(item, evaluated=True) for item in tup.items[:count]]
            if tup.rest is not None and count == len(tup.items):
                rest_items = (self.annotation(tup.rest, evaluated=True), text("..."))
                items.append(Seq((text("*tuple"), Group("[", rest_items, "]"))))
            shapes.append(_tuple_annotation(items))
        if len(shapes) == 1:
            self.alias(tup.name, shapes[0], tup.doc)
        else:
            self.union_alias(tup.name, shapes, tup.doc)
        rest = [] if tup.rest is None else [tup.rest]
        encoders = tuple_of(self.coders.encoder(item) for item in tup.items)
        decoders = tuple_of(self.coders.decoder(item) for item in tup.items)
        self.codec_functions(
            tup.name,
            tup.encode,
            tup.decode,
            call(
                "codec.encode_positions",
                text("value"),
                encoders,
                *(self.coders.encoder(r) for r in rest),
            ),
            call(
                "codec.decode_positions",
                text("data"),
                decoders,
                *(self.coders.decoder(r) for r in rest),
            ),
        )

    def union_def(self, union: UnionDef) -> None:
        forward = any(
            isinstance(m.type, Ref) and m.type.name not in self.defined for m in union.members
        )
        if forward:
            # A member defined further down: the whole union is written as a string.
            spelled = " | ".join(self.annotation(m.type).flat for m in union.members)
            self.alias(union.name, text(self.out.literal(spelled)), union.doc)
        else:
            operands = [self.annotation(m.type, evaluated=True) for m in union.members]
            self.union_alias(union.name, operands, union.doc)
        label = self.out.literal(union.name)
        if any(m.classes for m in union.members):
            encoded = call(
                "codec.encode_union", text("value"), text(union.cases), text(f"name={label}")
            )
        else:
            encoded = call("codec.native", text("value"))
        arguments: list[Doc] = [text("data"), text(union.variants), text(f"name={label}")]
        if union.tag is not None:
            arguments.append(text(f"tag={self.out.literal(union.tag)}"))
        self.codec_functions(
            union.name,
            union.encode,
            union.decode,
            encoded,
            call("codec.decode_union", *arguments),
        )

    def union_tables(self, union: UnionDef) -> None:
        out = self.out
        encoded = [m for m in union.members if m.classes]
        if encoded:
            # A datetime is a date too, so its case must come first.
            encoded.sort(key=lambda m: "_dt.datetime" not in m.classes)
            cases = tuple(self._case(m) for m in encoded)
            kind = subscript("Final", subscript("tuple", text("codec.EncodeCase"), text("...")))
            out.add(*self._table(union.cases, kind, cases))
            out.blank(1)
        variants = tuple(self._variant(m) for m in union.members)
        member = subscript("codec.Variant", text(union.name))
        kind = subscript("Final", subscript("tuple", member, text("...")))
        out.add(*self._table(union.variants, kind, variants))
        out.blank(1)

    @staticmethod
    def _table(name: str, annotation: Doc, items: tuple[Doc, ...]) -> list[str]:
        # The annotation is what makes mypy check each item against the union; it is
        # laid out with the tuple as one statement, the way ruff splits it.
        value = Group("(", items, ")", one_tuple=True)
        return join_lines("", Seq((text(f"{name}: "), annotation, text(" = "), value)), indent=0)

    def _case(self, member: UnionMember) -> Doc:
        encoder = self.coders.encoder(member.type)
        names = [_CLASS_SPELLING.get(c, c) for c in member.classes]
        if len(names) == 1:
            return call("codec.case", text(names[0]), encoder)
        return call("codec.EncodeCase", tuple_of(map(text, names)), encoder)

    def _variant(self, member: UnionMember) -> Doc:
        arguments: list[Doc] = [
            self.coders.decoder(member.type),
            tuple_of(text(self.out.literal(k)) for k in member.kinds),
        ]
        if member.tags:
            arguments.append(tuple_of(text(self.out.literal(t)) for t in member.tags))
        if member.matcher is not None:
            arguments.append(text(f"schema=schemas.{member.matcher}"))
        return call("codec.Variant", *arguments)


def render_payloads(model: TypeModel) -> Module:
    """The ``payloads.py`` module."""
    module = Module(MODULE_DOC)
    payloads = _Payloads(model, module)
    if model.definitions:
        module.blank(2)
    public: list[str] = []
    for definition in model.definitions:
        payloads.definition(definition)
        public += [definition.name, definition.encode, definition.decode]
    module.exports = public
    # The union tables refer to functions, so they come after every definition.
    for definition in model.definitions:
        if isinstance(definition, UnionDef):
            payloads.union_tables(definition)
    module.imports.add(*_imports(model))
    return module
