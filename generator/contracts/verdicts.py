"""A schema change judged by direction: who it breaks, and the sentence that says so.

What a sender may change is what every receiver still accepts: a schema of a message
the document sends may narrow (consumers accept every value it still allows), never
widen. What a receiver may change is what every sender still produces: a schema of a
message it receives may widen, never narrow. A change neither can be judged by (a
changed ``pattern``) is breaking until someone looks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from generator.contracts.changes import Effect, SchemaChange
from generator.contracts.report import LEVELS, Audience, Finding, Level
from generator.diagnostics import Location
from generator.model import Direction
from generator.schema_graph import SchemaKey

__all__ = ["Use", "judge", "schema_findings"]


@dataclass(frozen=True, slots=True, order=True)
class Use:
    """A message whose schema reaches a changed place, and which way it travels."""

    direction: Direction
    event: str


def judge(effect: Effect, direction: Direction) -> Level:
    """How a change of a schema that travels ``direction`` is classified."""
    if effect == "info":
        return "info"
    if effect in ("both", "unknown"):
        return "breaking"
    harmful = "wider" if direction == "send" else "narrower"
    return "breaking" if effect == harmful else "compatible"


def _names(events: Sequence[str]) -> str:
    quoted = [repr(e) for e in events[:3]]
    if len(events) > 3:
        quoted.append(f"{len(events) - 3} more")
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _consequence(effect: Effect, direction: Direction, events: Sequence[str]) -> str:
    level = judge(effect, direction)
    named = _names(events)
    if direction == "send":
        sent = f"consumers of {named}, which this document sends,"
        if effect == "unknown":
            return f"whether {sent} still accept every message cannot be told"
        if level == "breaking":
            return f"{sent} may refuse messages it now allows"
        return f"{sent} still accept every message"
    if effect == "unknown":
        return (
            f"whether every message producers of {named} send, which this document receives, "
            "is still accepted cannot be told"
        )
    if level == "breaking":
        return (
            f"producers of {named}, which this document receives, may send messages it now refuses"
        )
    return (
        f"every message producers of {named} send, which this document receives, is still accepted"
    )


def _sentence(change: SchemaChange, uses: Sequence[Use]) -> tuple[Level, str, tuple[Audience, ...]]:
    levels = {use.direction: judge(change.effect, use.direction) for use in uses}
    level = max(levels.values(), key=LEVELS.index)
    text = change.message[:1].upper() + change.message[1:]
    if level == "info":
        return level, f"{text}.", ()
    parts = []
    audience: list[Audience] = []
    for direction in ("send", "receive"):
        if levels.get(direction) == level:
            events = sorted({u.event for u in uses if u.direction == direction})
            parts.append(_consequence(change.effect, direction, events))
            audience.append("consumers" if direction == "send" else "producers")
    return level, f"{text}: {'; '.join(parts)}.", tuple(audience)


def schema_findings(
    changes: Iterable[tuple[SchemaChange, Use]],
    locate_old: Callable[[SchemaKey], Location],
    locate_new: Callable[[SchemaKey], Location],
) -> list[Finding]:
    """One finding per changed place, judged by every message that reaches it."""
    grouped: dict[tuple[str | None, str | None, str, Effect], tuple[SchemaChange, set[Use]]] = {}
    for change, use in changes:
        key = (change.old, change.new, change.message, change.effect)
        grouped.setdefault(key, (change, set()))[1].add(use)
    found = []
    for change, uses in grouped.values():
        level, message, audience = _sentence(change, sorted(uses))
        place = locate_new(change.new) if change.new is not None else locate_old(str(change.old))
        found.append(
            Finding(
                level,
                place,
                message,
                audience,
                tuple(sorted({u.event for u in uses})),
                certain=change.effect != "unknown",
            )
        )
    return found
