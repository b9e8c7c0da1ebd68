"""Turn values into the words of a diagnostic sentence."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["describe", "one_of", "suggestion"]


_CONTAINERS = {list: "a list", dict: "an object", type(None): "null"}


def describe(value: object) -> str:
    """Name the JSON type of a value with its article: ``a string``, ``null``."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    return _CONTAINERS.get(type(value), type(value).__name__)


def one_of(options: Iterable[str], *, conjunction: str = "or") -> str:
    """Join quoted options: ``'a', 'b' or 'c'``."""
    quoted = [f"'{option}'" for option in options]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


def suggestion(word: str, options: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` when an option is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
