"""Layout values that several module templates build: exchanges and ``def`` lines."""

from __future__ import annotations

from amqp_events.events import ExchangeSpec
from generator.emit.layout import Doc, Group, Seq, Text, call
from generator.emit.module import Module

__all__ = ["exchange_spec", "signature"]


def exchange_spec(module: Module, exchange: ExchangeSpec) -> Doc:
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
        name=module.literal(exchange.name or ""),
        type=module.literal(exchange.type),
        **flags,
    )


def signature(name: str, params: list[str], returns: str) -> tuple[Doc, str]:
    """A ``def`` line: its bracketed parameters and what follows them."""
    # ruff ends exploded parameters with a comma, even a single one.
    parameters = Group("(", tuple(map(Text, params)), ")", magic_comma=True)
    return Seq((Text(f"def {name}"), parameters)), f" -> {returns}:"
