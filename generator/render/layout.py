"""Lay out Python expressions the way ``ruff format`` leaves them, without running ruff.

Generated code must pass ``ruff format --check`` whatever the length of the names a
document uses. Two layouts are fixed points of the formatter: the whole expression on
one line when it fits, and brackets exploded one item per line with a trailing comma
(the "magic trailing comma" keeps that layout). ``render`` picks the first when it fits
and the second otherwise, recursively. A tuple of one item has no magic comma, and is
only exploded when it does not fit, as ruff does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.render.literals import LINE_LENGTH, line_width

__all__ = [
    "Atom",
    "Brackets",
    "Expr",
    "Keyword",
    "Pair",
    "atom",
    "brackets",
    "call",
    "flat",
    "render",
]


@dataclass(frozen=True, slots=True)
class Atom:
    """Source text that is never split (a name, a literal, a short fixed expression)."""

    text: str


@dataclass(frozen=True, slots=True)
class Keyword:
    """``name=value`` inside a call."""

    name: str
    value: Expr


@dataclass(frozen=True, slots=True)
class Pair:
    """``key: value`` inside a dict display."""

    key: Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class Brackets:
    """Items between brackets: a tuple, list, set, dict, subscript or argument list."""

    head: str
    """What comes before the opening bracket: a callee, a subscripted name, or nothing."""
    open: str
    close: str
    items: tuple[Expr, ...]
    one_tuple: bool = False
    """A parenthesized tuple of one item, written ``(x,)``."""


Expr = Atom | Keyword | Pair | Brackets


def atom(text: str) -> Atom:
    """Wrap source text that must not be split."""
    return Atom(text)


def call(head: str, *args: Expr | str, **kwargs: Expr | str) -> Brackets:
    """``head(args..., name=value...)``; strings are atoms."""
    items: list[Expr] = [Atom(a) if isinstance(a, str) else a for a in args]
    items += [Keyword(k, Atom(v) if isinstance(v, str) else v) for k, v in kwargs.items()]
    return Brackets(head, "(", ")", tuple(items))


def brackets(head: str, open_: str, close: str, items: Sequence[Expr | str]) -> Brackets:
    """Any bracketed list of items; strings are atoms."""
    exprs = tuple(Atom(i) if isinstance(i, str) else i for i in items)
    return Brackets(
        head, open_, close, exprs, one_tuple=(open_ == "(" and not head and len(exprs) == 1)
    )


def flat(expr: Expr) -> str:
    """The expression on one line."""
    if isinstance(expr, Atom):
        return expr.text
    if isinstance(expr, Keyword):
        return f"{expr.name}={flat(expr.value)}"
    if isinstance(expr, Pair):
        return f"{flat(expr.key)}: {flat(expr.value)}"
    inner = ", ".join(flat(item) for item in expr.items)
    if expr.one_tuple:
        inner += ","
    return f"{expr.head}{expr.open}{inner}{expr.close}"


def _fits(text: str, column: int, suffix: str) -> bool:
    return "\n" not in text and column + line_width(text) + len(suffix) <= LINE_LENGTH


def render(expr: Expr, indent: int, *, prefix: str = "", suffix: str = "") -> str:
    """Lay out ``expr`` that starts after ``prefix`` on a line indented by ``indent``.

    The line up to the first opening bracket must fit: ruff's choices when it does not
    depend on heuristics this module does not copy, so generated code keeps prefixes
    and callee names short (document names are cut to ``names.MAX_NAME``).
    """
    one_line = flat(expr)
    if _fits(one_line, indent + len(prefix), suffix) or isinstance(expr, Atom):
        return one_line
    if isinstance(expr, Keyword):
        start = f"{expr.name}="
        return start + render(expr.value, indent, prefix=prefix + start, suffix=suffix)
    if isinstance(expr, Pair):
        key = flat(expr.key) + ": "
        return key + render(expr.value, indent, prefix=prefix + key, suffix=suffix)
    if not expr.items:
        return one_line
    pad = " " * (indent + 4)
    lines = [pad + render(item, indent + 4, suffix=",") + "," for item in expr.items]
    return f"{expr.head}{expr.open}\n" + "\n".join(lines) + f"\n{' ' * indent}{expr.close}"
