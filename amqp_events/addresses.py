"""Channel addresses as routing keys: the rules the generator and the runtime share.

An AsyncAPI channel address such as ``orders.{region}.events`` is an event's name and,
with its ``{parameters}`` filled in, the routing key it is published with. Topic
exchanges match whole dot-separated words, so a handler queue is bound with each word
that holds a parameter replaced by ``*``, and a parameter's value must be one word.
``topic_matches`` is the exchange's side of it: which routing keys a binding key admits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

__all__ = [
    "PARAMETER",
    "address_parts",
    "binding_key",
    "fill_parameters",
    "inside_word_pattern",
    "is_routing_word",
    "parameter_names",
    "parameters_inside_words",
    "topic_matches",
]

PARAMETER: Final = re.compile(r"\{([^{}]*)\}")
"""A ``{name}`` placeholder in a channel address."""


def parameter_names(address: str) -> list[str]:
    """The ``{name}`` placeholders of an address, in order (a repeated one repeats)."""
    return PARAMETER.findall(address)


def binding_key(address: str) -> str:
    """The topic binding key of an address: each word holding a ``{parameter}`` becomes ``*``.

    A word that only partly is a parameter (``user-{id}``) becomes ``*`` too: a topic
    binding cannot match part of a word.
    """
    return ".".join("*" if PARAMETER.search(word) else word for word in address.split("."))


def parameters_inside_words(address: str) -> bool:
    """Tell whether some parameter shares its routing-key word with other text."""
    return any(
        PARAMETER.search(word) and not PARAMETER.fullmatch(word) for word in address.split(".")
    )


def address_parts(address: str) -> tuple[tuple[str, bool], ...]:
    """The address split into literal text and parameter names (flag True), in order."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in PARAMETER.finditer(address):
        if match.start() > position:
            parts.append((address[position : match.start()], False))
        parts.append((match.group(1), True))
        position = match.end()
    if position < len(address):
        parts.append((address[position:], False))
    return tuple(parts)


def fill_parameters(address: str, values: Mapping[str, str]) -> str:
    """The routing key of an address with each ``{parameter}`` replaced by its value."""
    return "".join(values[text] if is_name else text for text, is_name in address_parts(address))


@lru_cache(maxsize=1024)
def inside_word_pattern(address: str) -> re.Pattern[str] | None:
    """The exact routing keys of an address whose binding key admits more, else None.

    ``lights/{id}/on`` is bound with ``*``, which other events' keys match too; the
    pattern tells this address's keys apart.
    """
    if not parameters_inside_words(address):
        return None
    literal = (re.escape(text) for text in PARAMETER.split(address)[::2])
    return re.compile("[^.]*".join(literal))


def is_routing_word(value: str) -> bool:
    """Tell whether a parameter's value fills one routing-key word: not empty, no '.', '*', '#'."""
    return bool(value) and not any(char in value for char in ".*#")


def topic_matches(binding_key: str, routing_key: str) -> bool:
    """Tell whether a topic exchange routes ``routing_key`` through ``binding_key``.

    RabbitMQ's rule: both are split into dot-separated words; ``*`` stands for exactly
    one word and ``#`` for zero or more.
    """
    words = routing_key.split(".")
    # How many leading words the binding key's tokens read so far can stand for.
    matched = {0}
    for part in binding_key.split("."):
        if part == "#":
            matched = set(range(min(matched), len(words) + 1))
        else:
            matched = {n + 1 for n in matched if n < len(words) and part in ("*", words[n])}
        if not matched:
            return False
    return len(words) in matched
