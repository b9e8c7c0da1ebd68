"""Check that a generated module holds only what the templates produce.

Document text may appear in strings and comments, and (sanitized) in identifiers;
imports are limited to the standard modules the templates use, ``amqp_events`` and the
package's own modules; nothing calls the usual ways of running code from text.

``code_shape`` is the stronger check: a module's syntax tree with every identifier
and every string replaced by one word. A hostile document and a
twin whose texts are replaced by plain words must give modules of the same shape; any
text that escaped into code would add syntax that the twin does not have.
"""

from __future__ import annotations

import ast
import copy
import io
import keyword
import tokenize
from pathlib import Path

__all__ = ["ALLOWED_IMPORTS", "PACKAGE_MODULES", "assert_only_template_code", "code_shape"]

ALLOWED_IMPORTS = frozenset(
    {
        "__future__",
        "abc",
        "collections.abc",
        "dataclasses",
        "datetime",
        "typing",
        "uuid",
        "amqp_events",
        "amqp_events.binding",
        "amqp_events.codec",
        "amqp_events.schema",
        "amqp_events.wire",
    }
)
PACKAGE_MODULES = frozenset(
    {"", "events", "examples", "handlers", "payloads", "publishers", "schemas", "topology"}
)
_FORBIDDEN = frozenset({"eval", "exec", "compile", "system", "__import__", "getattr", "open"})


def assert_only_template_code(path: Path, *, mark: str, package: str) -> None:
    """Fail when document text (starting with ``mark``) escaped into code in ``path``."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        # Names made from document names are sanitized words (print_pwned), never code.
        if token.type not in (tokenize.STRING, tokenize.COMMENT, tokenize.NAME):
            assert mark not in token.string, f"{path}:{token.start[0]}: {token.line!r}"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert (node.module or "") in PACKAGE_MODULES, f"{path}: {node.module}"
        elif isinstance(node, ast.ImportFrom):
            assert node.module in ALLOWED_IMPORTS | {package}, f"{path}: {node.module}"
        elif isinstance(node, ast.Import):
            modules = {alias.name for alias in node.names}
            assert modules <= ALLOWED_IMPORTS | {package}, f"{path}: imports {modules}"
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            assert name not in _FORBIDDEN, f"{path}: {name}"
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            assert not keyword.iskeyword(node.name), f"{path}: {node.name}"


class _Renamed(ast.NodeTransformer):
    """Every identifier and every string replaced by one word.

    Identifiers lose even their identity: two names that happen to be equal in one
    document (``decode_x`` in two modules) may differ in its twin.
    """

    def _name(self, name: str) -> str:
        del name
        return "name"

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._name(node.id)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        node.attr = self._name(node.attr)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.name = self._name(node.name)
        self.generic_visit(node)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        node.name = self._name(node.name)
        self.generic_visit(node)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._name(node.arg)
        self.generic_visit(node)
        return node

    def visit_keyword(self, node: ast.keyword) -> ast.AST:
        if node.arg is not None:
            node.arg = self._name(node.arg)
        self.generic_visit(node)
        return node

    def visit_alias(self, node: ast.alias) -> ast.AST:
        node.name = self._name(node.name)
        node.asname = self._name(node.asname) if node.asname else None
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            node.value = "text"
        return node


def _statement_shape(statement: ast.stmt) -> str:
    # Definitions are ordered by name, which differs between the two documents: the
    # statements of a module or class body are compared as a sorted list.
    if isinstance(statement, ast.ClassDef):
        head = copy.deepcopy(statement)
        body = sorted(_statement_shape(inner) for inner in head.body)
        head.body = [ast.Pass()]
        return ast.dump(_Renamed().visit(head)) + "{" + "; ".join(body) + "}"
    return ast.dump(_Renamed().visit(copy.deepcopy(statement)))


def code_shape(path: Path) -> list[str]:
    """The module's statements without their names and texts, sorted."""
    module = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(_statement_shape(statement) for statement in module.body)
