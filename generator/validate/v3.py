"""Rules for AsyncAPI 3.x documents, one function per object of the specification."""

from __future__ import annotations

from generator.documents import Node, RefProblem, is_reference
from generator.validate.bindings import (
    check_channel_bindings,
    check_message_bindings,
    check_operation_bindings,
    check_server_bindings,
)
from generator.validate.checker import (
    Checker,
    Rule,
    any_value,
    boolean,
    list_of,
    map_of,
    ref_or,
    string,
    strings,
)
from generator.validate.common import (
    check_correlation_id,
    check_external_docs,
    check_info,
    check_parameter_map,
    check_security_scheme,
    check_server_variable,
    check_tag,
    check_tags,
    check_url,
)
from generator.validate.extensions import check_archive, check_retry
from generator.validate.schemas import check_multi_format
from generator.validate.v2 import check_component_keys, message_name
from generator.words import describe

__all__ = ["check_document"]

_SERVER_NAME = r"[A-Za-z0-9_\-]+"
_ACTIONS = ("send", "receive")


def _docs(checker: Checker, node: Node) -> None:
    ref_or(check_external_docs, "an External Documentation Object")(checker, node)


def _reference_only(what: str) -> Rule:
    def check(checker: Checker, node: Node) -> None:
        if not is_reference(node.value):
            checker.error(
                node,
                f"The field must be a Reference Object ({{'$ref': ...}}) to {what}, got "
                f"{describe(node.value)}.",
            )
            return
        checker.follow(node)

    return check


def check_server(checker: Checker, node: Node) -> None:
    """Server Object (3.x): a host and a protocol."""
    checker.object(
        node,
        "Server Object",
        {
            "host": string,
            "protocol": string,
            "protocolVersion": string,
            "pathname": string,
            "description": string,
            "title": string,
            "summary": string,
            "variables": map_of(
                ref_or(check_server_variable, "a Server Variable Object"),
                what="The Server Variables Object",
            ),
            "security": list_of(ref_or(check_security_scheme, "a Security Scheme Object")),
            "tags": check_tags,
            "externalDocs": _docs,
            "bindings": check_server_bindings,
        },
        required=("host", "protocol"),
    )


def check_parameter(checker: Checker, node: Node) -> None:
    """Parameter Object (3.x): enum, default, examples and location of a channel parameter."""
    value = checker.object(
        node,
        "Parameter Object",
        {
            "enum": strings,
            "default": string,
            "description": string,
            "examples": strings,
            "location": string,
        },
    )
    enum = value.get("enum") if value else None
    default = value.get("default") if value else None
    if isinstance(enum, list) and isinstance(default, str) and default not in enum:
        checker.error(
            node.child("default"),
            f"The default {default!r} is not one of the parameter's enum values.",
        )


def _example(checker: Checker, node: Node) -> None:
    value = checker.object(
        node,
        "Message Example Object",
        {"headers": _example_headers, "payload": any_value, "name": string, "summary": string},
    )
    if value is not None and "headers" not in value and "payload" not in value:
        checker.error(node, "A Message Example Object needs 'headers', 'payload' or both.")


def _example_headers(checker: Checker, node: Node) -> None:
    if not isinstance(node.value, dict):
        checker.error(node, f"Example headers must be an object, got {describe(node.value)}.")


def _message_fields(name: str, *, trait: bool) -> dict[str, Rule]:
    def headers(checker: Checker, node: Node) -> None:
        check_multi_format(checker, node, "headers", name)

    rules: dict[str, Rule] = {
        "headers": headers,
        "correlationId": ref_or(check_correlation_id, "a Correlation ID Object"),
        "contentType": string,
        "name": string,
        "title": string,
        "summary": string,
        "description": string,
        "tags": check_tags,
        "externalDocs": _docs,
        "bindings": check_message_bindings,
        "examples": list_of(_example, what="a list of Message Example Objects"),
        "deprecated": boolean,
    }
    if not trait:

        def payload(checker: Checker, node: Node) -> None:
            check_multi_format(checker, node, "payload", name)

        rules["payload"] = payload
        rules["traits"] = list_of(ref_or(check_message_trait, "a Message Trait Object"))
    return rules


def check_message(checker: Checker, node: Node) -> None:
    """Message Object (3.x): headers and payload (any schema format) and metadata."""
    checker.object(node, "Message Object", _message_fields(message_name(node), trait=False))


