"""What the templates of the sending side need: events.py and publishers.py."""

from __future__ import annotations

import dataclasses
from typing import Any

from generator.emit.layout import Doc, call, subscript, tuple_of
from generator.emit.module import Module
from generator.plan import PackagePlan, Param, Sent
from generator.render.shared import exchange_spec, signature

__all__ = ["events_context", "publishers_context"]


def _outgoing(module: Module, sent: Sent) -> Doc:
    fields: dict[str, Doc | str] = {
        "name": module.literal(sent.channel.address),
        "encode": f"payloads.{sent.payload.encode}",
        "schema": f"schemas.{sent.payload.schema}",
    }
    if sent.headers is not None:
        fields["headers_schema"] = f"schemas.{sent.headers.schema}"
    if sent.channel.exchange.name is not None:
        fields["exchange"] = exchange_spec(module, sent.channel.exchange)
    fields["message_type"] = module.literal(sent.message.type_name)
    if sent.message.content_type != "application/json":
        fields["content_type"] = module.literal(sent.message.content_type)
    publish = sent.operation.publish
    for option in dataclasses.fields(publish):
        value = getattr(publish, option.name)
        if value is not None:
            fields[option.name] = module.literal(value)
    # The payload type is inferred from ``encode``, which keeps the first line short.
    return call("amqp_events.OutgoingEvent", **fields)


def events_context(plan: PackagePlan, module: Module) -> dict[str, Any]:
    """The values events.py.jinja renders; its imports and exports go to ``module``."""
    messages = [m for r in plan.received for m in r.messages]
    validators = []
    for r in plan.received:
        for m in r.messages:
            event = module.literal(r.channel.address)
            validators.append(
                (
                    m.payload_validator,
                    call("SchemaValidator", f"schemas.{m.payload.schema}", event=event),
                )
            )
            if m.headers is not None and m.headers_validator is not None:
                headers_event = module.literal(f"{r.channel.address} (headers)")
                validators.append(
                    (
                        m.headers_validator,
                        call("SchemaValidator", f"schemas.{m.headers.schema}", event=headers_event),
                    )
                )
    imports = module.imports
    imports.names("typing", "Any", "Final").module("amqp_events")
    imports.names("amqp_events", "PackageBinding")
    imports.names(".", "payloads", "schemas", "topology")
    if messages:
        imports.names("amqp_events", "SchemaValidator")
    if any(m.headers for m in messages):
        imports.names("amqp_events", "codec")
    module.exports = ["PACKAGE", "OUTGOING", *(s.constant for s in plan.sent)]
    module.exports += [m.decode for m in messages]
    module.exports += [m.decode_headers for m in messages if m.decode_headers]
    return {
        "binding": call("PackageBinding", module.literal(plan.service.package), "topology.SERVICE"),
        "sent": [(s, _outgoing(module, s)) for s in plan.sent],
        # Every sent message, several per channel included: the runtime tells them apart
        # by their AMQP type.
        "outgoing": tuple_of(s.constant for s in plan.sent),
        "validators": validators,
        "messages": messages,
        "signature": signature,
        "call": call,
    }


def _annotation(module: Module, parameter: Param) -> str:
    if not parameter.enum:
        return "str"
    return f"Literal[{', '.join(module.literal(value) for value in parameter.enum)}]"


def _fire_signature(module: Module, sent: Sent) -> list[str]:
    params = [f"payload: {sent.payload.annotation}", "*"]
    params += [f"{p.python}: {_annotation(module, p)}" for p in sent.parameters]
    if sent.headers is not None:
        if sent.message.headers_required:
            params.append(f"headers: {sent.headers.annotation}")
        else:
            params.append(f"headers: {sent.headers.annotation} | None = None")
    else:
        params.append("headers: amqp_events.Headers | None = None")
    params += ["correlation_id: str | None = None", "message_id: str | None = None"]
    return params


def _publish_call(module: Module, sent: Sent, *, collected: bool) -> Doc:
    kwargs: dict[str, Doc | str] = {}
    if sent.parameters:
        parts: list[Doc | str] = []
        names = {p.name: p.python for p in sent.parameters}
        for text, is_parameter in sent.channel.address_parts():
            if is_parameter:
                parts.append(call("codec.channel_word", module.literal(text), names[text]))
            else:
                parts.append(module.literal(text))
        kwargs["routing_key"] = call("codec.routing_key", *parts)
    kwargs["headers"] = "sent_headers" if collected else "headers"
    kwargs["correlation_id"] = "correlation_id"
    kwargs["message_id"] = "message_id"
    return call("events.PACKAGE.app.publish", f"events.{sent.constant}", "payload", **kwargs)


def publishers_context(plan: PackagePlan, module: Module) -> dict[str, Any]:
    """The values publishers.py.jinja renders; its imports and exports go to ``module``."""
    needs_codec = False
    functions = []
    for sent in plan.sent:
        correlation = sent.message.correlation_id
        header = correlation.header if correlation else None
        collected = sent.headers is not None or header is not None
        needs_codec |= (
            bool(sent.parameters)
            or sent.headers is not None
            or (correlation is not None and correlation.source == "payload")
        )
        functions.append(
            {
                "sent": sent,
                "signature": signature(sent.function, _fire_signature(module, sent), "str"),
                "collected": collected,
                "encode_headers": (
                    call(
                        "codec.headers_object",
                        call(f"payloads.{sent.headers.encode}", "headers"),
                    )
                    if sent.headers is not None
                    else None
                ),
                "correlation_header": (
                    subscript("sent_headers", module.literal(header))
                    if header is not None
                    else None
                ),
                "correlation_payload": (
                    call(
                        "codec.text_at",
                        call(f"events.{sent.constant}.encode", "payload"),
                        module.literal(correlation.pointer),
                    )
                    if correlation is not None and correlation.source == "payload"
                    else None
                ),
                "publish": _publish_call(module, sent, collected=collected),
            }
        )
    imports = module.imports
    if plan.sent:
        imports.names(".", "events", "payloads")
    if any(sent.headers is None for sent in plan.sent):
        imports.module("amqp_events")  # for amqp_events.Headers
    if needs_codec:
        imports.names("amqp_events", "codec")
    if any(p.enum for s in plan.sent for p in s.parameters):
        imports.names("typing", "Literal")
    module.exports = [s.function for s in plan.sent]
    return {"functions": functions}
