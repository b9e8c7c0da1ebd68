"""Python type expressions for the model's types, as layout documents."""

from __future__ import annotations

from collections.abc import Callable

from generator.emit.layout import Doc, Seq, subscript, text
from generator.emit.literals import scalar
from generator.payloads.model import ListOf, LiteralOf, MapOf, Nullable, Primitive, TypeExpr

__all__ = ["PRIMITIVES", "annotation", "type_doc"]

PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "none": "None",
    "json": "JsonValue",
    "datetime": "_dt.datetime",
    "date": "_dt.date",
    "time": "_dt.time",
    "uuid": "UUID",
    "never": "Never",
}
"""How each primitive is spelled in generated code."""


def _never_forward(name: str) -> bool:
    del name
    return False


def type_doc(expr: TypeExpr, *, forward: Callable[[str], bool] = _never_forward) -> Doc:
    """The annotation of ``expr``; names for which ``forward`` is true are quoted."""
    if isinstance(expr, Primitive):
        return text(PRIMITIVES[expr.name])
    if isinstance(expr, LiteralOf):
        return subscript("Literal", *(text(scalar(v)) for v in expr.values))
    if isinstance(expr, ListOf):
        return subscript("list", type_doc(expr.item, forward=forward))
    if isinstance(expr, MapOf):
        return subscript("dict", text("str"), type_doc(expr.value, forward=forward))
    if isinstance(expr, Nullable):
        return Seq((type_doc(expr.inner, forward=forward), text(" | None")))
    return text(f'"{expr.name}"' if forward(expr.name) else expr.name)


def annotation(expr: TypeExpr) -> str:
    """The annotation of ``expr`` on one line."""
    return type_doc(expr).flat
