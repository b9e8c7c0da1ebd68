"""How wide a line is, and when ruff's line-length rule reports it: one rule for every module.

Generated modules must pass ``ruff format --check`` and ``ruff check`` under the line
length of the project's ruff configuration, and also under ruff's default of 88 for
imports (see ``imports``). Text from the document can still make a line that cannot be
split; ``overlong`` tells when ruff's E501 would report one, and the module frame then
exempts the module from that rule.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["INDENT", "LINE_LENGTH", "line_width", "overlong"]

LINE_LENGTH: Final = 100
"""Line length of the project's ruff configuration, which generated code keeps to."""

INDENT: Final = 4
"""Spaces per indentation level."""


def line_width(line: str) -> int:
    """The width of a line as ruff measures it: wide characters count twice."""
    if line.isascii():
        return len(line)
    width = 0
    for char in line:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def overlong(line: str) -> bool:
    """Tell whether ruff's E501 reports ``line``: too wide, and splittable.

    Mirrors ruff's exemptions: a line of a single word cannot be shorter, and a line that
    ends with a URL is fine when the URL starts within the limit.
    """
    if line_width(line) <= LINE_LENGTH:
        return False
    chunks = line.split()
    if len(chunks) < 2:
        return False
    last = chunks[-1]
    return "://" not in last or line_width(line) - line_width(last) > LINE_LENGTH
