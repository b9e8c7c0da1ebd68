"""Findings of ``diff`` and ``contracts``: one line each, JSON, a summary, an exit status.

A line reads like a diagnostic, ``file:line:col: breaking|compatible|info: sentence
(#/pointer)``, at the place in the new document (the old one for what was removed).
Findings are sorted by file, line, column, pointer and sentence, so the output is the
same on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import Location

__all__ = [
    "EXIT_BREAKING",
    "EXIT_DEFECT",
    "EXIT_INVALID",
    "EXIT_OK",
    "LEVELS",
    "Audience",
    "Finding",
    "Level",
    "exit_status",
    "ordered",
    "summary",
    "to_json",
]

Level = Literal["breaking", "compatible", "info"]
LEVELS: tuple[Level, ...] = ("info", "compatible", "breaking")
"""From the least to the most severe; ``--fail-on`` names the least that fails."""

Audience = Literal["consumers", "producers", "broker"]
"""Whom a change concerns: the consumers of an event the document sends, the producers
of an event it receives, or the broker (what it refuses to redeclare or leaves behind)."""

EXIT_OK = 0
EXIT_BREAKING = 1
EXIT_INVALID = 2
EXIT_DEFECT = 3


@dataclass(frozen=True, slots=True)
class Finding:
    """One change (``diff``) or one broken promise between two services (``contracts``)."""

    level: Level
    location: Location
    message: str
    """Full sentences, ending with a period."""
    audience: tuple[Audience, ...] = ()
    events: tuple[str, ...] = ()
    """The events (addresses) concerned."""
    certain: bool = True
    """False when the change could not be judged (a changed ``pattern``) and is
    reported as breaking to be safe."""
    example: str | None = None
    """A value as JSON text that one side accepts and the other refuses."""

    def render(self) -> str:
        """``file:line:col: level: message (#/pointer)``."""
        return self.location.render_as(self.level, self.message)

    def as_json(self) -> dict[str, object]:
        """The finding as a JSON object."""
        place = self.location
        found: dict[str, object] = {
            "level": self.level,
            "file": place.file,
            "line": place.line,
            "column": place.column,
            "pointer": place.pointer,
            "message": self.message,
            "audience": list(self.audience),
            "events": list(self.events),
            "certain": self.certain,
        }
        if self.example is not None:
            found["example"] = json.loads(self.example)
        return found


def _order(finding: Finding) -> tuple[str, int, int, str, str]:
    place = finding.location
    return place.file, place.line or 0, place.column or 0, place.pointer, finding.message


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings once each, in document order."""
    return sorted(set(findings), key=_order)


def _counts(findings: Sequence[Finding]) -> dict[Level, int]:
    return {level: sum(f.level == level for f in findings) for level in reversed(LEVELS)}


def summary(findings: Sequence[Finding], subject: str) -> str:
    """One line: how many findings of each level, about what."""
    counts = _counts(findings)
    text = ", ".join(f"{count} {level}" for level, count in counts.items())
    return f"{subject}: {text}."


def exit_status(findings: Iterable[Finding], fail_on: Level) -> int:
    """1 when some finding is at least as severe as ``fail_on``, else 0."""
    bar = LEVELS.index(fail_on)
    failing = any(LEVELS.index(f.level) >= bar for f in findings)
    return EXIT_BREAKING if failing else EXIT_OK


def to_json(findings: Sequence[Finding], **fields: object) -> str:
    """The findings as one JSON document, with their counts and ``fields``."""
    document = {
        **fields,
        "summary": _counts(findings),
        "findings": [f.as_json() for f in findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
