"""Render ``examples.py``: the spec's examples and a check that each round-trips."""

from __future__ import annotations

from collections.abc import Mapping

from generator.emit.imports import Import
from generator.emit.layout import Doc, call, join_lines, text
from generator.emit.literals import json_text
from generator.emit.module import Module
from generator.emit.width import INDENT
from generator.payloads.model import TypeModel

__all__ = ["DEFINED", "IMPORTS", "render_examples"]

MODULE_DOC = (
    """The AsyncAPI document's examples of each payload, and a check that they round-trip."""
)

ROUNDTRIP_DOC = """Validate, decode and re-encode every example; describe each one that changes.

An example passes when it satisfies its schema and encoding what decoding made of it
gives the same JSON text again: every string exactly as written (a decoded
``date-time``, ``time`` or ``uuid`` keeps its string, so ``2024-01-01T00:00:00.000Z``
stays so), numbers by value (``12 == 12.0``, but ``true`` is not ``1``) and objects
regardless of key order. An empty list means every example passed.
"""


IMPORTS: Mapping[str, Import] = {
    "typing": Import("typing", ("Final",)),
    "amqp_events": Import("amqp_events", ("JsonValue", "codec")),
    "siblings": Import(".", ("payloads", "schemas")),
}
"""Every import ``examples.py`` may have; the names they bind are never given to a constant."""

_ROUNDTRIP = "roundtrip_examples"
DEFINED = (_ROUNDTRIP,)
"""The names ``examples.py`` defines whatever the document says."""


def render_examples(model: TypeModel) -> Module:
    """The ``examples.py`` module."""
    out = Module(MODULE_DOC)
    out.blank(2)
    checks: list[Doc] = []
    for root in model.roots:
        if root.examples_constant is None:
            continue
        out.add(
            f"{root.examples_constant}: Final[tuple[JsonValue, ...]] = codec.load_examples(",
            *json_text(list(root.examples), indent=INDENT),
            ")",
        )
        out.add(*out.docstring(f"Examples of ``{root.label}`` from the document.", indent=0))
        out.blank(1)
        checks.append(
            call(
                "codec.roundtrip",
                text(out.literal(root.label)),
                text(root.examples_constant),
                text(f"schemas.{root.schema}"),
                text(f"payloads.{root.decode}"),
                text(f"payloads.{root.encode}"),
            )
        )
    if checks:
        out.blank(1)
    out.add(f"def {_ROUNDTRIP}() -> list[str]:")
    out.add(*out.docstring(ROUNDTRIP_DOC, indent=INDENT))
    if len(checks) == 1:
        out.add(*join_lines("return ", checks[0], indent=INDENT))
    elif checks:
        out.add(*join_lines("problems = ", checks[0], indent=INDENT))
        for check in checks[1:]:
            out.add(*join_lines("problems += ", check, indent=INDENT))
        out.add(f"{' ' * INDENT}return problems")
    else:
        out.add(f"{' ' * INDENT}return []")
    public = [r.examples_constant for r in model.roots if r.examples_constant]
    if checks:
        out.imports.add(*IMPORTS.values())
    out.exports = [*public, *DEFINED]
    return out
