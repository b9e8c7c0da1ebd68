"""The frame of every generated module: header, lint exemptions, docstring, imports, ``__all__``.

A ``Module`` collects what frames the code: the imports it needs, the names it exports,
and every string value its literals hold. ``render`` puts the frame around the body,
the same way for each module whether a template or Python wrote the body. Lint
exemptions are added only when the module needs them (ruff reports an exemption that
is not needed): E501 when document text makes a line long, S104/S108 when document
text happens to look like a bind-all address or a temporary path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.emit.imports import Imports, sort_all
from generator.emit.literals import docstring, scalar
from generator.emit.width import LINE_LENGTH, overlong

__all__ = ["Module", "all_lines"]

_TEMPORARY_PATHS = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108 -- ruff's S108 prefixes


class Module:
    """One generated module's frame, and the string values its literals hold."""

    def __init__(
        self,
        doc: str,
        *,
        exports: Iterable[str] | None = (),
        packages: frozenset[str] = frozenset({"amqp_events"}),
        preamble: Sequence[str] = (),
    ) -> None:
        self.doc = doc
        self.imports = Imports(packages=packages)
        self.exports: list[str] | None = None if exports is None else list(exports)
        """The names ``__all__`` lists; None writes no ``__all__`` (user code, the scaffold)."""
        self.preamble = list(preamble)
        """Lines between the docstring and the imports: a comment, or a check that must
        run before anything is imported."""
        self.strings: list[str] = []
        self.lines: list[str] = []
        """The body, which follows the ``__all__`` line and starts with the blank lines
        that separate it (two before a class or function)."""

    def add(self, *lines: str) -> None:
        """Append lines to the body."""
        self.lines.extend(lines)

    def blank(self, count: int) -> None:
        """Separate what follows by ``count`` blank lines."""
        self.lines.extend([""] * count)

    def literal(self, value: str | float | bool | None) -> str:
        """Python source of a JSON scalar, its string recorded for the lint exemptions."""
        if isinstance(value, str):
            self.strings.append(value)
        return scalar(value)

    def docstring(self, text: str, *, indent: int) -> list[str]:
        """Lines of a docstring, its text recorded for the lint exemptions."""
        lines, value = docstring(text, indent=indent)
        self.strings.append(value)
        return lines

    def exemptions(self, lines: Iterable[str], strings: Iterable[str] = ()) -> list[str]:
        """The ruff rules the module's text trips, sorted: its lines and string values."""
        values = [*self.strings, *strings]
        codes = []
        # A character is at most two columns wide, so only longer lines need measuring.
        if any(len(line) * 2 > LINE_LENGTH and overlong(line) for line in lines):
            codes.append("E501")
        if "0.0.0.0" in values:  # noqa: S104 -- the value ruff's S104 looks for
            codes.append("S104")
        if any(s.startswith(_TEMPORARY_PATHS) for s in values):
            codes.append("S108")
        return codes

    def render(self, *, header: Sequence[str] = ()) -> str:
        """The module: header, exemptions, docstring, imports, ``__all__``, then the body."""
        doc, value = docstring(self.doc, indent=0)
        frame = [*doc, "", *self.preamble]
        imports = self.imports.render()
        if imports:
            frame.append(imports)
        if self.exports is not None:
            frame.extend(["", *all_lines(self.exports)] if imports else all_lines(self.exports))
        text = "\n".join([*frame, *self.lines]).rstrip("\n") + "\n"
        codes = self.exemptions(text.split("\n"), [value])
        head = list(header)
        if codes:
            head.append("# Spec text is copied as it is: its lines can be long, its values odd.")
            head.append(f"# ruff: noqa: {', '.join(codes)}")
        return "\n".join([*head, text])

    @property
    def reserved(self) -> frozenset[str]:
        """Names the frame binds (its imports), which the module's own names must not take."""
        return self.imports.bound


def all_lines(names: Iterable[str]) -> list[str]:
    """``__all__`` in ruff's sort order, one name per line."""
    ordered = sort_all(names)
    if not ordered:
        return ["__all__: list[str] = []"]
    return ["__all__ = [", *(f'    "{name}",' for name in ordered), "]"]
