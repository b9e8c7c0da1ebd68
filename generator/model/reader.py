"""Reading the parts of a document that 2.x and 3.x share into model values.

``Reader`` holds what building the model needs (the documents, the resolved schemas,
the diagnostics so far) and turns message, channel and binding objects into model
values. Documents were validated before, so this code only decides meaning; what it
cannot honour it says in a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from amqp_events.addresses import is_routing_word, parameter_names
from amqp_events.wire import is_json_content_type, is_plain_encoding
from generator.diagnostics import Diagnostic, Location
from generator.documents import Documents, Node, RefProblem, is_reference, parse_pointer
from generator.model.amqp import read_exchange, read_message_binding
from generator.model.traits import field_layers, merge_nodes, merge_patch
from generator.model.values import Channel, CorrelationId, Message, Parameter
from generator.payloads import TypeRoot
from generator.resolve import ResolvedSchemas
from generator.schema_graph import JsonSchema
from generator.validate import Version
from generator.validate.checker import Checker
from generator.validate.common import correlation_id

__all__ = ["Reader", "text_of"]

_ABSENT = object()


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def text_of(node: Node | None) -> str:
    """The string at ``node``, or ``""`` when it is absent or not a string."""
    return _text(node.value) if node is not None else ""


def _requires(schema: object) -> bool:
    return isinstance(schema, dict) and bool(schema.get("required"))


def _written_key(node: Node) -> str:
    """The key an object is written under, or its file's stem when it is a whole file."""
    tokens = parse_pointer(node.pointer)
    return tokens[-1] if tokens else PurePosixPath(node.file).stem


