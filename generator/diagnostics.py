"""Problems found in a document, as values: level, place (file, line, JSON pointer), sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagnostic", "Level", "Location", "errors_in", "render_all"]

Level = Literal["error", "warning"]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a document: the file as given, a JSON pointer, and the line when known."""

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def child(self, *tokens: str | int) -> Location:
        """The location of a value below this one (line unknown until looked up)."""
        suffix = "".join(f"/{escape_pointer_token(t)}" for t in tokens)
        return Location(self.file, self.pointer + suffix)

    @property
    def place(self) -> str:
        """``file:line:col``, as far as they are known."""
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def render_as(self, level: str, message: str) -> str:
        """A line ``file:line:col: level: message (#/pointer)`` about this place."""
        pointer = f" (#{self.pointer})" if self.pointer else ""
        return f"{self.place}: {level}: {message}{pointer}"

    def __str__(self) -> str:
        return f"{self.place} (#{self.pointer})" if self.pointer else self.place


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: an error stops generation, a warning does not."""

    level: Level
    location: Location
    message: str

    def render(self) -> str:
        """Format as ``file:line:col: level: message (#/pointer)``."""
        return self.location.render_as(self.level, self.message)


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return the diagnostics of level error."""
    return [d for d in diagnostics if d.level == "error"]


def _document_order(diagnostic: Diagnostic) -> tuple[bool, str, int, int, str]:
    # Location compares the pointer before the line; document order is by line.
    place = diagnostic.location
    return (
        diagnostic.level != "error",
        place.file,
        place.line or 0,
        place.column or 0,
        place.pointer,
    )


def render_all(diagnostics: Iterable[Diagnostic]) -> str:
    """Render diagnostics one per line, errors first, then in document order."""
    ordered = sorted(diagnostics, key=_document_order)
    return "\n".join(d.render() for d in ordered)
