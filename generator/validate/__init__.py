"""Validate an AsyncAPI document (2.0 to 2.6, 3.0 and 3.1): every problem, all at once.

The rules are written from the specification's object structure, one function per
object (``v2``, ``v3``, ``common``, ``bindings``, ``extensions``, ``schemas``); each
problem becomes a ``Diagnostic`` with the file, line and JSON pointer where it is.
Unknown fields are errors unless they start with ``x-``, as the specification says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Location
from generator.documents import Documents, Node
from generator.validate import v2, v3
from generator.validate.checker import Checker, SchemaSite, Version
from generator.words import describe

__all__ = ["SchemaSite", "Validation", "Version", "unused_components", "validate"]

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.\-]+)?")
_NEWEST_2 = 6
_NEWEST_3 = 1
_COMPONENT_GROUPS = (
    "schemas",
    "messages",
    "channels",
    "parameters",
    "correlationIds",
    "messageTraits",
    "operationTraits",
)


@dataclass(frozen=True, slots=True)
class Validation:
    """The verdict on a document: its version, problems, and the schemas it declares."""

    version: Version | None
    diagnostics: tuple[Diagnostic, ...]
    schema_sites: tuple[SchemaSite, ...] = ()
    referenced: frozenset[str] = frozenset()
    """Keys (``file#pointer``) of every place a reference in the document named."""


def _version(documents: Documents, root: Node) -> tuple[Version | None, list[Diagnostic]]:
    assert isinstance(root.value, dict)
    here = documents.where(root.child("asyncapi"))
    if "asyncapi" not in root.value:
        return None, [
            Diagnostic(
                "error",
                documents.where(root),
                "The document has no 'asyncapi' field, so it is not an AsyncAPI document; "
                "it must start with the version, e.g. 'asyncapi: 3.0.0'.",
            )
        ]
    text = root.value["asyncapi"]
    match = _VERSION.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None, [
            Diagnostic(
                "error",
                here,
                f"The 'asyncapi' field must be a version string such as '3.0.0' or '2.6.0', "
                f"got {describe(text)}.",
            )
        ]
    major, minor = int(match.group(1)), int(match.group(2))
    if major == 2 and minor <= _NEWEST_2:
        return (2, minor), []
    if major == 3:
        if minor <= _NEWEST_3:
            return (3, minor), []
        warning = Diagnostic(
            "warning",
            here,
            f"AsyncAPI {text} is newer than 3.{_NEWEST_3}, the newest version known here; "
            f"the document is checked as 3.{_NEWEST_3}.",
        )
        return (3, _NEWEST_3), [warning]
    if major < 2:
        reason = (
            f"AsyncAPI {text} documents are not supported: versions before 2.0 describe "
            "'topics' instead of channels. Convert the document to AsyncAPI 2.6 or 3.0 "
            "(for example with 'asyncapi convert') and generate from that."
        )
    elif major == 2:
        reason = f"AsyncAPI {text} does not exist; 2.x versions go from 2.0.0 to 2.6.0."
    else:
        reason = (
            f"AsyncAPI {text} is not supported; supported versions are 2.0 to 2.6 and 3.0 to 3.1."
        )
    return None, [Diagnostic("error", here, reason)]


def validate(documents: Documents) -> Validation:
    """Check the root document and everything it references; report every problem."""
    root = documents.root()
    if root is None:
        problem = documents.problem(documents.root_file) or "it cannot be read"
        found = list(documents.diagnostics)
        if not found:
            found.append(
                Diagnostic(
                    "error",
                    Location(documents.display(documents.root_file)),
                    f"The document cannot be read: {problem}.",
                )
            )
        return Validation(None, tuple(found))
    if not isinstance(root.value, dict):
        return Validation(
            None,
            (
                *documents.diagnostics,
                Diagnostic(
                    "error",
                    documents.where(root),
                    f"An AsyncAPI document must be an object, got {describe(root.value)}.",
                ),
            ),
        )
    version, found = _version(documents, root)
    if version is None:
        return Validation(None, (*documents.diagnostics, *found))
    checker = Checker(documents, version)
    checker.diagnostics.extend(found)
    if version[0] == 2:
        v2.check_document(checker, root)
    else:
        v3.check_document(checker, root)
    return Validation(
        version,
        (*documents.diagnostics, *checker.diagnostics),
        tuple(checker.schema_sites),
        frozenset(checker.referenced),
    )


def unused_components(documents: Documents, referenced: Iterable[str]) -> list[Diagnostic]:
    """Warn about components of the root document that nothing references."""
    root = documents.root()
    components = root.value.get("components") if root and isinstance(root.value, dict) else None
    if root is None or not isinstance(components, dict):
        return []
    used = set()
    for key in referenced:
        file, _, pointer = key.partition("#")
        if file == root.file and pointer.startswith("/components/"):
            used.add("/".join(pointer.split("/", 4)[:4]))
    found = []
    for group in _COMPONENT_GROUPS:
        entries = components.get(group)
        if not isinstance(entries, dict):
            continue
        for name in entries:
            node = root.child("components").child(group).child(name)
            if node.pointer in used:
                continue
            found.append(
                Diagnostic(
                    "warning",
                    documents.where(node),
                    f"The component {name!r} in components.{group} is never referenced, so "
                    "nothing is generated from it.",
                )
            )
    return found
