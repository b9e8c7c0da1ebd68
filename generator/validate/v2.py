"""Rules for AsyncAPI 2.0 to 2.6 documents, one function per object of the specification."""

from __future__ import annotations

import re

from generator.documents import Node, is_reference
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
    COMPONENT_KEY,
    check_correlation_id,
    check_external_docs,
    check_info,
    check_parameter_map,
    check_security_scheme,
    check_server_variable,
    check_tags,
    check_url,
)
from generator.validate.extensions import check_archive, check_retry
from generator.validate.schemas import check_schema, is_json_schema_format, unsupported_format
from generator.words import describe

__all__ = ["check_document"]

_SERVER_NAME = r"[A-Za-z0-9_\-]+"


def _security_requirements(checker: Checker, node: Node) -> None:
    requirement = map_of(strings, what="The Security Requirement Object")
    list_of(requirement, what="a list of Security Requirement Objects")(checker, node)


def check_server(checker: Checker, node: Node) -> None:
    """Server Object (2.x): a URL and a protocol."""
    rules: dict[str, Rule] = {
        "url": string,
        "protocol": string,
        "protocolVersion": string,
        "description": string,
        "variables": map_of(
            ref_or(check_server_variable, "a Server Variable Object"),
            what="The Server Variables Object",
        ),
        "security": _security_requirements,
        "bindings": check_server_bindings,
    }
    if checker.at_least(5):
        rules["tags"] = check_tags
    checker.object(node, "Server Object", rules, required=("url", "protocol"))


def check_parameter(checker: Checker, node: Node) -> None:
    """Parameter Object (2.x): a schema and a location."""
    checker.object(
        node,
        "Parameter Object",
        {"description": string, "schema": check_schema("parameter"), "location": string},
    )


def _message_fields(checker: Checker, *, trait: bool) -> dict[str, Rule]:
    rules: dict[str, Rule] = {
        "headers": check_schema("headers"),
        "correlationId": ref_or(check_correlation_id, "a Correlation ID Object"),
        "schemaFormat": string,
        "contentType": string,
        "name": string,
        "title": string,
        "summary": string,
        "description": string,
        "tags": check_tags,
        "externalDocs": check_external_docs,
        "bindings": check_message_bindings,
        "examples": _examples,
        "deprecated": boolean,
    }
    if checker.at_least(4):
        rules["messageId"] = string
    if not trait:
        rules["traits"] = list_of(ref_or(check_message_trait, "a Message Trait Object"))
    return rules


def _examples(checker: Checker, node: Node) -> None:
    if checker.at_least(3):
        rule: Rule = _example
    else:
        rule = _legacy_example
    list_of(rule, what="a list of examples")(checker, node)


def _example(checker: Checker, node: Node) -> None:
    value = checker.object(
        node,
        "Message Example Object",
        {"headers": _example_headers, "payload": any_value, "name": string, "summary": string},
    )
    if value is not None and "headers" not in value and "payload" not in value:
        checker.error(node, "A Message Example Object needs 'headers', 'payload' or both.")


def _legacy_example(checker: Checker, node: Node) -> None:
    if not isinstance(node.value, dict):
        checker.error(node, f"An example must be an object, got {describe(node.value)}.")
    elif "headers" in node.value:
        _example_headers(checker, node.child("headers"))


def _example_headers(checker: Checker, node: Node) -> None:
    if not isinstance(node.value, dict):
        checker.error(node, f"Example headers must be an object, got {describe(node.value)}.")


def message_name(node: Node) -> str:
    """A name for a message in diagnostics: its name, messageId, title, or key."""
    value = node.value if isinstance(node.value, dict) else {}
    for field in ("name", "messageId", "title"):
        if isinstance(value.get(field), str):
            return str(value[field])
    return node.pointer.rsplit("/", 1)[-1] or node.key


def check_message(checker: Checker, node: Node) -> None:
    """Message Object (2.x): headers, payload in its schema format, and metadata."""
    rules = _message_fields(checker, trait=False)
    value = node.value
    schema_format = value.get("schemaFormat") if isinstance(value, dict) else None
    rules["payload"] = _payload(
        schema_format if isinstance(schema_format, str) else None, message_name(node)
    )
    checker.object(node, "Message Object", rules)


def _payload(schema_format: str | None, message: str) -> Rule:
    def check(checker: Checker, node: Node) -> None:
        if not is_json_schema_format(schema_format):
            checker.error(node, unsupported_format(str(schema_format), message))
            return
        check_schema("payload", schema_format)(checker, node)

    return check


def check_message_trait(checker: Checker, node: Node) -> None:
    """Message Trait Object (2.x): a message's fields except payload and traits."""
    checker.object(node, "Message Trait Object", _message_fields(checker, trait=True))


def _operation_fields(checker: Checker, *, trait: bool) -> dict[str, Rule]:
    rules: dict[str, Rule] = {
        "operationId": string,
        "summary": string,
        "description": string,
        "tags": check_tags,
        "externalDocs": check_external_docs,
        "bindings": check_operation_bindings,
    }
    if checker.at_least(4):
        rules["security"] = _security_requirements
    if not trait:
        rules["traits"] = list_of(ref_or(check_operation_trait, "an Operation Trait Object"))
        rules["message"] = _operation_message
        rules["x-amqp-events-retry"] = check_retry
        rules["x-amqp-events-archive"] = check_archive
    return rules


