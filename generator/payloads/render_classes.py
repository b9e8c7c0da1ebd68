"""Render one payload class: the frozen dataclass, its encoder and its decoder."""

from __future__ import annotations

from generator.emit.layout import (
    Doc,
    Group,
    Seq,
    Text,
    call,
    join_lines,
    text,
    tuple_of,
)
from generator.emit.width import INDENT, LINE_LENGTH
from generator.payloads.hints import NONE
from generator.payloads.model import ClassDef, Field, Nullable
from generator.payloads.statements import Function, Statements, article

__all__ = ["render_class"]

_EXTRA_DOC = "Properties the schema does not name, kept so that nothing is lost."


def _annotation_parts(st: Statements, field: Field) -> tuple[Doc, str]:
    """A field's annotation: its type, then the `` | Unset`` and `` | None`` that follow."""
    # None goes last in a union (ruff's RUF036), so a field that is null or absent is
    # ``Unset | None``, not ``None | Unset``.
    if field.type == NONE and not field.required:
        return text("Unset"), " | None"
    nullable = isinstance(field.type, Nullable)
    base = field.type.inner if isinstance(field.type, Nullable) else field.type
    suffix = ("" if field.required else " | Unset") + (" | None" if nullable else "")
    return st.annotation(base), suffix


def _field_lines(st: Statements, field: Field) -> list[str]:
    base_doc, suffix = _annotation_parts(st, field)
    default = "" if field.required else " = UNSET"
    pad = " " * INDENT
    line = f"{pad}{field.attribute}: {base_doc.flat}{suffix}{default}"
    if len(line) <= LINE_LENGTH:
        return [line]
    head = f"{pad}{field.attribute}: {base_doc.flat}{suffix}"
    if default and len(head) + len(" = (") <= LINE_LENGTH:
        # ruff splits the right-hand side first: the default goes in parentheses.
        return [f"{head} = (", f"{pad * 2}{default.removeprefix(' = ')}", f"{pad})"]
    if suffix or isinstance(base_doc, Text):
        # ruff puts a long union (or a lone name) in parentheses on its own line; the
        # builder keeps annotations short enough for that line to fit.
        return [
            f"{pad}{field.attribute}: (",
            f"{pad * 2}{base_doc.flat}{suffix}",
            f"{pad}){default}",
        ]
    return join_lines(f"{field.attribute}: ", base_doc, default, indent=INDENT)


def _declaration(st: Statements, cls: ClassDef) -> None:
    out = st.out
    out.add("@dataclass(frozen=True, slots=True, kw_only=True)", f"class {cls.name}:")
    out.add(*out.docstring(cls.doc, indent=INDENT))
    if cls.fields or cls.extra:
        out.blank(1)
    for field in cls.fields:
        out.add(*_field_lines(st, field))
        if field.doc:
            out.add(*out.docstring(field.doc, indent=INDENT))
    if cls.extra is not None:
        annotation = Seq(
            (text("dict"), Group("[", (text("str"), st.annotation(cls.extra.value)), "]"))
        )
        default = " = field(default_factory=dict)"
        out.add(*join_lines(f"{cls.extra.attribute}: ", annotation, default, indent=INDENT))
        out.add(*out.docstring(_EXTRA_DOC, indent=INDENT))
    out.blank(2)


def _encoder(st: Statements, cls: ClassDef) -> Function:
    coders = st.coders
    entries: list[Doc] = []
    for field in cls.fields:
        value = text(f"value.{field.attribute}")
        if field.required:
            encoded = coders.encode(field.type, value)
        else:
            encoded = coders.encode_optional(field.type, value)
        entries.append(Seq((text(f"{st.out.literal(field.wire)}: "), encoded)))
    arguments: list[Doc] = [Group("{", tuple(entries), "}")]
    if cls.extra is not None:
        extras: Doc = text(f"value.{cls.extra.attribute}")
        if not coders.json_typed(cls.extra.value):
            extras = call("codec.encode_map", extras, coders.encoder(cls.extra.value))
        arguments.append(extras)
    return Function(
        cls.encode,
        f"value: {cls.name}",
        "JsonValue",
        f"Encode {article(cls.name)} ``{cls.name}`` as its JSON object.",
        call("codec.object_value", *arguments),
    )


def _decoder(st: Statements, cls: ClassDef) -> Function:
    coders = st.coders
    keywords: list[Doc] = []
    for field in cls.fields:
        function = "codec.required" if field.required else "codec.optional"
        wire = text(st.out.literal(field.wire))
        value = call(function, text("obj"), wire, coders.decoder(field.type))
        keywords.append(coders.keyword(field.attribute, value))
    if cls.extra is not None:
        known = tuple_of(text(st.out.literal(w)) for w in cls.extra.known)
        value = call("codec.extra_properties", text("obj"), known, coders.decoder(cls.extra.value))
        keywords.append(coders.keyword(cls.extra.attribute, value))
    # The object is checked even when the class has nothing to read from it.
    setup = ("obj = codec.as_object(data)",) if keywords else ("codec.as_object(data)",)
    return Function(
        cls.decode,
        "data: JsonValue",
        cls.name,
        f"Build {article(cls.name)} ``{cls.name}`` from a JSON object its schema has accepted.",
        call(cls.name, *keywords),
        setup,
    )


def render_class(st: Statements, cls: ClassDef) -> None:
    """Write the dataclass ``cls`` with its encoder and decoder."""
    _declaration(st, cls)
    st.function(_encoder(st, cls))
    st.function(_decoder(st, cls))