def check_message_trait(checker: Checker, node: Node) -> None:
    """Message Trait Object (3.x)."""
    checker.object(node, "Message Trait Object", _message_fields(message_name(node), trait=True))


def _operation_fields(*, trait: bool) -> dict[str, Rule]:
    rules: dict[str, Rule] = {
        "title": string,
        "summary": string,
        "description": string,
        "security": list_of(ref_or(check_security_scheme, "a Security Scheme Object")),
        "tags": check_tags,
        "externalDocs": _docs,
        "bindings": check_operation_bindings,
    }
    if not trait:
        rules.update(
            {
                "action": _action,
                "channel": _reference_only("a Channel Object"),
                "messages": list_of(_reference_only("a Message Object")),
                "traits": list_of(ref_or(check_operation_trait, "an Operation Trait Object")),
                "reply": ref_or(check_reply, "an Operation Reply Object"),
                "x-amqp-events-retry": check_retry,
                "x-amqp-events-archive": check_archive,
            }
        )
    return rules


def _action(checker: Checker, node: Node) -> None:
    if node.value not in _ACTIONS:
        checker.error(
            node,
            f"The action must be 'send' or 'receive', got {describe(node.value)}.",
        )


def check_operation_trait(checker: Checker, node: Node) -> None:
    """Operation Trait Object (3.x)."""
    checker.object(node, "Operation Trait Object", _operation_fields(trait=True))


def check_operation(checker: Checker, node: Node) -> None:
    """Operation Object (3.x): an action on a channel, with some of its messages."""
    value = checker.object(
        node, "Operation Object", _operation_fields(trait=False), required=("action", "channel")
    )
    if value is None or not is_reference(value.get("channel")):
        return
    channel = checker.resolve(node.child("channel"))
    if channel is not None:
        _check_members(checker, node.child("messages"), channel, "operation")


def check_reply(checker: Checker, node: Node) -> None:
    """Operation Reply Object (3.x): where and what the reply to an operation is."""
    value = checker.object(
        node,
        "Operation Reply Object",
        {
            "address": ref_or(check_reply_address, "an Operation Reply Address Object"),
            "channel": _reference_only("a Channel Object"),
            "messages": list_of(_reference_only("a Message Object")),
        },
    )
    if value is None or not is_reference(value.get("channel")):
        return
    channel = checker.resolve(node.child("channel"))
    if channel is not None:
        _check_members(checker, node.child("messages"), channel, "reply")


def check_reply_address(checker: Checker, node: Node) -> None:
    """Operation Reply Address Object (3.x): a runtime expression."""
    checker.object(
        node,
        "Operation Reply Address Object",
        {"description": string, "location": string},
        required=("location",),
    )


def _check_members(checker: Checker, node: Node, channel: Node, what: str) -> None:
    """Each message an operation or reply lists must be one of its channel's messages.

    Replies are not generated, so a mismatch there is only a warning.
    """
    if not isinstance(node.value, list) or not isinstance(channel.value, dict):
        return
    members = channel.value.get("messages")
    members = members if isinstance(members, dict) else {}
    prefix = f"{channel.pointer}/messages/"
    identities: set[str] = set()
    for key in members:
        end = checker.deref(channel.child("messages").child(key))
        if not isinstance(end, RefProblem):
            identities.add(end.key)
    for index, item in enumerate(node.value):
        if not is_reference(item):
            continue
        ref_node = node.child(index)
        step = checker.follow_ref(item["$ref"], ref_node.file)
        if isinstance(step, RefProblem):
            continue  # reported by the field's own rule
        direct = step.file == channel.file and step.pointer.startswith(prefix)
        end = checker.deref(step)
        if direct or (not isinstance(end, RefProblem) and end.key in identities):
            continue
        checker.report(
            "error" if what == "operation" else "warning",
            ref_node.child("$ref"),
            f"The {what} lists the message {item['$ref']!r}, which is not one of the "
            f"messages of its channel {channel.key!r}; list a message of that channel "
            "('#/channels/<channel>/messages/<message>').",
        )


