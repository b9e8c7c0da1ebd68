"""Document text and values as inert Python source: string literals, docstrings, comments, JSON.

Whatever a document says (quotes, triple quotes, backslashes, newlines, ``{{ }}``, bidi
controls, confusable letters) reaches generated code only through these functions, and
ends up inside a literal or a comment, where it cannot become code. Everything that is
not printable ASCII is escaped, so generated source is plain ASCII: nothing hides in
it, and a line's length is its width. The forms are the ones ``ruff format`` keeps:
quotes as ruff prefers them, docstrings wrapped to the line length.
"""

from __future__ import annotations

import json
import math
import re
import textwrap

from generator.emit.width import INDENT, LINE_LENGTH

__all__ = ["comment", "docstring", "json_text", "scalar", "sentence", "string", "summary"]

_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r"[^ -\[\]-~]")
"""Anything but printable ASCII without the backslash."""
_PLAIN_LINE = re.compile(r"[!#-\[\]-~][ !#-\[\]-~]*[!#-\[\]-~]|[!#-\[\]-~]")
"""Printable ASCII without quotes or backslashes, not starting or ending with a space."""
_SPACES = re.compile(r"\s+")
_JSON_WIDTH = 88
"""JSON lines stay a little short of the line length, so they read as a block."""


def _escape_char(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 32 <= code < 127:
        return char
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _escaped(value: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda match: _escape_char(match.group()), value)


def string(value: str) -> str:
    """A string literal that evaluates to ``value``, quoted as ruff prefers."""
    body = _escaped(value) if _NEEDS_ESCAPE.search(value) else value
    # ruff keeps double quotes unless the text has more double than single quotes.
    if value.count('"') > value.count("'"):
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


def scalar(value: str | float | bool | None) -> str:
    """Python source of a JSON scalar (also usable inside ``Literal[...]`` but floats)."""
    if isinstance(value, str):
        return string(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    return repr(value)


def summary(*texts: str) -> str:
    """The first non-empty text, as one line: whitespace collapsed, trimmed."""
    for text in texts:
        line = _SPACES.sub(" ", text).strip()
        if line:
            return line
    return ""


def sentence(text: str) -> str:
    """``text`` as one sentence: whitespace collapsed, and a full stop unless it has one."""
    line = summary(text)
    return line if not line or line[-1] in ".!?" else line + "."


def _docstring_line(line: str) -> str:
    if '"' not in line:
        return line
    # Quotes are escaped where they could end the literal or merge with its quotes.
    return re.sub(r'"(?=")|(?<=")"|^"|"$', '\\\\"', line)


def _paragraph_lines(text: str, width: int) -> list[str]:
    """The docstring's lines: escaped, re-indented as ruff would, wrapped to ``width``."""
    plain = text.expandtabs(4).replace("\r\n", "\n").replace("\r", "\n")
    # Escaping first leaves spaces as the only whitespace, so indentation is plain.
    lines = [_escaped(raw.rstrip()) for raw in plain.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return []
    # ruff strips the first line and dedents the others by their common indentation.
    rest = lines[1:]
    margin = min((len(line) - len(line.lstrip()) for line in rest if line.strip()), default=0)
    result: list[str] = []
    for line in [lines[0].lstrip(), *(line[margin:] for line in rest)]:
        if not line.strip():
            if result and result[-1]:
                result.append("")
            continue
        lead = line[: len(line) - len(line.lstrip())]
        wrapped = textwrap.wrap(
            line.strip(),
            width=max(width - len(lead), 20),
            break_long_words=False,
            break_on_hyphens=False,
        )
        result.extend(lead + part for part in wrapped)
    return result


def docstring(text: str, *, indent: int) -> tuple[list[str], str]:
    """Lines of a docstring for ``text`` at ``indent``, and its text as written.

    The text is escaped before it is wrapped (an escape only lengthens a word), so the
    lines fit the line length unless a single word is longer. The returned text equals
    the docstring's value wherever that is printable ASCII, which is all that ruff's
    string checks look at. Paragraphs and indented blocks keep their shape.
    """
    pad = " " * indent
    width = LINE_LENGTH - indent - 2 * INDENT
    if indent + len(text) + 6 <= LINE_LENGTH and _PLAIN_LINE.fullmatch(text):
        # The common case: one plain line that fits with its quotes needs no escapes.
        content = [text]
    else:
        content = _paragraph_lines(text, width) or ["Undocumented."]
    escaped = [_docstring_line(line) for line in content]
    first = f'{pad}"""{escaped[0]}'
    if len(escaped) == 1:
        # One line stays one line even when it is too long: ruff would join it anyway.
        return [first + '"""'], content[0]
    lines = [first, *(f"{pad}{line}" if line else "" for line in escaped[1:]), f'{pad}"""']
    return lines, "\n".join(content)


def comment(text: str, *, indent: int = 0) -> list[str]:
    """``# text`` lines, wrapped, that say ``text`` and nothing else."""
    body = _SPACES.sub(" ", _escaped(_SPACES.sub(" ", text))).strip()
    width = LINE_LENGTH - indent - 2
    lines = textwrap.wrap(body, width=width, break_long_words=False) or [""]
    pad = " " * indent
    return [f"{pad}# {line}".rstrip() for line in lines]


def json_text(value: object, *, indent: int) -> list[str]:
    """Lines of a raw string literal holding ``value`` as indented, ASCII-only JSON.

    Objects and arrays stay on one line when they fit, and otherwise have one member per
    line. JSON escapes every quote and backslash inside its strings, so the text can
    hold no ``\"\"\"`` and a raw literal reads it back unchanged.
    """
    pad = " " * indent
    lines: list[str] = []
    _json_lines(value, pad, "", "", lines)
    return [f'{pad}r"""', *lines, f'{pad}"""']


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(", ", ": "))


def _json_lines(value: object, pad: str, head: str, tail: str, lines: list[str]) -> None:
    """Append ``head + value + tail`` at ``pad``, exploding containers that do not fit."""
    compact = _compact(value)
    if len(pad) + len(head) + len(compact) + len(tail) <= _JSON_WIDTH or not value:
        lines.append(f"{pad}{head}{compact}{tail}")
        return
    inner = pad + "  "
    if isinstance(value, dict):
        lines.append(f"{pad}{head}{{")
        for number, (key, item) in enumerate(value.items(), start=1):
            comma = "," if number < len(value) else ""
            _json_lines(item, inner, f"{_compact(key)}: ", comma, lines)
        lines.append(f"{pad}}}{tail}")
    elif isinstance(value, list):
        lines.append(f"{pad}{head}[")
        for number, item in enumerate(value, start=1):
            _json_lines(item, inner, "", "," if number < len(value) else "", lines)
        lines.append(f"{pad}]{tail}")
    else:
        lines.append(f"{pad}{head}{compact}{tail}")  # a long string stays whole
