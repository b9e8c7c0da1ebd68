"""Import blocks and ``__all__`` lists, ordered exactly as ruff's isort and RUF022 order them.

Generated modules import the standard library, ``amqp_events`` and their sibling
modules only, so three sections suffice. Computing the order here (instead of running
a formatter) keeps generation fast and the output independent of the installed tools.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Imports", "sorted_all"]

_DIGITS = re.compile(r"(\d+)")
# ruff's default line length. An import wrapped there satisfies isort both in a project
# that configures nothing and under our 100 columns (its trailing comma keeps it wrapped).
_IMPORT_WIDTH = 88


def _natural(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(name)]


def _kind(name: str) -> int:
    """0 for CONSTANTS, 1 for Classes, 2 for the rest: the groups isort and RUF022 keep."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def _member_key(name: str) -> tuple[int, list[object], str]:
    # isort orders imported names case-insensitively (Paya before PayC), naturally
    # (Payload2 before Payload10).
    return _kind(name), _natural(name.lower()), name


def sorted_all(names: Iterable[str]) -> list[str]:
    """Sort names as RUF022 wants ``__all__``: constants, then classes, then the rest."""
    # RUF022 orders naturally too, but case-sensitively (PayC before Paya).
    return sorted(set(names), key=lambda name: (_kind(name), _natural(name)))


@dataclass
class Imports:
    """The imports of one module, rendered as isort-ordered sections."""

    stdlib: dict[str, set[str]] = field(default_factory=dict)
    third_party: dict[str, set[str]] = field(default_factory=dict)
    local: dict[str, set[str]] = field(default_factory=dict)
    packages: frozenset[str] = frozenset({"amqp_events"})
    """Top-level packages that are not the standard library (one section with amqp_events)."""

    def _section(self, module: str) -> dict[str, set[str]]:
        if module.startswith("."):
            return self.local
        if module.split(".", maxsplit=1)[0] in self.packages:
            return self.third_party
        return self.stdlib

    def module(self, module: str) -> Imports:
        """``import module``."""
        self._section(module).setdefault(module, set()).add("")
        return self

    def names(self, module: str, *names: str) -> Imports:
        """``from module import names``."""
        self._section(module).setdefault(module, set()).update(names)
        return self

    def render(self) -> str:
        """The import block, sections separated by one blank line."""
        blocks = [
            _render_section(section)
            for section in (self.stdlib, self.third_party, self.local)
            if section
        ]
        return "\n\n".join(blocks)


def _render_section(section: Mapping[str, set[str]]) -> str:
    plain = sorted((m for m, names in section.items() if "" in names), key=str.lower)
    lines = [f"import {module}" for module in plain]
    froms = sorted((m for m, names in section.items() if names - {""}), key=_module_key)
    for module in froms:
        members = sorted(section[module] - {""}, key=_member_key)
        line = f"from {module} import {', '.join(members)}"
        if len(line) <= _IMPORT_WIDTH:
            lines.append(line)
        else:
            body = "".join(f"    {member},\n" for member in members)
            lines.append(f"from {module} import (\n{body})")
    return "\n".join(lines)


def _module_key(module: str) -> tuple[int, str]:
    # Relative imports: ruff orders the furthest first ('..' before '.'), then by name.
    dots = len(module) - len(module.lstrip("."))
    return -dots, module.lower()
