"""Render ``schemas.py``: the normalized schemas the runtime validates payloads with."""

from __future__ import annotations

from collections.abc import Mapping

from generator.emit.imports import Import
from generator.emit.layout import Doc, Group, Seq, join_lines, text
from generator.emit.literals import json_text
from generator.emit.module import Module
from generator.emit.width import INDENT
from generator.payloads.embedding import DRAFT_7
from generator.payloads.model import TypeModel
from generator.payloads.normalize import definition_ref

__all__ = ["IMPORTS", "render_schemas"]

MODULE_DOC = """JSON Schemas (draft 7) of the payloads, as the runtime validates them.

Each public constant is self-contained: its ``$ref`` points into its own
``definitions``. Definitions are shared between constants; treat them as read-only.
"""

IMPORTS: Mapping[str, Import] = {
    "typing": Import("typing", ("Any", "Final")),
    "amqp_events": Import("amqp_events", ("JsonValue", "codec")),
}
"""Every import ``schemas.py`` may have; the names they bind are never given to a constant."""


def render_schemas(model: TypeModel) -> Module:
    """The ``schemas.py`` module."""
    out = Module(MODULE_DOC)
    if model.schema_definitions:
        out.blank(2)
        out.imports.add(*IMPORTS.values())
    for definition in model.schema_definitions:
        out.add(
            f"{definition.constant}: Final[JsonValue] = codec.load_json(",
            *json_text(definition.schema, indent=INDENT),
            ")",
        )
        out.blank(1)
    constants = {d.name: d.constant for d in model.schema_definitions}
    for constant in model.schema_constants:
        entries: list[Doc] = [
            Seq((text(f"{out.literal(name)}: "), text(constants[name])))
            for name in constant.definitions
        ]
        value = Group(
            "{",
            (
                Seq((text('"$schema": '), text(out.literal(DRAFT_7)))),
                Seq((text('"$ref": '), text(out.literal(definition_ref(constant.target))))),
                Seq((text('"definitions": '), Group("{", tuple(entries), "}"))),
            ),
            "}",
        )
        out.add(*join_lines(f"{constant.constant}: Final[dict[str, Any]] = ", value, indent=0))
        out.add(*out.docstring(constant.doc, indent=0))
        out.blank(1)
    public = [c.constant for c in model.schema_constants if not c.constant.startswith("_")]
    out.exports = _root_constants(model) or public
    return out


def _root_constants(model: TypeModel) -> list[str]:
    return [root.schema for root in model.roots]
