"""Python names from spec names: safe, readable, unique and the same on every run.

Spec names can be anything JSON allows: keywords, dunders, digits first, punctuation,
unicode, the empty string, hundreds of characters. Every name here goes through
``words`` (ASCII letters and digits only), is shaped as a class, attribute or constant
name, is kept short, and is claimed in a ``Namespace`` that refuses keywords,
reserved names and names that differ from a taken one only in case.
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = [
    "BUILTINS",
    "MAX_NAME",
    "Namespace",
    "attribute_name",
    "class_name",
    "constant_name",
    "function_name",
    "snake",
    "words",
]

MAX_NAME = 48
"""Longest name made from spec text; longer ones keep their first (or last) words."""

# Fixed rather than read from ``builtins`` so the output is the same on every Python.
BUILTINS = frozenset(
    """
    ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
    BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError
    ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError
    DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception
    ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError FutureWarning
    GeneratorExit IOError ImportError ImportWarning IndentationError IndexError
    InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
    ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError
    OSError OverflowError PendingDeprecationWarning PermissionError ProcessLookupError
    PythonFinalizationError RecursionError ReferenceError ResourceWarning RuntimeError
    RuntimeWarning StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError
    SystemExit TabError TimeoutError True TypeError UnboundLocalError UnicodeDecodeError
    UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning
    ValueError Warning ZeroDivisionError abs aiter all anext any ascii bin bool breakpoint
    bytearray bytes callable chr classmethod compile complex copyright credits delattr dict
    dir divmod enumerate eval exec exit filter float format frozenset getattr globals
    hasattr hash help hex id input int isinstance issubclass iter len license list locals
    map max memoryview min next object oct open ord pow print property quit range repr
    reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip
    """.split()  # noqa: SIM905 -- a word list reads better than 160 quoted names
)
"""Names of Python's builtins; module-level generated names never shadow them."""

_KEYWORDS = frozenset(keyword.kwlist) | frozenset({"match", "case", "type", "_"})

# Inside a generated class body these names are evaluated at run time (``field``)
# or by the type checker in the annotations of later fields.
_CLASS_BODY_NAMES = frozenset({"field", "str", "int", "float", "bool", "list", "dict", "tuple"})
# pycodestyle's ambiguous names (E741, E742, E743): they read like 1 and 0.
_AMBIGUOUS = frozenset({"l", "O", "I"})

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])\d*|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+[a-z]*")

# Typographic letters that ASCII spells with two letters.
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe"})


def words(text: str) -> list[str]:
    """Split spec text into ASCII words at punctuation, case changes and non-letters."""
    return list(_words(text))


@functools.lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    # Accents go (e + combining acute -> e); any other non-ASCII letter splits words.
    ascii_text = "".join(
        c if c.isascii() and c.isalnum() else " " for c in folded if not unicodedata.combining(c)
    )
    return tuple(_WORD.findall(ascii_text))


def _capitalized(word: str) -> str:
    return word[0].upper() + (word[1:].lower() if word.isupper() else word[1:])


def _capped(parts: list[str], *, keep_tail: bool) -> list[str]:
    """Drop whole words (from the end, or the start with ``keep_tail``) beyond MAX_NAME."""
    parts = [part[:MAX_NAME] for part in parts]
    while len(parts) > 1 and sum(map(len, parts)) + len(parts) - 1 > MAX_NAME:
        parts = parts[1:] if keep_tail else parts[:-1]
    return parts


def class_name(*texts: str, fallback: str = "Unnamed", keep_tail: bool = False) -> str:
    """``CapWords`` name from spec texts joined in order (``"order", "id"`` -> ``OrderId``)."""
    parts = _capped(
        [_capitalized(w) for text in texts for w in words(text)] or [fallback],
        keep_tail=keep_tail,
    )
    name = "".join(parts)
    return name if not name[0].isdigit() else "Schema" + name


def attribute_name(text: str) -> str:
    """``snake_case`` attribute name for a property, e.g. ``orderId`` -> ``order_id``."""
    parts = _capped([w.lower() for w in words(text)] or ["unnamed"], keep_tail=False)
    name = "_".join(parts)
    if name[0].isdigit():
        name = "field_" + name
    if name in _KEYWORDS - {"match", "case", "type"} or name in _CLASS_BODY_NAMES | _AMBIGUOUS:
        name += "_"
    return name


def snake(name: str) -> str:
    """``snake_case`` of a name made here, e.g. ``OrderCreated`` -> ``order_created``."""
    return "_".join(w.lower() for w in words(name))


def function_name(prefix: str, type_name: str) -> str:
    """``snake_case`` function name for a class, e.g. ``encode``, ``OrderCreated``."""
    return f"{prefix}_{snake(type_name)}"


def constant_name(*texts: str, private: bool = False) -> str:
    """``UPPER_SNAKE`` constant name, e.g. ``OrderCreated`` -> ``ORDER_CREATED``."""
    parts = _capped(
        [w.upper() for text in texts for w in words(text)] or ["UNNAMED"], keep_tail=False
    )
    name = "_".join(parts)
    if name[0].isdigit():
        name = "SCHEMA_" + name
    return "_" + name if private else name


def _numbered(name: str, number: int) -> str:
    if "_" in name or not name[0].isupper():
        return f"{name.rstrip('_')}_{number}"
    # CapWords (an underscore would break them): a digit after a digit would read as
    # one number (Payload1 + 2 -> Payload12), hence Payload1N2.
    return f"{name}{number}" if not name[-1].isdigit() else f"{name}N{number}"


class Namespace:
    """The names of one scope; ``claim`` hands out each name once.

    Names differ from each other in more than case (``Money`` and ``money`` are never
    both handed out), and never equal a keyword, a builtin or a name pycodestyle finds
    ambiguous (exact case: ``Open`` and ``o`` are fine, ``open`` and ``O`` are not).
    """

    def __init__(self, reserved: Iterable[str] = (), *, python_names: bool = True) -> None:
        self._taken = {name.casefold() for name in reserved}
        self._exact = _KEYWORDS | BUILTINS | _AMBIGUOUS if python_names else frozenset()

    def is_free(self, name: str) -> bool:
        """Tell whether ``name`` can still be claimed."""
        return name.casefold() not in self._taken and name not in self._exact

    def _take(self, name: str) -> str:
        self._taken.add(name.casefold())
        return name

    def claim(self, candidates: Sequence[str]) -> str:
        """Claim the first free candidate, or the first one with the lowest free number."""
        for candidate in candidates:
            if self.is_free(candidate):
                return self._take(candidate)
        number = 2
        while not self.is_free(_numbered(candidates[0], number)):
            number += 1
        return self._take(_numbered(candidates[0], number))

    def claim_together(self, base: str, derived: Sequence[str]) -> str:
        """Claim ``base`` and each ``derived`` pattern (``"encode_{}"``) filled with it.

        ``derived`` patterns get the snake_case form of the claimed base name; the base
        is numbered until all of them are free.
        """
        number = 1
        while True:
            name = base if number == 1 else _numbered(base, number)
            names = [name, *(pattern.format(snake(name)) for pattern in derived)]
            if all(self.is_free(n) for n in names) and len({n.casefold() for n in names}) == len(
                names
            ):
                for claimed in names:
                    self._take(claimed)
                return name
            number += 1
