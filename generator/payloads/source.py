"""A generated module's text: header, lint exemptions it needs, imports and body.

Lint exemptions are added only when the module needs them (ruff reports an exemption
that is not needed): E501 when spec text makes a line long, S104/S108 when spec text
happens to look like a bind-all address or a temporary path.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.payloads.layout import overlong
from generator.payloads.literals import docstring, python_scalar
from generator.payloads.naming import sort_all

__all__ = ["SourceText", "all_lines"]

_TEMPORARY_PATHS = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108 -- ruff's S108 prefixes


class SourceText:
    """Collects a module's lines and the string values it contains."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.strings: list[str] = []

    def literal(self, value: str | int | bool) -> str:
        """Python source of ``value``, recorded for the lint exemptions."""
        if isinstance(value, str):
            self.strings.append(value)
        return python_scalar(value)

    def docstring(self, text: str, *, indent: int) -> list[str]:
        """Lines of a docstring, recorded for the lint exemptions."""
        lines, value = docstring(text, indent=indent)
        self.strings.append(value)
        return lines

    def add(self, *lines: str) -> None:
        """Append lines."""
        self.lines.extend(lines)

    def blank(self, count: int) -> None:
        """Separate what follows by ``count`` blank lines."""
        self.lines.extend([""] * count)

    def exemptions(self) -> list[str]:
        """The ruff rules this module's spec text trips, sorted."""
        codes = []
        if overlong(self.lines):
            codes.append("E501")
        if "0.0.0.0" in self.strings:  # noqa: S104 -- the value ruff's S104 looks for
            codes.append("S104")
        if any(s.startswith(_TEMPORARY_PATHS) for s in self.strings):
            codes.append("S108")
        return codes

    def render(self, module_doc: str, imports: list[str]) -> str:
        """The module: exemptions, docstring, imports, then the collected lines.

        The package renderer puts the generated-file header (which also marks the file
        as ours to replace) above this.
        """
        head: list[str] = []
        doc = self.docstring(module_doc, indent=0)
        codes = self.exemptions()
        if codes:
            head.append("# Spec text is copied as it is: its lines can be long, its values odd.")
            head.append(f"# ruff: noqa: {', '.join(codes)}")
        lines = [*head, *doc, "", *imports, *self.lines]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"


def all_lines(names: Iterable[str]) -> list[str]:
    """``__all__`` in ruff's sort order, one name per line."""
    ordered = sort_all(names)
    if not ordered:
        return ["__all__: list[str] = []"]
    return ["__all__ = [", *(f'    "{name}",' for name in ordered), "]"]
