"""A document of a shop service written for the contract tests, and ways to run the tools.

The service sends ``shop.thing.sent`` and receives ``shop.thing.received``; the two
messages have schemas of the same shape (``SentThing`` and ``ReceivedThing``, each with
its own nested, recursive and union schemas), so one change can be tried on a sent and
on a received message alike. Tests copy ``document()``, change the copy, and compare.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import yaml

from generator.cli import main

Document = dict[str, Any]

PREFIXES = {"send": "Sent", "receive": "Received"}
"""The prefix of the schemas of the sent and of the received message."""


def _schemas(prefix: str) -> dict[str, Any]:
    node = f"#/components/schemas/{prefix}Node"
    return {
        f"{prefix}Thing": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "amount"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "amount": {"type": "number", "minimum": 0, "maximum": 1000},
                "count": {"type": "integer", "multipleOf": 2},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$", "minLength": 3},
                "note": {"type": "string", "maxLength": 100},
                "status": {"type": "string", "enum": ["new", "paid"]},
                "kind": {"const": "thing"},
                "tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "maxItems": 5,
                    "uniqueItems": True,
                },
                "open": {"type": "object", "properties": {"a": {"type": "string"}}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "nested": {"$ref": node},
                "payment": {
                    "oneOf": [
                        {"$ref": f"#/components/schemas/{prefix}Card"},
                        {"$ref": f"#/components/schemas/{prefix}Transfer"},
                    ]
                },
                "choice": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "shape": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "base": {
                    "allOf": [
                        {"$ref": f"#/components/schemas/{prefix}Base"},
                        {"type": "object", "properties": {"x": {"type": "integer"}}},
                    ]
                },
            },
        },
        f"{prefix}Node": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "maxLength": 10},
                "child": {"$ref": node},
            },
        },
        f"{prefix}Card": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"const": "card"}, "last4": {"type": "string"}},
        },
        f"{prefix}Transfer": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"const": "transfer"}, "iban": {"type": "string"}},
        },
        f"{prefix}Base": {"type": "object", "properties": {"y": {"type": "string"}}},
    }


def _message(prefix: str) -> dict[str, Any]:
    return {
        "name": f"{prefix}Thing",
        "correlationId": {"location": "$message.header#/x-request-id"},
        "headers": {
            "type": "object",
            "properties": {"x-request-id": {"type": "string"}},
        },
        "payload": {"$ref": f"#/components/schemas/{prefix}Thing"},
    }


def _binding(name: str, kind: str = "topic") -> dict[str, Any]:
    return {"amqp": {"is": "routingKey", "exchange": {"name": name, "type": kind, "durable": True}}}


def document() -> Document:
    """A fresh copy of the shop document."""
    return copy.deepcopy(
        {
            "asyncapi": "3.0.0",
            "info": {"title": "Shop", "version": "1.0.0", "x-amqp-events-service": "shop"},
            "channels": {
                "sent": {
                    "address": "shop.thing.sent",
                    "messages": {"thing": {"$ref": "#/components/messages/SentThing"}},
                    "bindings": _binding("shop"),
                },
                "received": {
                    "address": "shop.thing.received",
                    "messages": {"thing": {"$ref": "#/components/messages/ReceivedThing"}},
                    "bindings": _binding("shop"),
                },
                "sentStock": {
                    "address": "stock.{region}.sent",
                    "parameters": {"region": {"enum": ["eu", "us"]}},
                    "messages": {"stock": {"$ref": "#/components/messages/Stock"}},
                    "bindings": _binding("stock", "direct"),
                },
                "receivedStock": {
                    "address": "stock.{region}.received",
                    "parameters": {"region": {"enum": ["eu", "us"]}},
                    "messages": {"stock": {"$ref": "#/components/messages/Stock"}},
                    "bindings": _binding("stock", "direct"),
                },
            },
            "operations": {
                "sendThing": {"action": "send", "channel": {"$ref": "#/channels/sent"}},
                "receiveThing": {
                    "action": "receive",
                    "channel": {"$ref": "#/channels/received"},
                    "x-amqp-events-retry": {"delays": [1, 5]},
                    "x-amqp-events-archive": {"ttl": 86400, "max_length": 500},
                },
                "sendStock": {"action": "send", "channel": {"$ref": "#/channels/sentStock"}},
                "receiveStock": {
                    "action": "receive",
                    "channel": {"$ref": "#/channels/receivedStock"},
                },
            },
            "components": {
                "messages": {
                    "SentThing": _message("Sent"),
                    "ReceivedThing": _message("Received"),
                    "Stock": {
                        "name": "Stock",
                        "payload": {"type": "object", "properties": {"level": {"type": "integer"}}},
                    },
                },
                "schemas": {**_schemas("Sent"), **_schemas("Received")},
            },
        }
    )


def write(folder: Path, value: Document, name: str = "asyncapi.yaml") -> Path:
    """Write a document as YAML (block style, so every value has its own line)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(value, sort_keys=False), encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    """Run ``amqp-events-gen ARGV`` in this process; return status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def findings(*argv: str) -> tuple[int, list[dict[str, Any]]]:
    """The status and the findings of ``diff`` or ``contracts`` with ``--format json``."""
    status, out, err = run(*argv, "--format", "json")
    assert status in (0, 1), f"exit {status}\nstdout:\n{out}\nstderr:\n{err}"
    return status, json.loads(out)["findings"]