def check_operation_trait(checker: Checker, node: Node) -> None:
    """Operation Trait Object (2.x)."""
    checker.object(node, "Operation Trait Object", _operation_fields(checker, trait=True))


def check_operation(checker: Checker, node: Node) -> None:
    """Operation Object (2.x): subscribe (the application sends) or publish (it receives)."""
    checker.object(node, "Operation Object", _operation_fields(checker, trait=False))


def _operation_message(checker: Checker, node: Node) -> None:
    value = node.value
    message = ref_or(check_message, "a Message Object")
    if isinstance(value, dict) and "oneOf" in value and not is_reference(value):
        checker.object(
            node,
            "message with oneOf",
            {"oneOf": list_of(message, what="a list of Message Objects")},
            required=("oneOf",),
        )
        return
    message(checker, node)


def check_channel_item(checker: Checker, node: Node) -> None:
    """Channel Item Object (2.x): parameters, bindings and the two operations."""
    address = node.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    rules: dict[str, Rule] = {
        "$ref": any_value,
        "description": string,
        "subscribe": check_operation,
        "publish": check_operation,
        "parameters": lambda c, n: check_parameter_map(
            c, n, check_parameter, address if node.pointer.startswith("/channels/") else None
        ),
        "bindings": check_channel_bindings,
        "deprecated": boolean,
        "x-amqp-events-retry": check_retry,
        "x-amqp-events-archive": check_archive,
    }
    if checker.at_least(2):
        rules["servers"] = strings
    if is_reference(node.value):
        # A channel item may be defined elsewhere; its own fields are then ignored.
        checker.reference(node, check_channel_item, "a Channel Item Object")
        return
    checker.object(node, "Channel Item Object", rules)


def _components(checker: Checker, node: Node) -> None:
    def entries(rule: Rule, what: str) -> Rule:
        return map_of(ref_or(rule, what), what=f"components of {what}", key_pattern=None)

    rules: dict[str, Rule] = {
        "schemas": map_of(check_schema("component"), what="The schemas of the components"),
        "messages": entries(check_message, "a Message Object"),
        "securitySchemes": entries(check_security_scheme, "a Security Scheme Object"),
        "parameters": entries(check_parameter, "a Parameter Object"),
        "correlationIds": entries(check_correlation_id, "a Correlation ID Object"),
        "operationTraits": entries(check_operation_trait, "an Operation Trait Object"),
        "messageTraits": entries(check_message_trait, "a Message Trait Object"),
        "serverBindings": map_of(check_server_bindings, what="The server bindings"),
        "channelBindings": map_of(check_channel_bindings, what="The channel bindings"),
        "operationBindings": map_of(check_operation_bindings, what="The operation bindings"),
        "messageBindings": map_of(check_message_bindings, what="The message bindings"),
    }
    if checker.at_least(3):
        rules["servers"] = entries(check_server, "a Server Object")
        rules["channels"] = map_of(check_channel_item, what="The channels of the components")
    if checker.at_least(4):
        rules["serverVariables"] = entries(check_server_variable, "a Server Variable Object")
    checker.object(node, "Components Object", rules)
    check_component_keys(checker, node)


def check_component_keys(checker: Checker, node: Node) -> None:
    """Warn about component names outside the spec's ``[A-Za-z0-9.-_]+`` syntax."""
    pattern = re.compile(COMPONENT_KEY)
    if not isinstance(node.value, dict):
        return
    for group, entries in node.value.items():
        if group.startswith("x-") or not isinstance(entries, dict):
            continue
        for name in entries:
            if not pattern.fullmatch(name):
                checker.warning(
                    node.child(group).child(name),
                    f"The component name {name!r} uses characters outside letters, digits, "
                    "'.', '-' and '_', which the specification asks for; it is accepted.",
                )


def check_document(checker: Checker, node: Node) -> None:
    """AsyncAPI Object (2.x): the root of the document."""
    servers: Rule = map_of(
        ref_or(check_server, "a Server Object") if checker.at_least(3) else check_server,
        what="The Servers Object",
        key_pattern=_SERVER_NAME,
    )
    checker.object(
        node,
        "AsyncAPI Object",
        {
            "asyncapi": string,
            "id": check_url,
            "info": check_info,
            "servers": servers,
            "defaultContentType": string,
            "channels": map_of(check_channel_item, what="The Channels Object"),
            "components": _components,
            "tags": check_tags,
            "externalDocs": check_external_docs,
            "x-amqp-events-retry": check_retry,
            "x-amqp-events-archive": check_archive,
        },
        required=("asyncapi", "info", "channels"),
    )
    _check_operation_ids(checker, node)


def _check_operation_ids(checker: Checker, node: Node) -> None:
    channels = node.value.get("channels") if isinstance(node.value, dict) else None
    if not isinstance(channels, dict):
        return
    seen: dict[str, str] = {}
    for address in channels:
        item = checker.resolve(node.child("channels").child(address))
        if item is None or not isinstance(item.value, dict):
            continue
        for kind in ("subscribe", "publish"):
            operation = item.value.get(kind)
            if not isinstance(operation, dict):
                continue
            operation_id = operation.get("operationId")
            if not isinstance(operation_id, str):
                continue
            where = f"{kind} of channel {address!r}"
            if operation_id in seen:
                checker.error(
                    item.child(kind).child("operationId"),
                    f"The operationId {operation_id!r} is used twice (by the {seen[operation_id]} "
                    f"and the {where}); operation ids must be unique.",
                )
            else:
                seen[operation_id] = where
