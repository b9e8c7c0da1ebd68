"""How a difference between two schemas is said: over time, or between two services.

``diff`` compares an old and a new version ("the minimum changes from 1 to 0");
``contracts`` compares a producer's schema (in the place of the new one) with a
consumer's (the old one): "the minimum is 0 for orders and 1 for billing".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["OVER_TIME", "Wording", "between", "shown"]


def shown(value: object) -> str:
    """A JSON value as it is written in a sentence, compact and bounded."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True, slots=True)
class Wording:
    """The names of the two schemas; ``old`` None means two versions of one document."""

    old: str | None = None
    new: str | None = None

    def changes(self, what: str, old: str, new: str) -> str:
        """``what`` differs: ``old`` in the old schema, ``new`` in the new one."""
        if self.old is None:
            return f"{what} changes from {old} to {new}"
        return f"{what} is {new} for {self.new} but {old} for {self.old}"

    def only(self, thing: str, *, in_new: bool) -> str:
        """``thing`` is in one of the two schemas only."""
        if self.old is None:
            return f"{thing} is {'added' if in_new else 'removed'}"
        return f"only {self.new if in_new else self.old} has {thing}"

    def required(self, name: str, *, in_new: bool) -> str:
        """The property ``name`` is required by one of the two schemas only."""
        if self.old is None:
            return f"the property {name!r} {'becomes' if in_new else 'is no longer'} required"
        first, second = (self.new, self.old) if in_new else (self.old, self.new)
        return f"the property {name!r} is required by {first} but not by {second}"

    def values(self, listed: str, *, plural: bool, in_new: bool) -> str:
        """The values ``listed`` are allowed by one of the two schemas only."""
        verb = "are" if plural else "is"
        if self.old is None:
            return f"{listed} {verb} {'added to' if in_new else 'removed from'} the allowed values"
        return f"{listed} {verb} allowed by {self.new if in_new else self.old} only"

    def side(self, *, new: bool) -> str:
        """The name of one schema in a sentence."""
        if self.old is None:
            return "the new schema" if new else "the old schema"
        return str(self.new if new else self.old)


OVER_TIME = Wording()


def between(producer: str, consumer: str) -> Wording:
    """The wording of a producer's schema (new) against a consumer's (old)."""
    return Wording(old=consumer, new=producer)
