"""Python names made from document names: always valid, never keywords, never colliding.

Document names can hold anything (``RPC:_:RpcHandler``, ``user/signedUp``, ``2fa``,
``class``); these functions reduce them to ASCII words and join them in the case each
kind of Python name uses. Callers add a prefix (``fire_``, ``on_``) or use ``unique``
so the result is never a keyword and never repeats.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import sys
import unicodedata
from collections.abc import Collection

__all__ = [
    "RESERVED_PACKAGES",
    "constant_name",
    "package_problem",
    "pascal_name",
    "safe_identifier",
    "slug",
    "snake_name",
    "unique",
]

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_PACKAGE = re.compile(r"[a-z_][a-z0-9_]*")
MAX_NAME = 48
"""Longest name made from a document name, so generated lines stay short."""
RESERVED_PACKAGES = frozenset({"amqp_events", "generator", "celery", "kombu", "amqp", "tests"})
# pycodestyle's ambiguous names (E741): they read like 1 and 0.
_AMBIGUOUS = frozenset({"l", "O", "I"})


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORDS.findall(ascii_text)


def _bounded(name: str, text: str) -> str:
    # Long names are cut, with a digest of the whole text so two cut names still differ.
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{name[: MAX_NAME - 7].rstrip('_')}_{digest}"


def snake_name(text: str, *, fallback: str = "message") -> str:
    """``OrderCreated`` / ``order-created`` / ``RPC:_:Rpc`` -> ``order_created`` / ``rpc_rpc``."""
    words = _words(text)
    return _bounded("_".join(word.lower() for word in words), text) if words else fallback


def constant_name(text: str, *, fallback: str = "MESSAGE") -> str:
    """``orderCreated`` -> ``ORDER_CREATED``."""
    return snake_name(text, fallback=fallback.lower()).upper()


def pascal_name(text: str, *, fallback: str = "Message") -> str:
    """``order.created`` -> ``OrderCreated``."""
    words = _words(text)
    if not words:
        return fallback
    return _bounded("".join(word[:1].upper() + word[1:].lower() for word in words), text)


def slug(text: str, *, fallback: str = "service", limit: int = 60) -> str:
    """A service name from a title: ``Orders Service`` -> ``orders-service``, whole words only."""
    result = ""
    for word in _words(text):
        candidate = f"{result}-{word.lower()}" if result else word.lower()
        if len(candidate) > limit:
            break
        result = candidate
    return result or fallback


def safe_identifier(name: str, taken: Collection[str] = ()) -> str:
    """Make ``name`` usable as a parameter or attribute: no keyword, no leading digit, no
    name that reads like a digit (``l``, ``O``, ``I``)."""
    if not name or name[0].isdigit():
        name = f"n{name}"
    if (
        keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name in _AMBIGUOUS
        or name in taken
    ):
        name = f"{name}_"
    return name


def unique(name: str, used: set[str]) -> str:
    """Return ``name``, or ``name_2``, ``name_3`` ... whichever is not in ``used``; record it."""
    candidate = name
    counter = 2
    while candidate in used:
        candidate = f"{name}_{counter}"
        counter += 1
    used.add(candidate)
    return candidate


def package_problem(name: str) -> str | None:
    """Why ``name`` cannot be the generated package's name, or None when it can."""
    if not _PACKAGE.fullmatch(name):
        return (
            f"The package name {name!r} is not a plain Python module name; use lowercase "
            "letters, digits and '_', starting with a letter or '_' (for example 'orders_api')."
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"The package name {name!r} is a Python keyword."
    if name in sys.stdlib_module_names:
        return (
            f"The package name {name!r} is a module of the standard library; importing the "
            "generated package would shadow it."
        )
    if name in RESERVED_PACKAGES:
        return f"The package name {name!r} would shadow the package of the same name."
    return None
