"""Counts that tests record and the terminal summary prints (see conftest.py)."""

from __future__ import annotations

from collections import Counter

__all__ = ["MANIFEST_COUNTS"]

MANIFEST_COUNTS: Counter[str] = Counter()
"""How the manifest's documents fared: compiled, rejected (by reason), packages checked."""
