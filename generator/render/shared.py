"""Layout values that several module templates build: tuples, dicts, signatures, exchanges."""

from __future__ import annotations

from collections.abc import Iterable

from amqp_events.events import ExchangeSpec
from generator.render.layout import Brackets, Expr, Pair, atom, brackets, call
from generator.render.literals import py_str

__all__ = ["dict_of", "exchange_spec", "signature", "tuple_of"]


def tuple_of(items: Iterable[Expr | str]) -> Brackets:
    """A tuple display."""
    return brackets("", "(", ")", list(items))


def dict_of(pairs: Iterable[tuple[str, Expr | str]]) -> Brackets:
    """A dict display of source-text keys and values."""
    return brackets(
        "", "{", "}", [Pair(atom(k), atom(v) if isinstance(v, str) else v) for k, v in pairs]
    )


def exchange_spec(exchange: ExchangeSpec) -> Brackets:
    """``amqp_events.ExchangeSpec(name=..., type=...)`` for a named exchange.

    The durable and auto-delete flags are spelled out only when they differ from the
    runtime's defaults (durable, not auto-deleted), which keeps the common case short.
    """
    flags: dict[str, str] = {}
    if not exchange.durable:
        flags["durable"] = "False"
    if exchange.auto_delete:
        flags["auto_delete"] = "True"
    return call(
        "amqp_events.ExchangeSpec",
        name=py_str(exchange.name or ""),
        type=py_str(exchange.type),
        **flags,
    )


def signature(name: str, params: list[str], returns: str) -> tuple[Brackets, str]:
    """A ``def`` line: its bracketed parameters and what follows them."""
    return brackets(f"def {name}", "(", ")", params), f" -> {returns}:"
