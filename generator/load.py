"""Read one YAML or JSON file into plain JSON values plus the line of every JSON pointer.

The C event parser (libyaml) drives a small iterative builder, so the data and the
pointer-to-line index come out of a single pass. The builder bounds what a hostile file
can cost: nesting depth, the number of values (counting every expansion of a YAML
alias, so an alias bomb stops early), and the file size. Keys are always the key's
source text, so ``on:`` stays the string ``"on"`` and never becomes ``True``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import yaml

from generator.diagnostics import escape_pointer_token

__all__ = ["LIMITS", "Limits", "LoadError", "LoadedFile", "Position", "load_text"]

Position = tuple[int, int]
"""Line and column, both counted from 1."""

try:
    _Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_MAP_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map"})
_SEQ_TAGS = frozenset({None, "!", "tag:yaml.org,2002:seq"})
_SCALAR_TAGS = frozenset({_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP})
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TRUE = frozenset({"yes", "true", "on"})


class _Mark(Protocol):
    """Where an event starts (libyaml's and PyYAML's marks both have these)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost; generous for real documents, small for hostile ones."""

    max_bytes: int = 64 * 1024 * 1024
    max_values: int = 1_000_000
    """Values in the document, every expansion of an alias counted again.

    A 1,000-channel document holds about 80,000; reading a million takes about 6 s and
    250 MB, which bounds what a hostile document can cost.
    """
    max_depth: int = 200
    """Nesting of mappings and sequences."""


LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """A parsed file: its data and where each JSON pointer is written."""

    data: object
    positions: Mapping[str, Position] = field(default_factory=dict)

    def position(self, pointer: str) -> Position | None:
        """Return the position of ``pointer``, or of its nearest ancestor that has one."""
        while True:
            found = self.positions.get(pointer)
            if found is not None or not pointer:
                return found
            pointer = pointer[: pointer.rfind("/")]


@dataclass(frozen=True, slots=True)
class LoadError:
    """Why a file could not be read, and where in it when that is known."""

    message: str
    position: Position | None = None
    pointer: str = ""


class _Stop(Exception):  # noqa: N818 - internal control flow, never escapes this module
    def __init__(self, error: LoadError) -> None:
        self.error = error


@dataclass(slots=True)
class _Frame:
    container: dict[str, object] | list[object]
    pointer: str
    anchor: str | None
    size: int = 1
    key: str | None = None
    merges: list[object] = field(default_factory=list)


def _position(mark: _Mark | None) -> Position | None:
    return None if mark is None else (mark.line + 1, mark.column + 1)


# JSON numbers that YAML 1.1 reads as strings (``1e5``, ``1.5e3``): JSON is YAML 1.2.
_JSON_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][-+]?[0-9]+\Z")


def _resolve_plain(value: str) -> str:
    # PyYAML's implicit rules (YAML 1.1), plus the JSON number forms YAML 1.1 lacks.
    if _JSON_FLOAT.match(value):
        return _FLOAT
    for tag, pattern in _RESOLVERS.get(value[:1] if value else "", ()):
        if pattern.match(value):
            return str(tag)
    for tag, pattern in _RESOLVERS.get(None, ()):
        if pattern.match(value):
            return str(tag)
    return _STR


def _scalar(event: yaml.ScalarEvent) -> object:
    tag = event.tag
    value = event.value
    if tag in (None, "!"):
        tag = _resolve_plain(value) if event.implicit[0] and tag is None else _STR
    if tag not in _SCALAR_TAGS:
        raise _Stop(
            LoadError(
                f"The YAML tag {tag!r} is not supported; only plain JSON values "
                "(strings, numbers, booleans, null, mappings and sequences) are.",
                _position(event.start_mark),
            )
        )
    if tag in (_STR, _TIMESTAMP):
        # Dates stay strings: JSON has no date type and schemas compare strings.
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() in _TRUE
    node = yaml.ScalarNode(tag, value)
    try:
        if tag == _INT:
            return _CONSTRUCTOR.construct_yaml_int(node)
        return _CONSTRUCTOR.construct_yaml_float(node)
    except ValueError:
        raise _Stop(
            LoadError(
                f"{value!r} is not a valid {tag.rsplit(':', 1)[1]}.", _position(event.start_mark)
            )
        ) from None


class _Builder:
    """Turns a libyaml event stream into JSON values and a pointer index."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.positions: dict[str, Position] = {}
        self.anchors: dict[str, tuple[object, int]] = {}
        self.stack: list[_Frame] = []
        self.values = 0
        self.aliases = 0
        self.documents = 0
        self.root: object = None
        self.duplicates: list[LoadError] = []

    def count(self, size: int, mark: _Mark | None) -> None:
        self.values += size
        if self.values > self.limits.max_values:
            if self.aliases:
                reason = (
                    f"The document holds more than {self.limits.max_values:,} values once its "
                    "YAML aliases are expanded; this looks like an alias bomb, so it is not read."
                )
            else:
                reason = (
                    f"The document holds more than {self.limits.max_values:,} values, far more "
                    "than any service's events need, so it is not read."
                )
            raise _Stop(LoadError(reason, _position(mark)))

    def child_pointer(self, mark: _Mark | None) -> str:
        """Return the pointer of the value about to be added, recording its position."""
        if not self.stack:
            self.positions[""] = _position(mark) or (1, 1)
            return ""
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            pointer = f"{frame.pointer}/{len(frame.container)}"
            if mark is not None:
                self.positions[pointer] = (mark.line + 1, mark.column + 1)
            return pointer
        assert frame.key is not None
        return f"{frame.pointer}/{escape_pointer_token(frame.key)}"

    def attach(self, value: object, size: int) -> None:
        """Put a finished value into its parent (or make it the root)."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        key = frame.key
        frame.key = None
        assert key is not None
        if key == "<<" and key not in frame.container:
            frame.merges.append(value)
            return
        frame.container[key] = value

    def key(self, event: yaml.Event) -> bool:
        """Take ``event`` as a mapping key if one is expected; return whether it was."""
        if not self.stack:
            return False
        frame = self.stack[-1]
        if not isinstance(frame.container, dict) or frame.key is not None:
            return False
        if not isinstance(event, yaml.ScalarEvent):
            raise _Stop(
                LoadError(
                    "Mapping keys must be plain strings; a mapping, sequence or alias "
                    "cannot be a key.",
                    _position(event.start_mark),
                )
            )
        key = event.value
        if event.tag == _MERGE or (key == "<<" and event.implicit[0] and event.tag is None):
            key = "<<"
        pointer = f"{frame.pointer}/{escape_pointer_token(key)}"
        if key in frame.container and key != "<<":
            self.duplicates.append(
                LoadError(
                    f"The key {key!r} appears twice in the same mapping; "
                    "a later value would silently replace the earlier one.",
                    _position(event.start_mark),
                    pointer,
                )
            )
        self.positions[pointer] = _position(event.start_mark) or (1, 1)
        frame.key = key
        return True

    def open(
        self, event: yaml.CollectionStartEvent, container: dict[str, object] | list[object]
    ) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise _Stop(
                LoadError(
                    f"The document nests mappings and sequences more than "
                    f"{self.limits.max_depth} levels deep.",
                    _position(event.start_mark),
                )
            )
        self.count(1, event.start_mark)
        pointer = self.child_pointer(event.start_mark)
        self.stack.append(_Frame(container, pointer, event.anchor))

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.merges and isinstance(frame.container, dict):
            self.merge(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, frame.size)
        self.attach(frame.container, frame.size)

    def merge(self, frame: _Frame) -> None:
        assert isinstance(frame.container, dict)
        for merged in frame.merges:
            sources = merged if isinstance(merged, list) else [merged]
            for source in sources:
                if not isinstance(source, dict):
                    raise _Stop(
                        LoadError(
                            "A YAML merge key ('<<') must refer to a mapping or a list of "
                            "mappings.",
                            self.positions.get(frame.pointer),
                            frame.pointer,
                        )
                    )
                for key, value in source.items():
                    frame.container.setdefault(key, value)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            if self.key(event):
                return
            self.count(1, event.start_mark)
            self.child_pointer(event.start_mark)
            value = _scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            self.attach(value, 1)
        elif isinstance(event, yaml.MappingStartEvent):
            self.key(event)
            if event.tag not in _MAP_TAGS:
                raise _Stop(
                    LoadError(
                        f"The YAML tag {event.tag!r} is not supported.", _position(event.start_mark)
                    )
                )
            self.open(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self.key(event)
            if event.tag not in _SEQ_TAGS:
                raise _Stop(
                    LoadError(
                        f"The YAML tag {event.tag!r} is not supported.", _position(event.start_mark)
                    )
                )
            self.open(event, [])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.close()
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Stop(
                    LoadError(
                        "The file holds several YAML documents; an AsyncAPI document is one.",
                        _position(event.start_mark),
                    )
                )

    def alias(self, event: yaml.AliasEvent) -> None:
        self.key(event)
        found = self.anchors.get(event.anchor or "")
        if found is None:
            raise _Stop(
                LoadError(
                    f"The alias *{event.anchor} refers to no anchor defined before it "
                    "(or to a node that contains the alias itself).",
                    _position(event.start_mark),
                )
            )
        value, size = found
        self.aliases += 1
        self.count(size, event.start_mark)
        self.child_pointer(event.start_mark)
        self.attach(value, size)


_JSON_START = re.compile(r"\s*[\[{]")


def load_text(text: str, *, limits: Limits = LIMITS) -> tuple[LoadedFile | None, list[LoadError]]:
    """Parse YAML (JSON is YAML) into JSON values; return the file or why it failed."""
    if len(text) > limits.max_bytes:
        return None, [
            LoadError(f"The file is larger than {limits.max_bytes // (1024 * 1024)} MiB.")
        ]
    builder = _Builder(limits)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Stop as stop:
        return None, [stop.error]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "it cannot be parsed"
        what = "JSON" if _JSON_START.match(text) else "YAML"
        context = f" ({error.context})" if error.context else ""
        if error.context and error.context_mark is not None and mark is not error.context_mark:
            # Where the unclosed construct began is usually where the mistake is.
            line, column = error.context_mark.line + 1, error.context_mark.column + 1
            context = f" ({error.context} that starts at line {line}, column {column})"
        return None, [
            LoadError(f"The file is not valid {what}: {problem}{context}.", _position(mark))
        ]
    except yaml.YAMLError as error:
        return None, [LoadError(f"The file cannot be read as YAML: {error}.")]
    if builder.documents == 0:
        return None, [LoadError("The file is empty; it holds no YAML or JSON document.")]
    # Duplicate keys are errors, but the data is still usable to report everything else.
    return LoadedFile(builder.root, builder.positions), builder.duplicates
