"""The last stage: write the generated tree, or compare it with what is on disk.

Only files the generator owns are ever replaced or removed: a module is owned when its
first line is the generated-code mark, and ``py.typed`` inside the package folder is
owned with the package. A file at a generated path that is not owned stops the write,
so hand-written code is never overwritten. The handler scaffold is written only when
absent and is never compared.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.diagnostics import Diagnostic, Location
from generator.render.package import GENERATED_MARK

__all__ = ["Drift", "Tree", "WriteReport", "compare_tree", "write_tree"]


@dataclass(frozen=True, slots=True)
class Tree:
    """A generated package in memory: owned files by relative path, and the scaffold."""

    package: str
    files: Mapping[str, str]
    scaffold: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing the tree changed on disk."""

    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    scaffold: str | None = None
    """The scaffold's path when it was written now (it never is when it exists)."""
    kept_scaffold: str | None = None
    """The scaffold's path when something already stood there and was left alone."""
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class Drift:
    """How the files on disk differ from the tree the document generates."""

    changed: Mapping[str, str]
    """Unified diff (disk -> generated) per changed file."""
    missing: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        """Tell whether disk and document agree."""
        return not (self.changed or self.missing or self.stale)


def _safe(output: Path, relative: str) -> Path | None:
    """The path of a generated file, or None if it would leave the output folder."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        return None
    target = output.joinpath(*pure.parts)
    root = output.resolve()
    resolved = target.resolve()
    if resolved != root and root not in resolved.parents:
        return None
    return target


def _owned(path: Path) -> bool:
    if path.name == "py.typed":
        return True
    try:
        with path.open("r", encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return first.startswith(GENERATED_MARK)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return "\0unreadable"


def _stale(output: Path, tree: Tree) -> list[str]:
    folder = output / tree.package
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        relative = f"{tree.package}/{path.name}"
        if path.is_file() and relative not in tree.files and _owned(path):
            found.append(relative)
    return found


def _problem(relative: str, message: str) -> Diagnostic:
    return Diagnostic("error", Location(relative), message)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_tree(output: Path, tree: Tree) -> WriteReport:
    """Write changed files, remove stale owned ones, create the scaffold if absent."""
    problems: list[Diagnostic] = []
    targets: dict[str, Path] = {}
    for relative in sorted(tree.files):
        target = _safe(output, relative)
        if target is None:
            problems.append(_problem(relative, "This path would leave the output folder."))
            continue
        if target.exists() and not target.is_file():
            problems.append(
                _problem(
                    str(target),
                    "This path is a folder (or another non-file), where amqp-events-gen writes "
                    "a generated module; move it away, then generate again.",
                )
            )
        elif target.exists() and not _owned(target):
            problems.append(
                _problem(
                    str(target),
                    "This file exists and was not written by amqp-events-gen (its first line "
                    "is not the generated-code mark); move it away or delete it, then generate "
                    "again.",
                )
            )
        targets[relative] = target
    if problems:
        return WriteReport(diagnostics=tuple(problems))
    written, unchanged = [], []
    for relative, target in targets.items():
        if _read(target) == tree.files[relative]:
            unchanged.append(relative)
            continue
        try:
            _atomic_write(target, tree.files[relative])
        except OSError as error:
            problems.append(_problem(str(target), f"The file cannot be written: {error}."))
            continue
        written.append(relative)
    removed = []
    for relative in _stale(output, tree):
        (output / relative).unlink()
        removed.append(relative)
    scaffold = kept = None
    if tree.scaffold is not None:
        relative, text = tree.scaffold
        target = _safe(output, relative)
        if target is not None and not target.exists():
            _atomic_write(target, text)
            scaffold = relative
        elif target is not None:
            kept = relative
    return WriteReport(
        written=tuple(written),
        removed=tuple(removed),
        unchanged=tuple(unchanged),
        scaffold=scaffold,
        kept_scaffold=kept,
        diagnostics=tuple(problems),
    )


def compare_tree(output: Path, tree: Tree) -> Drift:
    """Compare the generated tree with the disk, in memory; nothing is written."""
    changed: dict[str, str] = {}
    missing = []
    for relative in sorted(tree.files):
        target = _safe(output, relative)
        current = _read(target) if target is not None else None
        if current is None:
            missing.append(relative)
            continue
        expected = tree.files[relative]
        if current != expected:
            diff = difflib.unified_diff(
                current.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                fromfile=f"a/{relative}",
                tofile=f"b/{relative}",
            )
            changed[relative] = "".join(
                line if line.endswith("\n") else line + "\n" for line in diff
            )
    return Drift(changed=changed, missing=tuple(missing), stale=tuple(_stale(output, tree)))
