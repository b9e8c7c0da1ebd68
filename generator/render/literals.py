"""Turn document text and values into inert Python source: literals, docstrings, comments.

Everything a document says (names, titles, descriptions, enum values, examples) reaches
generated code only through these functions, so a quote, a backslash, a newline or
template syntax in a document is always just text. The forms chosen are the ones
``ruff format`` leaves alone: string quotes as ruff prefers them, containers exploded
one item per line with a trailing comma, docstrings wrapped to the line length.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["LINE_LENGTH", "comment", "docstring", "line_width", "py_str", "py_value", "summary"]

LINE_LENGTH = 100
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SPACES = re.compile(r"\s+")
_QUOTE_RUNS = re.compile(r'^"|"(?=")|(?<=")"|"$')


def line_width(line: str) -> int:
    """The width of a line as ruff measures it: wide characters count twice."""
    if line.isascii():
        return len(line)
    width = 0
    for char in line:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _escape_char(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable() or char == " ":
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def py_str(value: str) -> str:
    """A string literal with the quotes ruff prefers: double, unless that escapes more."""
    quote = "'" if value.count('"') > value.count("'") else '"'
    if value.isascii() and value.isprintable() and "\\" not in value:
        body = value  # the common case: nothing to escape but the quote
    else:
        body = "".join(_escape_char(c) for c in value)
    body = body.replace(quote, "\\" + quote)
    return f"{quote}{body}{quote}"


def _scalar(value: object) -> str | None:
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        return f'float("{value}")' if math.isnan(value) or math.isinf(value) else repr(value)
    if isinstance(value, str):
        return py_str(value)
    return None


def py_value(value: object, indent: int = 0) -> str:
    """A JSON value as a Python literal; containers exploded so ruff keeps their layout."""
    scalar = _scalar(value)
    if scalar is not None:
        return scalar
    inner = " " * (indent + 4)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = "".join(
            f"{inner}{py_str(str(key))}: {py_value(item, indent + 4)},\n"
            for key, item in value.items()
        )
        return "{\n" + items + " " * indent + "}"
    if isinstance(value, Sequence):
        if not value:
            return "[]"
        items = "".join(f"{inner}{py_value(item, indent + 4)},\n" for item in value)
        return "[\n" + items + " " * indent + "]"
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def summary(*texts: str) -> str:
    """The first non-empty text, as one line: whitespace collapsed, trimmed."""
    for text in texts:
        line = _SPACES.sub(" ", text).strip()
        if line:
            return line
    return ""


def _docstring_text(text: str) -> str:
    escaped = "".join(_escape_char(c) if c not in "\n\r\t" else " " for c in text)
    escaped = _SPACES.sub(" ", escaped).strip()
    # A run of quotes could close the docstring; escape quotes next to quotes and at the end.
    return _QUOTE_RUNS.sub('\\\\"', escaped)


def docstring(text: str, indent: int = 0) -> str:
    """A docstring (quotes included) for ``text``, wrapped to fit at ``indent``."""
    body = _docstring_text(text) or "Undocumented."
    if body[-1] not in ".!?":
        body += "."
    if indent + line_width(body) + 6 <= LINE_LENGTH:
        return f'"""{body}"""'
    width = LINE_LENGTH - indent
    lines = _wrap(body, width)
    if len(lines) == 1:
        # ruff joins a docstring of one text line with its closing quotes, however long.
        lines = _wrap(body, max(len(body) // 2 + 4, 20))
    lines[0] = lines[0].removeprefix('"""')
    pad = " " * indent
    return '"""' + lines[0] + "".join(f"\n{pad}{line}" for line in lines[1:]) + f'\n{pad}"""'


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent='"""',
        break_long_words=False,
        break_on_hyphens=False,
    )


def comment(text: str, indent: int = 0) -> str:
    """``# text`` lines (wrapped) that say ``text`` and nothing else."""
    body = "".join(_escape_char(c) if c not in "\n\r\t" else " " for c in text)
    body = _SPACES.sub(" ", body).strip()
    lines = textwrap.wrap(body, width=LINE_LENGTH - indent - 2, break_long_words=False) or [""]
    pad = " " * indent
    return f"\n{pad}".join(f"# {line}".rstrip() for line in lines)