def check_channel(checker: Checker, node: Node) -> None:
    """Channel Object (3.x): an address, its parameters, messages and bindings."""
    value = node.value if isinstance(node.value, dict) else {}
    address = value.get("address")
    checker.object(
        node,
        "Channel Object",
        {
            "address": _address,
            "messages": map_of(
                ref_or(check_message, "a Message Object"), what="The Messages Object"
            ),
            "title": string,
            "summary": string,
            "description": string,
            "servers": list_of(_reference_only("a Server Object")),
            "parameters": lambda c, n: check_parameter_map(
                c, n, check_parameter, address if isinstance(address, str) else None
            ),
            "tags": check_tags,
            "externalDocs": _docs,
            "bindings": check_channel_bindings,
            "x-amqp-events-retry": check_retry,
            "x-amqp-events-archive": check_archive,
        },
    )


def _address(checker: Checker, node: Node) -> None:
    if node.value is not None and not isinstance(node.value, str):
        checker.error(node, f"The address must be a string or null, got {describe(node.value)}.")


def _components(checker: Checker, node: Node) -> None:
    def entries(rule: Rule, what: str) -> Rule:
        return map_of(ref_or(rule, what), what=f"components of {what}")

    def schema(checker: Checker, node: Node) -> None:
        check_multi_format(checker, node, "component", node.pointer.rsplit("/", 1)[-1])

    checker.object(
        node,
        "Components Object",
        {
            "schemas": map_of(schema, what="The schemas of the components"),
            "servers": entries(check_server, "a Server Object"),
            "channels": entries(check_channel, "a Channel Object"),
            "operations": entries(check_operation, "an Operation Object"),
            "messages": entries(check_message, "a Message Object"),
            "securitySchemes": entries(check_security_scheme, "a Security Scheme Object"),
            "serverVariables": entries(check_server_variable, "a Server Variable Object"),
            "parameters": entries(check_parameter, "a Parameter Object"),
            "correlationIds": entries(check_correlation_id, "a Correlation ID Object"),
            "replies": entries(check_reply, "an Operation Reply Object"),
            "replyAddresses": entries(check_reply_address, "an Operation Reply Address Object"),
            "externalDocs": entries(check_external_docs, "an External Documentation Object"),
            "tags": entries(check_tag, "a Tag Object"),
            "operationTraits": entries(check_operation_trait, "an Operation Trait Object"),
            "messageTraits": entries(check_message_trait, "a Message Trait Object"),
            "serverBindings": map_of(check_server_bindings, what="The server bindings"),
            "channelBindings": map_of(check_channel_bindings, what="The channel bindings"),
            "operationBindings": map_of(check_operation_bindings, what="The operation bindings"),
            "messageBindings": map_of(check_message_bindings, what="The message bindings"),
        },
    )
    check_component_keys(checker, node)


def check_document(checker: Checker, node: Node) -> None:
    """AsyncAPI Object (3.x): the root of the document."""
    checker.object(
        node,
        "AsyncAPI Object",
        {
            "asyncapi": string,
            "id": check_url,
            "info": check_info,
            "servers": map_of(
                ref_or(check_server, "a Server Object"),
                what="The Servers Object",
                key_pattern=_SERVER_NAME,
            ),
            "defaultContentType": string,
            "channels": map_of(
                ref_or(check_channel, "a Channel Object"), what="The Channels Object"
            ),
            "operations": map_of(
                ref_or(check_operation, "an Operation Object"), what="The Operations Object"
            ),
            "components": _components,
            "x-amqp-events-retry": check_retry,
            "x-amqp-events-archive": check_archive,
        },
        required=("asyncapi", "info"),
    )
    _check_root_channels(checker, node)


def _check_root_channels(checker: Checker, node: Node) -> None:
    """Operations of the root document must use channels of the root document."""
    value = node.value if isinstance(node.value, dict) else {}
    operations = value.get("operations")
    if not isinstance(operations, dict):
        return
    for name, operation in operations.items():
        if not isinstance(operation, dict) or not is_reference(operation.get("channel")):
            continue
        place = node.child("operations").child(name).child("channel")
        step = checker.follow_ref(operation["channel"]["$ref"], place.file)
        if isinstance(step, RefProblem):
            continue
        if (
            step.file != node.file
            or step.pointer.count("/") != 2
            or not step.pointer.startswith("/channels/")
        ):
            checker.error(
                place.child("$ref"),
                f"The operation {name!r} must refer to a channel of the document's own "
                f"'channels' ('#/channels/<name>'), got {operation['channel']['$ref']!r}.",
            )
