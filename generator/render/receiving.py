"""What the templates of the receiving side need: handlers.py and the handler scaffold."""

from __future__ import annotations

from typing import Any

from generator.emit.layout import Doc, call, dict_of, set_of, tuple_of
from generator.emit.module import Module
from generator.plan import PackagePlan, Received, ReceivedMessage
from generator.render.shared import exchange_spec, signature

__all__ = ["handlers_context", "scaffold_context"]


def _handler_signature(m: ReceivedMessage) -> tuple[Doc, str]:
    """The ``def`` line of a ``Handlers`` method, in the interface and in the scaffold."""
    params = [
        "self",
        f"payload: {m.payload.annotation}",
        f"delivery: Delivery[{m.headers_annotation}]",
    ]
    return signature(m.method, params, "None")


def _binder_signature(binder: str) -> tuple[Doc, str]:
    return signature(binder, ["data: JsonValue", "delivery: Delivery[Headers]"], "_Dispatch")


def _incoming(module: Module, received: Received) -> Doc:
    if len(received.messages) == 1:
        decode: Doc | str = received.messages[0].binder
    else:
        by_type: dict[str, str] = {}
        for m in received.messages:
            by_type.setdefault(m.message.type_name, m.binder)
        decode = call(
            "_by_type",
            dict_of((module.literal(k), v) for k, v in by_type.items()),
            tuple_of(m.binder for m in received.messages),
        )
    fields: dict[str, Doc | str] = {
        "name": module.literal(received.channel.address),
        "decode": decode,
        "binding_keys": tuple_of(module.literal(key) for key in received.binding_keys),
    }
    if received.channel.exchange.name is not None:
        fields["exchange"] = exchange_spec(module, received.channel.exchange)
    fields["message_types"] = call(
        "frozenset", set_of(module.literal(t) for t in received.message_types)
    )
    if received.max_priority is not None:
        fields["max_priority"] = repr(received.max_priority)
    return call("amqp_events.IncomingEvent", **fields)


def handlers_context(plan: PackagePlan, module: Module) -> dict[str, Any]:
    """The values handlers.py.jinja renders; its imports and exports go to ``module``."""
    methods = []
    binders = []
    for received in plan.received:
        for m in received.messages:
            methods.append((m, _handler_signature(m)))
            headers = (
                call(
                    "delivery.with_headers",
                    call(f"events.{m.decode_headers}", "delivery.headers"),
                )
                if m.decode_headers
                else None
            )
            # A payload that can only be null is checked, not kept: mypy refuses to use
            # the result of a function that only returns None.
            kept = not m.payload.null_only
            where = m.message.correlation_id
            correlation = (
                call(
                    "codec.correlated",
                    "delivery",
                    "data",
                    source=module.literal(where.source),
                    pointer=module.literal(where.pointer),
                )
                if where is not None
                else None
            )
            binders.append(
                {
                    "message": m,
                    "signature": _binder_signature(m.binder),
                    "payload": call(f"events.{m.decode}", "data"),
                    "keeps_payload": kept,
                    "correlation": correlation,
                    "headers": headers,
                    # Typed headers make a delivery of another type; the rest pass it on.
                    "dispatch": call(
                        f"handlers.{m.method}",
                        "payload" if kept else "None",
                        "received" if headers is not None else "delivery",
                    ),
                }
            )
    multi = any(len(r.messages) > 1 for r in plan.received)
    imports = module.imports
    imports.names("collections.abc", "Callable")
    imports.names("typing", "Final", "TypeAlias")
    imports.module("amqp_events")
    if binders:
        imports.names("amqp_events", "Delivery", "Headers", "JsonValue")
    imports.names(".", "topology")
    if any(b["correlation"] is not None for b in binders):
        imports.names("amqp_events", "codec")
    if methods:
        imports.module("abc").names(".", "events")
    if any(
        m.payload.annotation.find("payloads.") >= 0 for r in plan.received for m in r.messages
    ) or any("payloads." in m.headers_annotation for r in plan.received for m in r.messages):
        imports.names(".", "payloads")
    if multi:
        imports.names("collections.abc", "Mapping")
    module.exports = [
        "Handlers",
        "RECEIVED",
        "register_handlers",
        *(r.constant for r in plan.received),
    ]
    return {
        "methods": methods,
        "binders": binders,
        "incoming": [(r, _incoming(module, r)) for r in plan.received],
        "received_tuple": tuple_of(r.constant for r in plan.received),
        "multi": multi,
    }


def scaffold_context(plan: PackagePlan, module: Module) -> dict[str, Any]:
    """The values scaffold.py.jinja renders; its imports go to ``module``."""
    methods = []
    uses_payloads = False
    uses_headers = False
    for received in plan.received:
        for m in received.messages:
            uses_payloads |= any(
                "payloads." in annotation
                for annotation in (m.payload.annotation, m.headers_annotation)
            )
            uses_headers |= m.headers is None
            methods.append((m, _handler_signature(m)))
    package = plan.service.package
    imports = module.imports
    if methods:
        imports.names("amqp_events", "Delivery", *(("Headers",) if uses_headers else ()))
    imports.names(package, *(("Handlers", "payloads") if uses_payloads else ("Handlers",)))
    return {"methods": methods}
