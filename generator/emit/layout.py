"""Lay out Python expressions the way ``ruff format`` leaves them, without running ruff.

Generated code must already be formatted, whatever the length of the names a document
uses. Expressions are built as small documents: ``Text`` (never broken), ``Group`` (a
bracketed list) and ``Seq`` (pieces on one line). A group stays on one line when that
line fits in ``LINE_LENGTH`` columns; otherwise it is exploded one item per line with a
trailing comma. The trailing comma is "magic" to ruff: it keeps the group exploded, so
the output is a fixed point of ``ruff format`` whether or not ruff would have split it
the same way. A group of one item is exploded without a comma, the way ruff explodes
it, except a one-item tuple, whose comma is its meaning, and the parameters of a
``def``, which ruff gives one.

The line up to a group's opening bracket must fit: ruff's choices when it does not
depend on heuristics this module does not copy, so generated code keeps prefixes and
callee names short (document names are cut to ``names.MAX_NAME``).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.emit.width import INDENT, LINE_LENGTH, line_width

__all__ = [
    "Doc",
    "Group",
    "Seq",
    "Text",
    "call",
    "dict_of",
    "join_lines",
    "keyword",
    "lay_out",
    "pair",
    "render",
    "set_of",
    "subscript",
    "text",
    "tuple_of",
]


# Plain slotted classes rather than dataclasses: a large document makes a few hundred
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
        magic_comma: bool | None = None,
        one_tuple: bool = False,
    ) -> None:
        self.open = open
        self.items = items
        self.close = close
        # An exploded group of several items ends with a comma, which keeps it exploded.
        # A single item is exploded without one, as ruff does (``f(\n    {...}\n)``),
        # unless it is a one-item tuple or the parameters of a ``def``.
        self.magic_comma = (len(items) > 1 or one_tuple) if magic_comma is None else magic_comma
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


def _doc(item: Doc | str) -> Doc:
    return Text(item) if isinstance(item, str) else item


def call(function: str, *arguments: Doc | str, **keywords: Doc | str) -> Doc:
    """``function(arg, ..., name=value, ...)``; strings are code that is never broken."""
    items = [_doc(a) for a in arguments] + [keyword(k, v) for k, v in keywords.items()]
    return Seq((Text(function), Group("(", tuple(items), ")")))


def keyword(name: str, value: Doc | str) -> Doc:
    """``name=value``, a keyword argument."""
    return Seq((Text(f"{name}="), _doc(value)))


def pair(key: Doc | str, value: Doc | str) -> Doc:
    """``key: value``, an item of a dict display."""
    return Seq((_doc(key), Text(": "), _doc(value)))


def tuple_of(items: Iterable[Doc | str]) -> Doc:
    """A tuple display ``(a, b)``; one item keeps its comma, ``(a,)``."""
    return Group("(", tuple(map(_doc, items)), ")", one_tuple=True)


def set_of(items: Iterable[Doc | str]) -> Doc:
    """A set display ``{a, b}``."""
    return Group("{", tuple(map(_doc, items)), "}")


def dict_of(pairs: Iterable[tuple[Doc | str, Doc | str]]) -> Doc:
    """A dict display ``{key: value, ...}``."""
    return Group("{", tuple(pair(key, value) for key, value in pairs), "}")


def subscript(base: str, *items: Doc | str) -> Doc:
    """``base[item, ...]``; a single item is never given a trailing comma."""
    return Seq((Text(base), Group("[", tuple(map(_doc, items)), "]")))


def lay_out(doc: Doc, *, indent: int, column: int, tail: int = 0) -> list[str]:
    """Lines of ``doc`` starting at ``column`` and followed by ``tail`` more columns.

    The first line is meant to follow what is already written at ``column``; later
    lines carry their own indentation, based on ``indent``.
    """
    if column + line_width(doc.flat) + tail <= LINE_LENGTH or isinstance(doc, Text):
        return [doc.flat]
    if isinstance(doc, Group):
        return _exploded(doc, indent=indent)
    return _sequence(doc, indent=indent, column=column, tail=tail)


def _exploded(group: Group, *, indent: int) -> list[str]:
    # What follows the closing bracket sits on the closing line, so it does not count.
    if not group.items:
        return [group.flat]
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
            rest += line_width(later.flat)
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


def render(doc: Doc, indent: int = 0, prefix: str = "", suffix: str = "") -> str:
    """``doc`` as text that follows ``prefix`` on a line indented by ``indent``.

    For templates, which write the indentation, the prefix and the suffix themselves.
    """
    lines = lay_out(doc, indent=indent, column=indent + len(prefix), tail=len(suffix))
    return "\n".join(lines)
