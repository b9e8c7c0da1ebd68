"""Lay out Python expressions the way ``ruff format`` would leave them.

Generated code must already be formatted, without running a formatter. Expressions are
built as small documents: ``Text`` (never broken), ``Group`` (a bracketed list) and
``Seq`` (pieces on one line). A group stays on one line when that line fits in
``WIDTH`` columns; otherwise it is exploded one item per line with a trailing comma.
The trailing comma is "magic" to ruff: it keeps the group exploded, so the output is a
fixed point of ``ruff format`` whether or not ruff would have split it the same way.
The one exception is a subscript with a single item (``list[X]``), where a comma
would change the meaning; ruff breaks those without a comma, and so does this module.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "INDENT",
    "WIDTH",
    "Doc",
    "Group",
    "Seq",
    "Text",
    "call",
    "fits",
    "join_lines",
    "lay_out",
    "overlong",
    "subscript",
    "text",
    "tuple_of",
]

WIDTH = 100
"""Line length of the project's ruff configuration."""

INDENT = 4
"""Spaces per indentation level."""


# Plain slotted classes rather than dataclasses: a large spec makes a few hundred
# thousand of them, and they are never changed after construction.


class Text:
    """An unbreakable piece of code."""

    __slots__ = ("flat",)
    flat: str

    def __init__(self, value: str) -> None:
        self.flat = value


class Group:
    """``open item, item close``; exploded one item per line when it does not fit."""

    __slots__ = ("close", "flat", "items", "magic_comma", "open")
    flat: str

    def __init__(
        self,
        open: str,
        items: tuple[Doc, ...],
        close: str,
        *,
        magic_comma: bool = True,
        one_tuple: bool = False,
    ) -> None:
        self.open = open
        self.items = items
        self.close = close
        # An exploded group ends with a comma unless it is a one-item subscript.
        self.magic_comma = magic_comma
        # A one-item tuple keeps its comma on one line too: ``(x,)``.
        comma = "," if one_tuple and len(items) == 1 else ""
        self.flat = f"{open}{', '.join(item.flat for item in items)}{comma}{close}"


class Seq:
    """Pieces written one after the other on the same line."""

    __slots__ = ("flat", "parts")
    flat: str

    def __init__(self, parts: tuple[Doc, ...]) -> None:
        self.parts = parts
        self.flat = "".join(part.flat for part in parts)


Doc = Text | Group | Seq


def text(value: str) -> Text:
    """An unbreakable piece of code."""
    return Text(value)


def call(function: str, *arguments: Doc) -> Doc:
    """``function(arg, ...)``."""
    return Seq((Text(function), Group("(", arguments, ")")))


def tuple_of(*items: Doc) -> Doc:
    """A tuple display ``(a, b)``; one item keeps its comma, ``(a,)``."""
    return Group("(", items, ")", one_tuple=True)


def subscript(base: str, *items: Doc) -> Doc:
    """``base[item, ...]``; a single item is never given a trailing comma."""
    return Seq((Text(base), Group("[", items, "]", magic_comma=len(items) > 1)))


def fits(line: str) -> bool:
    """Tell whether a line fits in ``WIDTH`` columns (generated lines are ASCII)."""
    return len(line) <= WIDTH


def lay_out(doc: Doc, *, indent: int, column: int, tail: int = 0) -> list[str]:
    """Lines of ``doc`` starting at ``column`` and followed by ``tail`` more columns.

    The first line is meant to follow what is already written at ``column``; later
    lines carry their own indentation, based on ``indent``.
    """
    if column + len(doc.flat) + tail <= WIDTH or isinstance(doc, Text):
        return [doc.flat]
    if isinstance(doc, Group):
        return _exploded(doc, indent=indent, tail=tail)
    return _sequence(doc, indent=indent, column=column, tail=tail)


def _exploded(group: Group, *, indent: int, tail: int) -> list[str]:
    del tail  # what follows the closing bracket sits on the closing line
    lines = [group.open]
    inner = indent + INDENT
    for number, item in enumerate(group.items, start=1):
        comma = "," if group.magic_comma or number < len(group.items) else ""
        item_lines = lay_out(item, indent=inner, column=inner, tail=len(comma))
        item_lines[0] = " " * inner + item_lines[0]
        item_lines[-1] += comma
        lines.extend(item_lines)
    lines.append(" " * indent + group.close)
    return lines


def _sequence(seq: Seq, *, indent: int, column: int, tail: int) -> list[str]:
    # A group decides against what follows it up to the next place a line may break
    # (the next group's opening bracket), as ruff's printer measures it.
    lines = [""]
    parts = seq.parts
    for index, part in enumerate(parts):
        rest = 0
        for later in parts[index + 1 :]:
            if isinstance(later, Group):
                rest += len(later.open)
                break
            rest += len(later.flat)
        else:
            rest += tail
        start = column if len(lines) == 1 else 0
        part_lines = lay_out(part, indent=indent, column=start + len(lines[-1]), tail=rest)
        lines[-1] += part_lines[0]
        lines.extend(part_lines[1:])
    return lines


def join_lines(prefix: str, doc: Doc, suffix: str = "", *, indent: int) -> list[str]:
    """Lay out ``prefix + doc + suffix`` as a statement at ``indent``."""
    lines = lay_out(doc, indent=indent, column=indent + len(prefix), tail=len(suffix))
    lines[0] = " " * indent + prefix + lines[0]
    lines[-1] += suffix
    return lines


def overlong(lines: Sequence[str]) -> bool:
    """Tell whether ruff's E501 would report one of ``lines`` (long, and splittable).

    Mirrors ruff's rule: a line longer than ``WIDTH`` is exempt when it is a single
    word, or when it ends with a URL that starts within the limit.
    """
    for line in lines:
        if len(line) <= WIDTH:
            continue
        chunks = line.split()
        if len(chunks) < 2:
            continue
        last = chunks[-1]
        if "://" in last and len(line) - len(last) <= WIDTH:
            continue
        return True
    return False
