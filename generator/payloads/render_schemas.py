"""Render ``schemas.py``: the normalized schemas the runtime validates payloads with."""

from __future__ import annotations

from generator.payloads.embedding import DRAFT_7
from generator.payloads.layout import Doc, Group, Seq, join_lines, text
from generator.payloads.literals import json_text
from generator.payloads.model import TypeModel
from generator.payloads.normalize import definition_ref
from generator.payloads.source import SourceText, all_lines

__all__ = ["render_schemas"]

MODULE_DOC = """JSON Schemas (draft 7) of the payloads, as the runtime validates them.

Each public constant is self-contained: its ``$ref`` points into its own
``definitions``. Definitions are shared between constants; treat them as read-only.
"""

_INDENT = 4


def render_schemas(model: TypeModel) -> str:
    """The source of ``schemas.py``."""
    out = SourceText()
    for definition in model.schema_definitions:
        out.add(
            f"{definition.constant}: Final[JsonValue] = codec.load_json(",
            *json_text(definition.schema, indent=_INDENT),
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
    imports = ["from __future__ import annotations", ""]
    if model.schema_definitions:
        imports += [
            "from typing import Any, Final",
            "",
            "from amqp_events import codec",
            "from amqp_events.wire import JsonValue",
            "",
        ]
    imports += [*all_lines(_root_constants(model) or public), ""]
    if model.schema_definitions:
        imports.append("")
    return out.render(MODULE_DOC, imports)


def _root_constants(model: TypeModel) -> list[str]:
    return [root.schema for root in model.roots]
