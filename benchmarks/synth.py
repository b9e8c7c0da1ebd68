"""Synthetic AsyncAPI 3.0 documents with N channels, for the code generation scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_STATES = ["pending", "active", "done"]


def _payload(index: int) -> dict[str, Any]:
    """A payload schema with the constructs real specs use: formats, enums, arrays, nesting."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "occurredAt", "amount"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "occurredAt": {"type": "string", "format": "date-time"},
            "amount": {"type": "number", "minimum": 0},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
            "note": {"type": ["string", "null"], "maxLength": 200},
            "state": {"type": "string", "enum": _STATES},
            "tags": {"type": "array", "items": {"type": "string"}},
            "address": {"$ref": f"#/components/schemas/Address{index % 7}"},
        },
    }


def _address() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["street", "city"],
        "properties": {
            "street": {"type": "string"},
            "city": {"type": "string"},
            "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
        },
    }


def document(channels: int) -> dict[str, Any]:
    """Build a document whose service sends and receives each of ``channels`` events."""
    schemas: dict[str, Any] = {f"Address{i}": _address() for i in range(min(7, channels))}
    messages: dict[str, Any] = {}
    chans: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for i in range(channels):
        message = f"Thing{i}Changed"
        schemas[f"Thing{i}Payload"] = _payload(i)
        messages[message] = {
            "name": message,
            "contentType": "application/json",
            "payload": {"$ref": f"#/components/schemas/Thing{i}Payload"},
        }
        channel = f"thing{i}"
        chans[channel] = {
            "address": f"domain{i % 10}.thing{i}.changed",
            "messages": {message: {"$ref": f"#/components/messages/{message}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": "events", "type": "topic", "durable": True},
                }
            },
        }
        operations[f"send{message}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{message}"}],
        }
        operations[f"on{message}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{message}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"Synthetic service with {channels} channels", "version": "1.0.0"},
        "defaultContentType": "application/json",
        "channels": chans,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def changed(channels: int) -> dict[str, Any]:
    """The same document a release later: every tenth event's payload changed a little.

    One gains an optional property, one a higher maximum, one loses an enum value, so
    ``diff`` has findings to judge and to write, as on a real pull request.
    """
    found = document(channels)
    schemas = found["components"]["schemas"]
    for i in range(0, channels, 10):
        properties = schemas[f"Thing{i}Payload"]["properties"]
        if i % 30 == 0:
            properties["coupon"] = {"type": "string"}
        elif i % 30 == 10:
            properties["quantity"]["maximum"] = 5000
        else:
            properties["state"]["enum"] = _STATES[:2]
    return found


def write(channels: int, path: Path, *, later: bool = False) -> Path:
    """Write the ``channels``-channel document (``later``: its changed version) to ``path``."""
    value = changed(channels) if later else document(channels)
    text = yaml.dump(value, Dumper=yaml.CSafeDumper, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path
