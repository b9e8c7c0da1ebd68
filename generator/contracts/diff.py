"""``diff``: every change between two versions of one document, judged by direction."""

from __future__ import annotations

from generator.contracts.events import compare_events
from generator.contracts.report import Finding, ordered
from generator.contracts.sides import Side
from generator.contracts.topology import compare_topology

__all__ = ["diff"]


def diff(old: Side, new: Side) -> list[Finding]:
    """The changes of events, messages, schemas and topology, in document order."""
    return ordered([*compare_events(old, new), *compare_topology(old, new)])
