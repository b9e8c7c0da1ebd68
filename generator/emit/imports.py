"""Import blocks and ``__all__`` lists, ordered exactly as ruff's isort and RUF022 order them.

Generated modules import from ``__future__``, the standard library, ``amqp_events`` (or
the generated package, for the scaffold) and their sibling modules, so four sections
suffice. Computing the order here, instead of running a formatter, keeps generation
fast and the output independent of the installed tools. ``Imports.bound`` is every name
the imports bind, which the module's own names must not take.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Import", "Imports", "sort_all"]

_DIGITS = re.compile(r"(\d+)")
_RUNS = re.compile(r"\d+|\D+")
# ruff's default line length. An import wrapped there satisfies isort both in a project
# that configures nothing and under our 100 columns (its trailing comma keeps it wrapped).
_IMPORT_WIDTH = 88
_SECTIONS = ("future", "stdlib", "third_party", "local")


def _kind(name: str) -> int:
    """0 for CONSTANTS, 1 for Classes, 2 for the rest: the groups isort and RUF022 keep."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def _natural(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(name)]


def _member_key(name: str) -> tuple[int, list[object], str]:
    # isort orders imported names case-insensitively (Paya before PayC), naturally
    # (Payload2 before Payload10).
    return _kind(name), _natural(name.lower()), name


def _all_key(name: str) -> tuple[int, list[tuple[int, tuple[int, int, str] | str]]]:
    runs: list[tuple[int, tuple[int, int, str] | str]] = []
    for run in _RUNS.findall(name):
        if not run[0].isdigit():
            runs.append((1, run))
        elif run[0] == "0":
            # A leading zero makes ruff compare the run as a fraction, digit by digit.
            runs.append((0, (0, 0, run)))
        else:
            runs.append((0, (1, len(run), run)))
    return _kind(name), runs


def sort_all(names: Iterable[str]) -> list[str]:
    """Names in ruff's ``__all__`` order (RUF022): CONSTANTS, then Classes, then the rest.

    Within a group, names compare character by character and digit runs as numbers,
    except that a run with a leading zero compares as a fraction (0.2 < 1), as in the
    natural order (the natord crate) that ruff uses; unlike isort, case counts (PayC
    before Paya). Identifiers only: every character compared with a digit is then
    greater than it.
    """
    return sorted(set(names), key=_all_key)


@dataclass(frozen=True, slots=True)
class Import:
    """An import a module may need: ``import module [as alias]`` or ``from module import names``."""

    module: str
    names: tuple[str, ...] = ()
    alias: str | None = None


@dataclass
class Imports:
    """The imports of one module, rendered as isort-ordered sections."""

    packages: frozenset[str] = frozenset({"amqp_events"})
    """Top-level packages that are not the standard library (one section with amqp_events)."""
    _sections: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {section: {} for section in _SECTIONS}
    )

    def _section(self, module: str) -> dict[str, set[str]]:
        if module == "__future__":
            return self._sections["future"]
        if module.startswith("."):
            return self._sections["local"]
        if module.split(".", maxsplit=1)[0] in self.packages:
            return self._sections["third_party"]
        return self._sections["stdlib"]

    def module(self, module: str, *, alias: str | None = None) -> Imports:
        """``import module``, or ``import module as alias``."""
        spelled = module if alias is None else f"{module} as {alias}"
        self._section(module).setdefault(spelled, set()).add("")
        return self

    def names(self, module: str, *names: str) -> Imports:
        """``from module import names``."""
        self._section(module).setdefault(module, set()).update(names)
        return self

    def add(self, *imports: Import) -> Imports:
        """Add each of ``imports``."""
        for item in imports:
            if item.names:
                self.names(item.module, *item.names)
            else:
                self.module(item.module, alias=item.alias)
        return self

    @property
    def bound(self) -> frozenset[str]:
        """Every name the imports bind in the module."""
        found: set[str] = set()
        for section in self._sections.values():
            for module, names in section.items():
                if "" in names:
                    found.add(module.rpartition(" as ")[2].split(".", 1)[0])
                found.update(names - {""})
        return frozenset(found)

    def render(self) -> str:
        """The import block, sections separated by one blank line."""
        blocks = [_render_section(section) for section in self._sections.values() if section]
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
