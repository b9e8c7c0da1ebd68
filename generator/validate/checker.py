"""The machinery the validation rules share: report, walk fields, follow references.

A rule is a function ``(checker, node) -> None`` for one kind of AsyncAPI object; it
reports every problem it sees and never stops early. ``Checker.object`` checks an
object's fields against a table of rules, ``ref_or`` lets a field hold a Reference
Object instead, and each referenced object is checked once, in the file that holds it.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from generator.diagnostics import Diagnostic, Level
from generator.documents import Documents, Node, RefProblem, is_reference
from generator.words import describe, one_of, suggestion

__all__ = [
    "OUR_EXTENSIONS",
    "Checker",
    "Rule",
    "SchemaRole",
    "SchemaSite",
    "Version",
    "any_value",
    "boolean",
    "integer",
    "list_of",
    "map_of",
    "number",
    "ref_or",
    "string",
    "strings",
]

Version = tuple[int, int]
"""Major and minor version of the AsyncAPI document."""

Rule = Callable[["Checker", Node], None]
OUR_EXTENSIONS = frozenset(
    {"x-amqp-events-service", "x-amqp-events-retry", "x-amqp-events-archive"}
)
SchemaRole = Literal["payload", "headers", "component", "parameter"]


@dataclass(frozen=True, slots=True)
class SchemaSite:
    """A JSON Schema the document declares, with the format it is written in."""

    node: Node
    role: SchemaRole
    schema_format: str | None = None


@dataclass
class Checker:
    """Collects diagnostics while rules walk a document."""

    documents: Documents
    version: Version
    diagnostics: list[Diagnostic] = field(default_factory=list)
    schema_sites: list[SchemaSite] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)
    """Keys (``file#pointer``) of every place a reference the rules followed named."""
    _checked: set[tuple[str, str]] = field(default_factory=set)

    # -- reporting -----------------------------------------------------------------------

    def report(self, level: Level, node: Node, message: str) -> None:
        """Record a diagnostic at ``node``."""
        self.diagnostics.append(Diagnostic(level, self.documents.where(node), message))

    def error(self, node: Node, message: str) -> None:
        """Record an error at ``node``."""
        self.report("error", node, message)

    def warning(self, node: Node, message: str) -> None:
        """Record a warning at ``node``."""
        self.report("warning", node, message)

    def at_least(self, minor: int) -> bool:
        """Tell whether the document's 2.x or 3.x minor version is ``minor`` or later."""
        return self.version[1] >= minor

    # -- objects -------------------------------------------------------------------------

    def object(
        self,
        node: Node,
        what: str,
        rules: Mapping[str, Rule],
        *,
        required: Sequence[str] = (),
    ) -> dict[str, object] | None:
        """Check that ``node`` is an object with only known fields; run each field's rule."""
        value = node.value
        if not isinstance(value, dict):
            self.error(node, f"{what} must be an object, got {describe(value)}.")
            return None
        for name in required:
            if name not in value:
                self.error(node, f"{what} is missing its required field '{name}'.")
        for name in value:
            rule = rules.get(name)
            if rule is not None:
                rule(self, node.child(name))
            elif not name.startswith("x-"):
                self.error(
                    node.child(name),
                    f"{what} has no field '{name}'{suggestion(name, rules)}; its fields are "
                    f"{one_of(_fields(rules), conjunction='and')}, and extensions must start "
                    "with 'x-'.",
                )
            elif name.startswith("x-amqp-events-") and name not in OUR_EXTENSIONS:
                self.error(
                    node.child(name),
                    f"There is no extension '{name}'{suggestion(name, OUR_EXTENSIONS)}; ours are "
                    f"{one_of(sorted(OUR_EXTENSIONS), conjunction='and')}.",
                )
            elif name.startswith("x-amqp-events-"):
                self.warning(
                    node.child(name),
                    f"The extension '{name}' has no effect on the {what}; see the generator's "
                    "documentation for where each x-amqp-events-* extension belongs.",
                )
        return value

    def follow(self, node: Node) -> Node | None:
        """Follow the Reference Object at ``node`` one step, reporting a broken reference."""
        assert isinstance(node.value, dict)
        step = self.documents.follow(node.value["$ref"], node.file, self.referenced)
        if isinstance(step, RefProblem):
            self.error(node.child("$ref"), step.message)
            return None
        return step

    def reference(self, node: Node, rule: Rule, what: str) -> None:
        """Check a Reference Object and, once, the object it names with ``rule``."""
        end = self.documents.deref(node, self.referenced)
        if isinstance(end, RefProblem):
            self.error(node.child("$ref"), end.message)
            return
        if not isinstance(end.value, dict):
            self.error(
                node.child("$ref"),
                f"The reference must name {what}, which is an object, but it names "
                f"{describe(end.value)}.",
            )
            return
        self.visit(end, rule)

    def visit(self, node: Node, rule: Rule) -> None:
        """Run ``rule`` on ``node`` unless it already ran there (objects used twice)."""
        key = (node.key, rule.__qualname__)
        if key not in self._checked:
            self._checked.add(key)
            rule(self, node)

    def deref(self, node: Node) -> Node | RefProblem:
        """Follow references from ``node`` to the object at their end (or the problem)."""
        return self.documents.deref(node, self.referenced)

    def follow_ref(self, ref: builtins.object, base_file: str) -> Node | RefProblem:
        """Follow one ``$ref`` found in ``base_file`` (or say why it cannot be)."""
        return self.documents.follow(ref, base_file, self.referenced)

    def resolve(self, node: Node) -> Node | None:
        """Return the object at ``node``, following references; None if that fails."""
        end = self.documents.deref(node, self.referenced)
        return None if isinstance(end, RefProblem) else end


def _fields(rules: Mapping[str, Rule]) -> list[str]:
    return sorted(name for name in rules if not name.startswith("x-"))


def ref_or(rule: Rule, what: str) -> Rule:
    """A rule for a field that holds either an object checked by ``rule`` or a reference."""

    def check(checker: Checker, node: Node) -> None:
        if is_reference(node.value):
            checker.reference(node, rule, what)
        else:
            checker.visit(node, rule)

    check.__qualname__ = f"ref_or({rule.__qualname__})"
    return check


def _typed(kind: type | tuple[type, ...], name: str) -> Rule:
    def check(checker: Checker, node: Node) -> None:
        value = node.value
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            checker.error(node, f"The field must be {name}, got {describe(value)}.")

    return check


string = _typed(str, "a string")
boolean = _typed(bool, "a boolean")
integer = _typed(int, "an integer")
number = _typed((int, float), "a number")


def any_value(checker: Checker, node: Node) -> None:
    """Accept any JSON value (defaults, examples, enums of values)."""
    del checker, node


def strings(checker: Checker, node: Node) -> None:
    """A list of strings."""
    list_of(string, what="a list of strings")(checker, node)


def list_of(rule: Rule, *, what: str = "a list") -> Rule:
    """A rule for a list whose every item ``rule`` checks."""

    def check(checker: Checker, node: Node) -> None:
        if not isinstance(node.value, list):
            checker.error(node, f"The field must be {what}, got {describe(node.value)}.")
            return
        for index in range(len(node.value)):
            rule(checker, node.child(index))

    return check


def map_of(rule: Rule, *, what: str, key_pattern: str | None = None) -> Rule:
    """A rule for a map of names to values that ``rule`` checks, with optional key syntax."""
    pattern = re.compile(key_pattern) if key_pattern else None

    def check(checker: Checker, node: Node) -> None:
        if not isinstance(node.value, dict):
            checker.error(node, f"{what} must be an object, got {describe(node.value)}.")
            return
        for name in node.value:
            if pattern is not None and not pattern.fullmatch(name):
                checker.error(
                    node.child(name),
                    f"The name {name!r} in {what} is not allowed; names must match {key_pattern}.",
                )
            rule(checker, node.child(name))

    return check
