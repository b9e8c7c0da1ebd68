"""Reading the parts of a document that 2.x and 3.x share into model values.

``Reader`` holds what building the model needs (the documents, the resolved schemas,
the diagnostics so far) and turns message, channel and binding objects into model
values. Documents were validated before, so this code only decides meaning; what it
cannot honour it says in a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Location
from generator.documents import Documents, Node, RefProblem, is_reference
from generator.model.values import (
    Archive,
    Channel,
    CorrelationId,
    Exchange,
    ExchangeType,
    Message,
    Parameter,
    Publish,
    Retry,
)
from generator.resolve import ResolvedSchemas
from generator.types import TypeRoot
from generator.validate import Version
from generator.validate.common import correlation_location, parameter_names

__all__ = ["Reader"]

_JSON_MEDIA = ("application/json", "text/json")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _is_json_media(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in _JSON_MEDIA or media.endswith("+json")


@dataclass
class Reader:
    """Turns validated document objects into model values, once per object."""

    documents: Documents
    schemas: ResolvedSchemas
    version: Version
    root: Node
    diagnostics: list[Diagnostic] = field(default_factory=list)
    roots: list[TypeRoot] = field(default_factory=list)
    _messages: dict[str, Message] = field(default_factory=dict)
    _channels: dict[str, Channel] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _warned: set[tuple[str, str]] = field(default_factory=set)

    # -- reporting ---------------------------------------------------------------------

    def where(self, node: Node) -> Location:
        """The location of a node."""
        return self.documents.where(node)

    def warn(self, node: Node, message: str) -> None:
        """Record a warning at ``node``, once per place and sentence."""
        if (node.key, message) not in self._warned:
            self._warned.add((node.key, message))
            self.diagnostics.append(Diagnostic("warning", self.where(node), message))

    def error(self, node: Node, message: str) -> None:
        """Record an error at ``node``."""
        self.diagnostics.append(Diagnostic("error", self.where(node), message))

    def deref(self, node: Node) -> Node:
        """Follow references; validation guarantees they resolve."""
        end = self.documents.deref(node)
        return node if isinstance(end, RefProblem) else end

    def fields(self, node: Node) -> dict[str, object]:
        """The object at ``node`` (after references), or an empty one."""
        value = self.deref(node).value
        return value if isinstance(value, dict) else {}

    # -- traits ------------------------------------------------------------------------

    def merged(self, node: Node) -> dict[str, Node]:
        """An object's fields with its traits applied, each field with its own place.

        2.x applies traits over the object (a trait's field wins); 3.x applies the
        object over its traits (the object's own field wins).
        """
        own = self.deref(node)
        value = own.value if isinstance(own.value, dict) else {}
        result = {key: own.child(key) for key in value if key != "traits"}
        traits = value.get("traits")
        if not isinstance(traits, list):
            return result
        for index in range(len(traits)):
            trait = self.deref(own.child("traits").child(index))
            if not isinstance(trait.value, dict):
                continue
            for key in trait.value:
                if self.version[0] == 2 or key not in result:
                    result[key] = trait.child(key)
        return result

    # -- channels ----------------------------------------------------------------------

    def channel(self, node: Node, channel_id: str, address: str, *, key: str) -> Channel:
        """The channel at ``node`` (already dereferenced), read once per ``key``."""
        known = self._channels.get(key)
        if known is not None:
            return known
        value = node.value if isinstance(node.value, dict) else {}
        channel = Channel(
            key=key,
            id=channel_id,
            address=address,
            parameters=tuple(self._parameters(node, address)),
            exchange=self._exchange(node),
            description=_text(value.get("description")),
            location=self.where(node),
        )
        if channel.parameters_inside_words:
            self.warn(
                node,
                f"The address {address!r} has a parameter inside a routing-key word; the "
                f"handler queue is bound with {channel.binding_key!r}, where '*' stands for the "
                "whole word. Separate parameters with '.' (e.g. 'users.{id}.signedup') so the "
                "binding matches only this channel's events.",
            )
        self._channels[key] = channel
        return channel

    def _parameters(self, node: Node, address: str) -> Iterator[Parameter]:
        declared = self.fields(node.child("parameters"))
        for name in dict.fromkeys(parameter_names(address)):
            spec = self.fields(node.child("parameters").child(name)) if name in declared else {}
            enum = spec.get("enum")
            if self.version[0] == 2:
                schema = spec.get("schema")
                enum = schema.get("enum") if isinstance(schema, dict) else None
            values = tuple(v for v in enum if isinstance(v, str)) if isinstance(enum, list) else ()
            yield Parameter(name=name, description=_text(spec.get("description")), enum=values)

    def _amqp(self, node: Node) -> Node | None:
        bindings = self.deref(node)
        if not isinstance(bindings.value, dict) or "amqp" not in bindings.value:
            return None
        return self.deref(bindings.child("amqp"))

    def _exchange(self, node: Node) -> Exchange:
        amqp = self._amqp(node.child("bindings"))
        if amqp is None or not isinstance(amqp.value, dict):
            return Exchange()
        exchange = amqp.value.get("exchange")
        if amqp.value.get("is") == "queue":
            self.warn(
                amqp.child("is"),
                "The channel is bound as a queue ('is: queue'); the service consumes it "
                "through its own queue '<service>.<address>', bound to the exchange with the "
                "address as routing key, and publishes to that exchange.",
            )
        if not isinstance(exchange, dict):
            return Exchange()
        place = amqp.child("exchange")
        name = exchange.get("name") if isinstance(exchange.get("name"), str) else None
        kind = exchange.get("type", "topic")
        if kind == "default" or not name:
            if kind not in ("topic", "default"):
                self.warn(
                    place,
                    f"The exchange has type {kind!r} but no name; events use the app's default "
                    "topic exchange instead.",
                )
            elif kind == "default":
                self.warn(
                    place.child("type"),
                    "The AMQP default exchange cannot be bound to; events use the app's "
                    "default topic exchange instead.",
                )
            return Exchange()
        vhost = exchange.get("vhost")
        if isinstance(vhost, str) and vhost not in ("", "/"):
            self.warn(
                place.child("vhost"),
                f"The vhost {vhost!r} is not chosen by generated code; it is part of the broker "
                "URL given to create_app().",
            )
        durable = exchange.get("durable", True)
        auto_delete = exchange.get("autoDelete", False)
        if durable is not True or auto_delete is not False:
            self.warn(
                place,
                f"The exchange {name!r} is declared durable={durable} autoDelete={auto_delete} in "
                "the document; topology.EXCHANGES records that, but amqp_events declares every "
                "exchange durable and not auto-deleted, so declaring it against an existing "
                "exchange with other flags fails.",
            )
        return Exchange(
            name=name,
            type=_EXCHANGE_TYPES.get(kind, "topic"),
            durable=durable is True,
            auto_delete=auto_delete is True,
        )

    # -- operations ----------------------------------------------------------------------

    def publish(self, node: Node) -> Publish:
        """AMQP publish options from an operation's bindings."""
        amqp = self._amqp(node)
        if amqp is None or not isinstance(amqp.value, dict):
            return Publish()
        value = amqp.value
        for unused in ("cc", "bcc", "replyTo", "userId", "timestamp"):
            if unused in value:
                self.warn(
                    amqp.child(unused),
                    f"The AMQP binding's {unused!r} is not used by generated code; events are "
                    "published with the channel address as routing key.",
                )
        mandatory = value.get("mandatory")
        return Publish(
            delivery_mode=1 if value.get("deliveryMode") == 1 else 2,
            priority=_whole(value.get("priority")),
            expiration_ms=_whole(value.get("expiration")),
            mandatory=mandatory if isinstance(mandatory, bool) else None,
        )

    def policies(self, *nodes: Node) -> tuple[Retry | None, Archive | None]:
        """The retry and archive extensions of the first of ``nodes`` that has each."""
        retry: Retry | None = None
        archive: Archive | None = None
        for node in nodes:
            value = node.value if isinstance(node.value, dict) else {}
            retry_spec = value.get("x-amqp-events-retry")
            if retry is None and isinstance(retry_spec, dict):
                retry = _retry(retry_spec)
            archive_spec = value.get("x-amqp-events-archive")
            if archive is None and isinstance(archive_spec, dict):
                ttl = archive_spec.get("ttl")
                archive = Archive(
                    ttl=float(ttl) if isinstance(ttl, int | float) else None,
                    max_length=_whole(archive_spec.get("max_length")),
                )
        return retry, archive

    # -- messages ------------------------------------------------------------------------

    def message(self, node: Node, fallback: str, default_content_type: str | None) -> Message:
        """The message at ``node`` (a reference or an object), read once."""
        end = self.deref(node)
        known = self._messages.get(end.key)
        if known is not None:
            return known
        fields = self.merged(end)

        def text(name: str) -> str:
            found = fields.get(name)
            return _text(found.value) if found is not None else ""

        name = text("name") or text("messageId") or fallback
        unique = self._unique(name, end.key)
        amqp = self._amqp(fields["bindings"]) if "bindings" in fields else None
        amqp_value = amqp.value if amqp is not None and isinstance(amqp.value, dict) else {}
        type_name = _text(amqp_value.get("messageType")) or name
        content_type = text("contentType") or default_content_type or "application/json"
        if not _is_json_media(content_type):
            place = fields.get("contentType", end)
            self.error(
                place,
                f"Message {name!r} has the content type {content_type!r}; amqp_events sends "
                "and receives JSON bodies only (application/json or a +json type).",
            )
        examples = self._examples(fields.get("examples"))
        payload_site = self._site(fields.get("payload"))
        payload = TypeRoot(
            key=f"messages/{unique}/payload",
            schema=self.schemas.roots.get(payload_site.key, {}) if payload_site else {},
            name_hint=name,
            location=self.where(payload_site or end),
            examples=tuple(e[0] for e in examples if e[0] is not _ABSENT),
        )
        self.roots.append(payload)
        headers: TypeRoot | None = None
        headers_site = self._site(fields.get("headers"))
        if headers_site is not None:
            headers = TypeRoot(
                key=f"messages/{unique}/headers",
                schema=self.schemas.roots.get(headers_site.key, {}),
                name_hint=f"{name}Headers",
                location=self.where(headers_site),
                examples=tuple(e[1] for e in examples if e[1] is not _ABSENT),
            )
            self.roots.append(headers)
        message = Message(
            key=end.key,
            name=name,
            type_name=type_name,
            payload=payload,
            headers=headers,
            headers_required=headers_site is not None and self._requires(headers_site),
            correlation_id=self._correlation(fields.get("correlationId"), headers is not None),
            title=text("title"),
            summary=text("summary"),
            description=text("description"),
            location=self.where(end),
        )
        if amqp_value.get("contentEncoding") not in (None, "", "utf-8", "utf8", "identity"):
            self.warn(
                amqp.child("contentEncoding") if amqp else end,
                "The AMQP contentEncoding is not applied: bodies are UTF-8 JSON.",
            )
        self._messages[end.key] = message
        return message

    def _unique(self, name: str, key: str) -> str:
        candidate = name
        counter = 2
        while self._names.setdefault(candidate, key) != key:
            candidate = f"{name}_{counter}"
            counter += 1
        return candidate

    def _site(self, node: Node | None) -> Node | None:
        """The node of a payload or headers schema, inside a Multi Format Schema if any."""
        if node is None:
            return None
        end = self.deref(node)
        for candidate in (node, end):
            value = candidate.value
            if isinstance(value, dict) and "schemaFormat" in value and "schema" in value:
                return candidate.child("schema") if not is_reference(value) else None
        return node

    def _requires(self, site: Node) -> bool:
        schema = self.schemas.roots.get(site.key)
        for _ in range(16):  # a chain of references to the actual schema
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            schema = self.schemas.nodes.get(str(schema["$ref"]))
        return isinstance(schema, dict) and bool(schema.get("required"))

    def _correlation(self, node: Node | None, has_headers: bool) -> CorrelationId | None:
        if node is None:
            return None
        value = self.fields(node)
        location = value.get("location")
        parsed = correlation_location(location) if isinstance(location, str) else None
        if parsed is None:
            return None
        source, pointer = parsed
        correlation = CorrelationId(
            source="header" if source == "header" else "payload", pointer=pointer
        )
        if source == "header" and correlation.header is None:
            self.warn(
                node,
                "Only a top-level header can carry the correlation id automatically; the AMQP "
                "correlation_id property is set, the header is left to the caller.",
            )
        del has_headers
        return correlation

    def _examples(self, node: Node | None) -> list[tuple[object, object]]:
        if node is None or not isinstance(node.value, list):
            return []
        found = []
        for item in node.value:
            if isinstance(item, dict):
                found.append((item.get("payload", _ABSENT), item.get("headers", _ABSENT)))
        return found


_ABSENT = object()
_EXCHANGE_TYPES: dict[object, ExchangeType] = {
    "topic": "topic",
    "direct": "direct",
    "fanout": "fanout",
    "headers": "headers",
}


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _retry(spec: dict[str, object]) -> Retry:
    delays = spec.get("delays")
    if isinstance(delays, list):
        return Retry(delays=tuple(float(d) for d in delays if isinstance(d, int | float)))
    numbers = {
        k: v for k, v in spec.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    return Retry(
        max_retries=int(numbers.get("max_retries", 8)),
        interval_start=float(numbers.get("interval_start", 1.0)),
        interval_factor=float(numbers.get("interval_factor", 2.0)),
        interval_max=float(numbers.get("interval_max", 3600.0)),
    )
