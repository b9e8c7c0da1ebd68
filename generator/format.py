"""Finish rendered modules: one trailing newline, long lines marked, syntax verified.

The templates already lay code out as ``ruff format`` does; what is left is a string
from the document that is longer than a line and cannot be split. Such a line gets
``# noqa: E501`` exactly when ruff's line-length rule would report it (its width
counts wide characters twice, and a line of one word or ending in a URL is exempt).
Each module is parsed once, so a rendering mistake stops generation with a clear error
instead of writing code that does not import.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Collection, Mapping

from generator.render.literals import LINE_LENGTH, line_width

__all__ = ["FormatError", "finish", "finish_all", "line_width"]

_NOQA = "  # noqa: E501"


class FormatError(Exception):
    """A rendered module is not valid Python: a defect of the generator, not the document."""


def _reported(line: str) -> bool:
    if line_width(line) <= LINE_LENGTH:
        return False
    chunks = line.split()
    if len(chunks) <= 1:
        return False
    last = chunks[-1]
    if last.startswith(("http://", "https://")):
        start = line.rfind(last)
        return line_width(line[:start]) > LINE_LENGTH
    return True


def _untouchable(text: str) -> set[int]:
    """Lines (from 1) that cannot take a comment: inside multi-line strings, or commented."""
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and token.start[0] != token.end[0]:
            lines.update(range(token.start[0], token.end[0] + 1))
        elif token.type == tokenize.COMMENT:
            lines.add(token.start[0])
    return lines


def finish(path: str, text: str, *, verify: bool = True) -> str:
    """Return the module ready to write; raise ``FormatError`` if it is not valid Python.

    ``verify=False`` skips parsing, for modules another stage rendered and verified.
    """
    text = text.rstrip("\n") + "\n" if text.strip() else ""
    if not path.endswith(".py"):
        return text
    try:
        if verify:
            ast.parse(text, filename=path)
    except SyntaxError as error:
        raise FormatError(
            f"The generated module {path} is not valid Python (line {error.lineno}: "
            f"{error.msg}); this is a defect of amqp-events-gen, please report it."
        ) from None
    lines = text.split("\n")
    # Wide characters count at most twice, so shorter lines never need measuring.
    if not any(len(line) * 2 > LINE_LENGTH and line_width(line) > LINE_LENGTH for line in lines):
        return text
    untouchable = _untouchable(text)
    for index, line in enumerate(lines):
        if index + 1 not in untouchable and _reported(line):
            lines[index] = line + _NOQA
    return "\n".join(lines)


def finish_all(files: Mapping[str, str], *, verified: Collection[str] = ()) -> dict[str, str]:
    """Finish every module of a tree; paths in ``verified`` are not parsed again."""
    return {path: finish(path, text, verify=path not in verified) for path, text in files.items()}
