"""Finish rendered modules: one trailing newline, syntax verified.

The emitter already lays code out as ``ruff format`` does and frames each module with
the lint exemptions its document text needs (``emit.module``). What is left is a check
on the renderer itself: each module is parsed once, so a rendering mistake stops
generation with a clear error instead of writing code that does not import.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping

__all__ = ["FormatError", "finish", "finish_all"]


class FormatError(Exception):
    """A rendered module is not valid Python: a defect of the generator, not the document."""


def finish(path: str, text: str, *, verify: bool = True) -> str:
    """Return the module ready to write; raise ``FormatError`` if it is not valid Python.

    ``verify=False`` skips parsing, for modules another stage rendered and verified.
    """
    text = text.rstrip("\n") + "\n" if text.strip() else ""
    if verify and path.endswith(".py"):
        try:
            ast.parse(text, filename=path)
        except SyntaxError as error:
            raise FormatError(
                f"The generated module {path} is not valid Python (line {error.lineno}: "
                f"{error.msg}); this is a defect of amqp-events-gen, please report it."
            ) from None
    return text


def finish_all(files: Mapping[str, str], *, verified: Collection[str] = ()) -> dict[str, str]:
    """Finish every module of a tree; paths in ``verified`` are not parsed again."""
    return {path: finish(path, text, verify=path not in verified) for path, text in files.items()}
