"""Figures that fault and soak tests record; the terminal summary prints them after a run."""

from __future__ import annotations

__all__ = ["FIGURES", "record"]

FIGURES: dict[str, str] = {}
"""What each reliability test counted: events fired, handled, archived, lost, inputs tried."""


def record(test: str, figures: str) -> None:
    """Keep one test's figures for the summary at the end of the run."""
    FIGURES[test] = figures