def _headers_name(site: Node, message: str) -> str:
    """A trait's headers are named after the trait, which every message using it shares."""
    tokens = parse_pointer(site.pointer)
    if (
        len(tokens) == 4
        and tokens[:2] == ["components", "messageTraits"]
        and tokens[3] == "headers"
    ):
        trait = tokens[2]
        return trait if trait.lower().endswith("headers") else f"{trait}Headers"
    return f"{message}Headers"


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
    referenced: set[str] = field(default_factory=set)
    """Keys (``file#pointer``) of every place a reference the model followed named."""
    parsing: Checker = field(init=False)
    """Runs the validation rules that parse bindings and extensions into records; what
    they find was reported when the document was validated, so it is dropped here."""

    def __post_init__(self) -> None:
        self.parsing = Checker(self.documents, self.version)

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
        end = self.documents.deref(node, self.referenced)
        return node if isinstance(end, RefProblem) else end

    def fields(self, node: Node) -> dict[str, object]:
        """The object at ``node`` (after references), or an empty one."""
        value = self.deref(node).value
        return value if isinstance(value, dict) else {}

    # -- traits ------------------------------------------------------------------------

    def layers(self, node: Node) -> dict[str, list[Node]]:
        """Each field of an object and its traits, as the nodes that set it, first applied first."""
        own = self.deref(node)
        value = own.value if isinstance(own.value, dict) else {}
        traits = value.get("traits")
        count = len(traits) if isinstance(traits, list) else 0
        found = [self.deref(own.child("traits").child(index)) for index in range(count)]
        return field_layers(own, found, traits_win=self.version[0] == 2)

    def merged(self, node: Node) -> dict[str, Node]:
        """An object's fields with its traits merged in (``generator.model.traits``)."""
        return self._merge(self.layers(node))

    def _merge(self, fields: dict[str, list[Node]]) -> dict[str, Node]:
        result = {}
        for key, layers in fields.items():
            merged = merge_nodes(layers, self.deref)
            if merged is not None:
                result[key] = merged
        return result

    # -- channels ----------------------------------------------------------------------

    def channel(self, node: Node, channel_id: str, address: str, *, key: str) -> Channel:
        """The channel at ``node`` (already dereferenced), read once per ``key``."""
        known = self._channels.get(key)
        if known is not None:
            return known
        value = node.value if isinstance(node.value, dict) else {}
        exchange, exchange_location = read_exchange(self, node)
        channel = Channel(
            key=key,
            id=channel_id,
            address=address,
            parameters=tuple(self._parameters(node, address)),
            exchange=exchange,
            exchange_location=exchange_location,
            description=_text(value.get("description")),
            location=self.where(node),
        )
        # Only a topic exchange binds a pattern; a direct one binds each value exactly.
        if channel.parameters_inside_words and channel.exchange.type == "topic":
            self.warn(
                node,
                f"The address {address!r} has a parameter inside a routing-key word; the "
                f"handler queue is bound with {channel.binding_key!r}, where '*' stands for the "
                "whole word, and the worker drops the other events' copies that binding admits. "
                "Separate parameters with '.' (e.g. 'users.{id}.signedup') so that the broker "
                "routes only this channel's events to the queue.",
            )
        self._channels[key] = channel
        return channel

    def _parameters(self, node: Node, address: str) -> Iterator[Parameter]:
        declared = self.deref(node.child("parameters"))
        for name in dict.fromkeys(parameter_names(address)):
            place = self.deref(declared.child(name))
            spec = place.value if isinstance(place.value, dict) else {}
            # 2.x writes the enum in the parameter's schema, which may be a reference.
            schema = self.deref(place.child("schema")) if self.version[0] == 2 else place
            if "location" in spec:
                self.warn(
                    place.child("location"),
                    f"The parameter {name!r} has the location {spec['location']!r}, which "
                    "generated code does not read: fire_* takes the parameter's value as a "
                    "keyword argument, and handlers see it only in the routing key.",
                )
            yield Parameter(
                name=name,
                description=_text(spec.get("description")),
                enum=self._enum(name, schema.child("enum")),
            )

    def _enum(self, name: str, node: Node) -> tuple[str, ...]:
        """The string values of a parameter's enum; each must be one routing-key word."""
        if not isinstance(node.value, list):
            return ()
        values = tuple(v for v in node.value if isinstance(v, str))
        for value in values:
            if not is_routing_word(value):
                self.error(
                    node,
                    f"The parameter {name!r} lists the value {value!r} in its enum; a "
                    "parameter's value fills one routing-key word, so it must not be empty "
                    "and must not contain '.', '*' or '#'.",
                )
        return values

    def amqp(self, node: Node) -> Node | None:
        """The AMQP binding inside a Bindings Object (or a reference to one)."""
        bindings = self.deref(node)
        if not isinstance(bindings.value, dict) or "amqp" not in bindings.value:
            return None
        return self.deref(bindings.child("amqp"))

    # -- messages ------------------------------------------------------------------------

    def message(
        self,
        node: Node,
        fallback: str,
        default_content_type: str | None,
        *,
        wire_fallback: str | None = None,
    ) -> Message:
        """The message at ``node`` (a reference or an object), read once.

        Without a name or messageId, a message that is referenced is known by the key it
        is written under, wherever the reference is; one written in place takes
        ``fallback`` as its name and ``wire_fallback`` (else ``fallback``) as its type.
        """
        end = self.deref(node)
        known = self._messages.get(end.key)
        if known is not None:
            return known
        layers = self.layers(end)
        fields = self._merge(layers)

        def text(name: str) -> str:
            found = fields.get(name)
            return _text(found.value) if found is not None else ""

        own = (
            text("name") or text("messageId") or (_written_key(end) if end.key != node.key else "")
        )
        name = own or fallback
        unique = self._unique(name, end.key)
        binding = read_message_binding(self, fields.get("bindings"))
        # The sender and the receiver must agree on the type, so it never depends on the
        # operation or the path that reached the message.
        type_name = (binding and binding.message_type) or own or wire_fallback or fallback
        content_type = text("contentType") or default_content_type or "application/json"
        if not is_json_content_type(content_type):
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
        headers_schema = self._headers(layers.get("headers", []))
        if headers_schema is not None:
            headers_site, headers_value = headers_schema
            self._check_headers(headers_site, headers_value, name)
            headers = TypeRoot(
                key=f"messages/{unique}/headers",
                schema=headers_value,
                name_hint=_headers_name(headers_site, name),
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
            headers_required=headers is not None and _requires(self._actual(headers.schema)),
            correlation_id=self._correlation(fields.get("correlationId")),
            content_type=content_type,
            title=text("title"),
            summary=text("summary"),
            description=text("description"),
            location=self.where(end),
        )
        if binding is not None and not is_plain_encoding(binding.content_encoding):
            self.warn(
                binding.place.child("contentEncoding"),
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

    def _headers(self, layers: list[Node]) -> tuple[Node, JsonSchema] | None:
        """Where the headers schema is written and the schema, its traits merged in."""
        if not layers or layers[-1].value is None:
            return None
        sites = [site for site in map(self._site, layers) if site is not None]
        if not sites:
            return None
        if len(sites) == 1:  # as written, so a named schema keeps its name
            return sites[0], self.schemas.roots.get(sites[0].key, {})
        merged: object = {}
        for site in sites:
            merged = merge_patch(merged, self._actual(self.schemas.roots.get(site.key)))
        return sites[-1], merged if isinstance(merged, dict | bool) else {}

    def _actual(self, schema: object) -> object:
        """The schema at the end of a chain of references."""
        for _ in range(16):
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            schema = self.schemas.nodes.get(str(schema["$ref"]))
        return schema

    def _check_headers(self, site: Node, schema: JsonSchema, name: str) -> None:
        actual = self._actual(schema)
        kind = actual.get("type") if isinstance(actual, dict) else None
        if kind is not None and kind != "object":
            self.error(
                site,
                f"The headers of message {name!r} have the schema type {kind!r}; AMQP "
                "application headers are a table, so their schema must be of type 'object'.",
            )

    def _correlation(self, node: Node | None) -> CorrelationId | None:
        if node is None:
            return None
        found = correlation_id(self.parsing, self.deref(node))
        if found is not None and found.source == "header" and found.header is None:
            self.warn(
                node,
                "Only a top-level header can carry the correlation id automatically; the AMQP "
                "correlation_id property is set, the header is left to the caller.",
            )
        return found

    def _examples(self, node: Node | None) -> list[tuple[object, object]]:
        if node is None or not isinstance(node.value, list):
            return []
        found = []
        for item in node.value:
            if isinstance(item, dict):
                found.append((item.get("payload", _ABSENT), item.get("headers", _ABSENT)))
        return found
