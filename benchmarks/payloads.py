"""The small event every message scenario sends: about 100 bytes of JSON with its schema."""

from __future__ import annotations

import uuid
from typing import Any

from amqp_events import JsonValue

EVENT = "bench.order.created"
"""Event name and routing key of the message scenarios."""

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["seq", "orderId", "amount", "at"],
    "properties": {
        "seq": {"type": "integer", "minimum": 0},
        "orderId": {"type": "string", "format": "uuid"},
        "amount": {"type": "number", "minimum": 0},
        "at": {"type": "string", "format": "date-time"},
        "fail": {"type": "integer", "minimum": 0},
    },
}
"""The payload schema of the benchmark service's spec; ``fail`` drives the retry scenario."""


def payload(seq: int, *, fail: int = 0) -> dict[str, JsonValue]:
    """Build payload ``seq``; a handler raises on its first ``fail`` attempts."""
    value: dict[str, JsonValue] = {
        "seq": seq,
        "orderId": str(uuid.UUID(int=seq + 1)),
        "amount": 129.5,
        "at": "2025-11-24T21:53:00+00:00",
    }
    if fail:
        value["fail"] = fail
    return value


def payloads(count: int, *, fail_every: int = 0) -> list[dict[str, JsonValue]]:
    """Build ``count`` payloads; every ``fail_every``-th one fails its first attempt."""
    return [
        payload(seq, fail=1 if fail_every and seq % fail_every == fail_every - 1 else 0)
        for seq in range(count)
    ]
