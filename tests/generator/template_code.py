"""Check that a generated module holds only what the templates produce.

Document text may appear in strings and comments, and (sanitized) in identifiers;
imports are limited to the standard modules the templates use, ``amqp_events`` and the
package's own modules; nothing calls the usual ways of running code from text.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from pathlib import Path

__all__ = ["ALLOWED_IMPORTS", "PACKAGE_MODULES", "assert_only_template_code"]

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
