"""Top-level statements of ``payloads.py``: functions and type aliases."""

from __future__ import annotations

from dataclasses import dataclass

from generator.emit.layout import Doc, Group, join_lines, text
from generator.emit.module import Module
from generator.emit.width import INDENT, LINE_LENGTH
from generator.payloads.annotations import type_doc
from generator.payloads.coders import Coders
from generator.payloads.model import TypeExpr, TypeModel

__all__ = ["Function", "Statements", "article"]


def article(name: str) -> str:
    """``a`` or ``an`` before ``name``."""
    return "an" if name[:1] in "AEIOU" else "a"


@dataclass(frozen=True, slots=True)
class Function:
    """A one-parameter function that returns one expression after some setup lines."""

    name: str
    parameter: str
    returns: str
    doc: str
    result: Doc
    setup: tuple[str, ...] = ()
    returns_value: bool = True
    """False when ``result`` never returns (it raises), as for the ``false`` schema."""


class Statements:
    """Writes statements into a module, remembering which names are defined so far."""

    def __init__(self, model: TypeModel, out: Module) -> None:
        self.out = out
        self.coders = Coders(dict(model.by_name), self.out.literal)
        self.defined: set[str] = set()

    def annotation(self, expr: TypeExpr, *, evaluated: bool = False) -> Doc:
        """The annotation of ``expr``; in ``evaluated`` code, later names are quoted."""
        # Class annotations are lazy (``from __future__ import annotations``); an alias's
        # value runs when the module is imported, so names defined below it are quoted.
        return type_doc(expr, forward=lambda name: evaluated and name not in self.defined)

    def function(self, function: Function) -> None:
        """Write ``function`` followed by two blank lines."""
        out = self.out
        # ruff ends exploded parameters with a comma, even a single one.
        parameters = Group("(", (text(function.parameter),), ")", magic_comma=True)
        out.add(
            *join_lines(f"def {function.name}", parameters, f" -> {function.returns}:", indent=0)
        )
        out.add(*out.docstring(function.doc, indent=INDENT))
        out.add(*(" " * INDENT + line for line in function.setup))
        keyword = "return " if function.returns_value else ""
        out.add(*join_lines(keyword, function.result, indent=INDENT))
        out.blank(2)

    def codec_functions(
        self,
        name: str,
        encode: str,
        decode: str,
        encoded: Doc,
        decoded: Doc,
        *,
        decodes: bool = True,
    ) -> None:
        """Write the encoder and the decoder of the alias ``name``.

        ``decodes`` is false for a type without values, whose decoder only raises.
        """
        self.function(
            Function(
                encode,
                f"value: {name}",
                "JsonValue",
                f"Encode {article(name)} ``{name}`` as JSON.",
                encoded,
            )
        )
        self.function(
            Function(
                decode,
                "data: JsonValue",
                name,
                f"Build {article(name)} ``{name}`` from JSON its schema has accepted.",
                decoded,
                returns_value=decodes,
            )
        )

    def alias(self, name: str, value: Doc, doc: str) -> None:
        """Write ``name: TypeAlias = value`` with its docstring."""
        self.out.add(*join_lines(f"{name}: TypeAlias = ", value, indent=0))
        self.out.add(*self.out.docstring(doc, indent=0))
        self.out.blank(2)

    def union_alias(self, name: str, operands: list[Doc], doc: str) -> None:
        """Write ``name: TypeAlias = a | b | ...`` laid out as ruff lays out unions."""
        flat = " | ".join(o.flat for o in operands)
        head = f"{name}: TypeAlias = "
        pad = " " * INDENT
        if len(head) + len(flat) <= LINE_LENGTH:
            lines = [head + flat]
        elif len(pad) + len(flat) <= LINE_LENGTH:
            # ruff puts a long union in parentheses, on one line if it fits there ...
            lines = [head + "(", pad + flat, ")"]
        else:
            # ... and otherwise one operand per line (a long tuple shape exploded).
            lines = [head + "("]
            for index, operand in enumerate(operands):
                lead = pad if index == 0 else pad + "| "
                lines += join_lines(lead.lstrip(), operand, indent=INDENT)
            lines.append(")")
        self.out.add(*lines, *self.out.docstring(doc, indent=0))
        self.out.blank(2)
