"""What the type builder passes down: how to name a schema, and the basic types."""

from __future__ import annotations

from dataclasses import dataclass

from generator.payloads.model import Nullable, Primitive, TypeExpr
from generator.payloads.naming import class_name
from generator.payloads.shape import At, Facets

__all__ = ["JSON", "NEVER", "NONE", "Hint", "MatcherRequest", "doc_of", "nullable"]

JSON = Primitive("json")
"""Any JSON value."""
NONE = Primitive("none")
"""JSON ``null`` only."""
NEVER = Primitive("never")
"""No value at all (the ``false`` schema)."""


class Hint:
    """How to name a definition made for a schema, and what to say about it.

    Most schemas become no definition, so a child's name is only worked out when it is
    asked for (``candidates``), and then remembered.
    """

    __slots__ = ("_candidates", "_parent", "_texts", "about", "exact", "fixed")

    def __init__(
        self,
        candidates: tuple[str, ...],
        about: str,
        fixed: str | None = None,
        *,
        exact: bool = False,
    ) -> None:
        self._candidates: tuple[str, ...] | None = candidates or None
        self._parent: Hint | None = None
        self._texts: tuple[str, ...] = ()
        self.about = about
        self.fixed = fixed
        """A name claimed in advance for this very schema (a ``$ref`` target's)."""
        self.exact = exact
        """Whether the name must stand for the whole schema (a root's or a target's):
        then a nullable schema's non-null part is named apart (``XValue``), and ``X``
        is ``XValue | None``."""

    @property
    def candidates(self) -> tuple[str, ...]:
        """The names to try, best first."""
        if self._candidates is None:
            assert self._parent is not None
            self._candidates = (class_name(self._parent.base, *self._texts, keep_tail=True),)
        return self._candidates

    @property
    def base(self) -> str:
        """The name children are named after."""
        return self.fixed or self.candidates[0]

    def child(self, *texts: str, about: str) -> Hint:
        """The hint of a schema inside this one, e.g. ``child("address", about=...)``."""
        hint = Hint((), about)
        hint._parent = self
        hint._texts = texts
        return hint

    def of(self, what: str) -> str:
        """A sentence about part of this schema, e.g. ``of("An item of")``."""
        return f"{what} {self.about[:1].lower()}{self.about[1:].rstrip('.')}."

    def without_null(self) -> Hint:
        """The hint of the non-null part of a nullable schema."""
        if not self.exact:
            return self
        return self.child("value", about=f"{self.about.rstrip('.')}, when it is not null.")


@dataclass(frozen=True, slots=True)
class MatcherRequest:
    """A union member whose schema ``schemas.py`` embeds to tell it apart."""

    constant: str
    member: At
    doc: str


def doc_of(facets: Facets, hint: Hint) -> str:
    """A definition's docstring: the schema's title and description, or the hint's."""
    parts = [p for p in (facets.title, facets.description) if p]
    return "\n\n".join(parts) if parts else hint.about


def nullable(expr: TypeExpr) -> TypeExpr:
    """``expr | None`` without doubling up (``JsonValue`` already includes null)."""
    if isinstance(expr, Nullable) or expr in (JSON, NONE):
        return expr
    if expr == NEVER:
        return NONE
    return Nullable(expr)
