"""The root document and every file its ``$ref`` values reach, each loaded once.

A ``Node`` is a value with its place: the file (relative to the root document's folder,
POSIX style) and the JSON pointer inside it. ``Documents.follow`` turns one ``$ref``
into the node it names, relative to the file that contains the reference;
``Documents.deref`` follows a chain of pure references to the object at its end.
Problems come back as sentences; the caller reports them at the reference's place.
A caller that wants to know which places references named passes a set to collect
their keys, and returns it with its result; following changes nothing here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, Location, escape_pointer_token
from generator.load import LIMITS, Limits, LoadedFile, load_text
from generator.words import describe

__all__ = ["Documents", "Node", "RefProblem", "Source", "is_reference", "parse_pointer"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_MAX_FILES = 1000
_MAX_HOPS = 64


def parse_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer (``/a/b~1c``) into its unescaped tokens."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def is_reference(value: object) -> bool:
    """Tell whether a value is a Reference Object (a mapping with ``$ref``)."""
    return isinstance(value, dict) and "$ref" in value


@dataclass(frozen=True, slots=True)
class Node:
    """A JSON value and where it is: ``file`` relative to the root folder, and a pointer."""

    file: str
    pointer: str
    value: object

    def child(self, token: str | int) -> Node:
        """The node below this one at ``token`` (a key or a list index); value None if absent."""
        container = self.value
        value: object = None
        if isinstance(container, dict):
            value = container.get(str(token))
        elif isinstance(container, list) and isinstance(token, int) and 0 <= token < len(container):
            value = container[token]
        return Node(self.file, f"{self.pointer}/{escape_pointer_token(token)}", value)

    @property
    def key(self) -> str:
        """``<file>#<pointer>``: the canonical name of this place."""
        return f"{self.file}#{self.pointer}"


@dataclass(frozen=True, slots=True)
class RefProblem:
    """Why a reference could not be followed, as a full sentence."""

    message: str


class Source(Protocol):
    """Where the files of a document come from when they are not read from the disk."""

    def read(self, file: str, max_bytes: int) -> bytes | None:
        """The bytes of ``file`` (relative to the root's folder); None above ``max_bytes``.

        Raises ``FileNotFoundError`` when there is no such file, ``OSError`` when it
        cannot be read.
        """

    def display(self, file: str) -> str:
        """How to name ``file`` in diagnostics."""


