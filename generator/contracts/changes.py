"""What one difference between two schemas does to the values they accept.

A JSON Schema is a conjunction of keyword assertions, so two schemas can be compared
keyword by keyword: when no keyword of the new schema accepts a value its old
counterpart refuses, the new schema accepts nothing the old one refuses. Each
difference is a ``SchemaChange`` with its ``Effect`` on the set of accepted values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.schema_graph import JsonSchema, SchemaKey

__all__ = ["FLIP", "IDENTITY", "Context", "Effect", "SchemaChange", "Step", "apply", "compose"]

Effect = Literal["wider", "narrower", "both", "unknown", "info"]
"""``wider``: the new schema accepts some value the old one refuses; ``narrower``: the old
one accepts some value the new one refuses; ``both``; ``unknown``: cannot tell (a changed
``pattern``); ``info``: no value is accepted or refused differently."""

Step = tuple[Literal["property", "item", "extra", "name"], str]
"""One step from a value into a part of it: a property, an item, a property no schema
names (``extra``), or a property's name (``name``)."""

Context = tuple[Effect, Effect]
"""What a ``narrower`` and a ``wider`` change below become at the place compared.

Below ``not`` the two swap; below a member of a ``oneOf`` whose members may overlap, a
wider member can also make a value match two members, which ``oneOf`` refuses.
"""

IDENTITY: Context = ("narrower", "wider")
FLIP: Context = ("wider", "narrower")
EXCLUSIVE: Context = ("narrower", "both")


def apply(context: Context, effect: Effect) -> Effect:
    """The effect of a change below, seen from the place ``context`` belongs to."""
    if effect == "narrower":
        return context[0]
    if effect == "wider":
        return context[1]
    return effect


def compose(outer: Context, inner: Context) -> Context:
    """The context of a place ``inner`` below a place whose context is ``outer``."""
    return (apply(outer, inner[0]), apply(outer, inner[1]))


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One difference between two schemas, at its innermost place."""

    effect: Effect
    kind: str
    """What differs: ``type``, ``values``, ``lower``, ``property-added``, ... (the
    witness search builds its candidate values from it)."""
    message: str
    """The difference as a sentence without its final period."""
    old: SchemaKey | None
    """Where the old schema says it (None when it says nothing there)."""
    new: SchemaKey | None
    path: tuple[Step, ...] = ()
    """Where in a value the difference applies, from the compared schemas' root."""
    old_schema: JsonSchema = True
    """The old subschema at the place (for witnesses)."""
    new_schema: JsonSchema = True
    values: tuple[object, ...] = ()
    """The values the change concerns: added enum values, bounds, a property's name."""

    def below(self, path: tuple[Step, ...]) -> SchemaChange:
        """The same change, reached through ``path`` from a root further up."""
        if not path:
            return self
        return SchemaChange(
            self.effect,
            self.kind,
            self.message,
            self.old,
            self.new,
            path + self.path,
            self.old_schema,
            self.new_schema,
            self.values,
        )