class Documents:
    """Loads the root document and referenced files, and locates any pointer in them."""

    def __init__(
        self,
        root: Path,
        *,
        display: str | None = None,
        limits: Limits = LIMITS,
        source: Source | None = None,
    ):
        self.limits = limits
        self.source = source
        self.base = root.parent
        self.root_file = root.name
        shown = display if display is not None else str(root)
        self._display_base = posixpath.dirname(shown.replace("\\", "/"))
        self._root_display = shown
        self._files: dict[str, LoadedFile | None] = {}
        self._problems: dict[str, str] = {}
        self.diagnostics: list[Diagnostic] = []
        """Problems inside loaded files (YAML errors, duplicate keys)."""

    # -- files -------------------------------------------------------------------------

    def display(self, file: str) -> str:
        """The file name to show in diagnostics: as the user wrote the root's path."""
        if file == self.root_file:
            return self._root_display
        if self.source is not None:
            return self.source.display(file)
        return posixpath.normpath(posixpath.join(self._display_base, file))

    def load(self, file: str) -> LoadedFile | None:
        """Return a loaded file, reading it on first use; None when it cannot be read."""
        if file in self._files:
            return self._files[file]
        loaded: LoadedFile | None = None
        if len(self._files) >= _MAX_FILES:
            self._problems[file] = f"more than {_MAX_FILES} files are referenced"
        else:
            loaded = self._read(file)
        self._files[file] = loaded
        return loaded

    def _read(self, file: str) -> LoadedFile | None:
        try:
            raw = self._bytes(file)
            if raw is None:
                self._problems[file] = f"it is larger than {self.limits.max_bytes // 2**20} MiB"
                return None
        except FileNotFoundError:
            self._problems[file] = "it does not exist"
            return None
        except OSError as error:
            self._problems[file] = f"it cannot be read ({error.strerror or error})"
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self._problems[file] = f"it is not UTF-8 text (byte {error.start} is invalid)"
            return None
        loaded, problems = load_text(text, limits=self.limits)
        for problem in problems:
            line, column = problem.position if problem.position else (None, None)
            self.diagnostics.append(
                Diagnostic(
                    "error",
                    Location(self.display(file), problem.pointer, line, column),
                    problem.message,
                )
            )
        if loaded is None:
            self._problems[file] = "it is not a valid YAML or JSON document"
        return loaded

    def _bytes(self, file: str) -> bytes | None:
        if self.source is not None:
            return self.source.read(file, self.limits.max_bytes)
        path = self.base / file
        return None if path.stat().st_size > self.limits.max_bytes else path.read_bytes()

    def problem(self, file: str) -> str | None:
        """Why ``file`` could not be loaded, if it could not."""
        return self._problems.get(file)

    def root(self) -> Node | None:
        """The root document as a node, or None when it cannot be loaded."""
        loaded = self.load(self.root_file)
        return None if loaded is None else Node(self.root_file, "", loaded.data)

    def locate(self, file: str, pointer: str) -> Location:
        """The location (with line and column when known) of a pointer in a file."""
        loaded = self._files.get(file)
        position = loaded.position(pointer) if loaded is not None else None
        if position is None:
            return Location(self.display(file), pointer)
        return Location(self.display(file), pointer, position[0], position[1])

    def locate_key(self, key: str) -> Location:
        """The location of ``<file>#<pointer>``."""
        file, _, pointer = key.partition("#")
        return self.locate(file, pointer)

    def where(self, node: Node) -> Location:
        """The location of a node."""
        return self.locate(node.file, node.pointer)

    # -- references ----------------------------------------------------------------------

    def target(self, ref: object, base_file: str) -> tuple[str, str] | RefProblem:
        """Return the file and pointer a ``$ref`` value names, relative to ``base_file``."""
        if not isinstance(ref, str):
            return RefProblem(f"A '$ref' must be a string, got {describe(ref)}.")
        address, _, fragment = ref.partition("#")
        if _SCHEME.match(address) or address.startswith("//"):
            return RefProblem(
                f"The reference {ref!r} is a remote URL; remote references are not fetched. "
                "Bundle the document into local files first (for example with "
                "'asyncapi bundle') and refer to them by relative path."
            )
        if address.startswith(("/", "\\")):
            return RefProblem(
                f"The reference {ref!r} is an absolute path; refer to files by a path "
                "relative to the document that contains the reference."
            )
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            return RefProblem(
                f"The reference {ref!r} ends in '#{fragment}', which is not a JSON pointer; "
                "only pointers such as '#/components/schemas/Name' are supported."
            )
        if not address:
            return base_file, fragment
        file = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), unquote(address)))
        return file, fragment

    def follow(
        self, ref: object, base_file: str, named: set[str] | None = None
    ) -> Node | RefProblem:
        """Follow one ``$ref`` (found in ``base_file``) to the node it names.

        The key of every place a reference named on the way is added to ``named``.
        """
        place = self.target(ref, base_file)
        if isinstance(place, RefProblem):
            return place
        file, pointer = place
        loaded = self.load(file)
        if loaded is None:
            return RefProblem(
                f"The reference {ref!r} points to the file {self.display(file)!r}, but "
                f"{self.problem(file) or 'it cannot be read'}."
            )
        found = self._walk(ref, Node(file, "", loaded.data), pointer, named)
        if isinstance(found, Node) and named is not None:
            named.add(found.key)
        return found

    def _walk(
        self, ref: object, node: Node, pointer: str, named: set[str] | None
    ) -> Node | RefProblem:
        hops = 0
        for token in parse_pointer(pointer):
            value = node.value
            # A pointer may pass through a reference (e.g. into a message defined elsewhere).
            while isinstance(value, dict) and "$ref" in value and token not in value:
                hops += 1
                step = self.follow(value["$ref"], node.file, named) if hops < _MAX_HOPS else None
                if not isinstance(step, Node):
                    return step or RefProblem(
                        f"The reference {ref!r} passes through too many references."
                    )
                node, value = step, step.value
            if isinstance(value, dict) and token in value:
                node = node.child(token)
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                node = node.child(int(token))
            else:
                where = f"#{node.pointer}" if node.pointer else "the document root"
                return RefProblem(
                    f"The reference {ref!r} points to '#{pointer}' in "
                    f"{self.display(node.file)!r}, which does not exist: {where} has no "
                    f"{token!r}."
                )
        return node

    def deref(self, node: Node, named: set[str] | None = None) -> Node | RefProblem:
        """Follow references from ``node`` until a value that is not a reference.

        The key of every place a reference named on the way is added to ``named``.
        """
        seen = [node.key]
        while isinstance(node.value, dict) and "$ref" in node.value:
            ref = node.value["$ref"]
            step = self.follow(ref, node.file, named)
            if isinstance(step, RefProblem):
                return step
            if step.key in seen:
                chain = " -> ".join([*seen, step.key])
                return RefProblem(
                    f"The reference {ref!r} leads back to itself ({chain}); a chain of "
                    "references must end at an actual object."
                )
            seen.append(step.key)
            node = step
        return node
