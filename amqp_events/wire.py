"""The wire format: JSON bodies with the spec's field names, and our few headers.

The body of every event is exactly its payload as JSON. Event identity travels in the
routing key and the AMQP ``type`` property; delivery bookkeeping travels in headers
prefixed ``x-amqp-events-``, which are the only thing a retry or an archive adds to a
message. Everything else (body bytes, message_id, correlation_id, priority, other
headers) is carried over unchanged, except the two properties that would let a copy
vanish (``HELD_PROPERTIES``): those move into headers.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Mapping
from typing import Final

__all__ = [
    "ARCHIVE_HEADERS",
    "HEADER_PREFIX",
    "HELD_PROPERTIES",
    "JsonValue",
    "decode_json",
    "encode_json",
    "header_count",
    "is_json_content_type",
    "is_plain_encoding",
    "own_headers_removed",
    "parse_json",
    "random_id",
]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
"""A value that ``json.dumps`` accepts and ``json.loads`` returns."""

HEADER_PREFIX: Final = "x-amqp-events-"

ATTEMPT: Final = "x-amqp-events-attempt"
"""Number of failed attempts so far (0 or absent on the first delivery)."""
DELIVERIES: Final = "x-amqp-events-deliveries"
"""Number of times the message was redelivered after a lost worker (classic queues)."""
REASON: Final = "x-amqp-events-reason"
"""Why the message was archived: one of the ``Reason`` values."""
EXCEPTION: Final = "x-amqp-events-exception"
"""Qualified name of the exception of the last failed attempt."""
ERROR: Final = "x-amqp-events-error"
"""Message of the last exception (truncated)."""
TRACEBACK: Final = "x-amqp-events-traceback"
"""Traceback of the last failed attempt (truncated to its last lines)."""
ORIGINAL_EXCHANGE: Final = "x-amqp-events-exchange"
"""Exchange the message was first delivered from."""
ORIGINAL_ROUTING_KEY: Final = "x-amqp-events-routing-key"
"""Routing key the message was first delivered with."""
QUEUE: Final = "x-amqp-events-queue"
"""Handler queue the message belongs to; replay sends it back there."""
EVENT: Final = "x-amqp-events-event"
"""Event name of the handler that failed."""
SERVICE: Final = "x-amqp-events-service"
"""Service whose handler failed."""
FIRST_FAILURE: Final = "x-amqp-events-first-failure"
"""UTC time of the first failure, ISO 8601."""
LAST_FAILURE: Final = "x-amqp-events-last-failure"
"""UTC time of the last failure, ISO 8601."""
REPLAYS: Final = "x-amqp-events-replays"
"""Number of times an operator replayed the message from the archive."""
ORIGINAL_EXPIRATION: Final = "x-amqp-events-original-expiration"
"""The producer's ``expiration`` property, which no copy of ours carries."""
ORIGINAL_DELIVERY_MODE: Final = "x-amqp-events-original-delivery-mode"
"""The producer's transient ``delivery_mode`` (1); every copy of ours is persistent (2)."""

HELD_PROPERTIES: Final = {
    "expiration": (ORIGINAL_EXPIRATION, None),
    "delivery_mode": (ORIGINAL_DELIVERY_MODE, 2),
}
"""Properties that would let a copy of ours vanish: the header that keeps the producer's
value, and the value the copy has instead (None: the property is left out)."""

ARCHIVE_HEADERS: Final = (
    ATTEMPT,
    REASON,
    EXCEPTION,
    ERROR,
    TRACEBACK,
    ORIGINAL_EXCHANGE,
    ORIGINAL_ROUTING_KEY,
    QUEUE,
    EVENT,
    SERVICE,
    FIRST_FAILURE,
    LAST_FAILURE,
)
"""Headers every message archived by a worker carries."""

# RabbitMQ records each dead-lettering in these headers; a trip through one of our retry
# buckets is bookkeeping of ours, not something the producer sent.
_DEATH_PREFIXES: Final = ("x-first-death-", "x-last-death-")

_JSON_CONTENT_TYPES: Final = frozenset({"application/json", "text/json"})
# kombu labels a body of bytes it did not serialize "binary": the bytes as they are.
_PLAIN_ENCODINGS: Final = frozenset({"", "utf-8", "utf8", "identity", "binary"})


# A generator of our own, seeded by the OS and reseeded in every forked child: a program
# that calls random.seed() for its own reasons must not make message ids repeat.
_IDS = random.Random()  # noqa: S311 - ids must be unique, not secret
os.register_at_fork(after_in_child=_IDS.seed)


def random_id() -> str:
    """A new random (version 4) UUID as 32 hex digits, for message and task ids.

    uuid.uuid4() makes a getrandom syscall per call, a measurable share of a confirmed
    publish and of the worker's consumer loop; ids must be unique, not secret.
    """
    return uuid.UUID(int=_IDS.getrandbits(128), version=4).hex


def encode_json(value: JsonValue) -> bytes:
    """Serialize a payload compactly as UTF-8 JSON; NaN and infinities are refused."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


# One decoder for every message: json.loads builds a new one per call when given
# parse_constant, which costs more than the parsing of a small body.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def decode_json(body: bytes) -> JsonValue:
    """Parse a body as strict JSON (RFC 8259: UTF-8, no NaN or Infinity)."""
    return parse_json(body.decode("utf-8"))


def parse_json(text: str) -> JsonValue:
    """Parse text as strict JSON: no NaN or Infinity, no byte order mark."""
    if text.startswith("\ufeff"):
        # The same refusal as json.loads, which this replaces.
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    value: JsonValue = _DECODER.decode(text)
    return value


def is_json_content_type(content_type: str | None) -> bool:
    """Tell whether a content type announces JSON (absent counts as JSON)."""
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in _JSON_CONTENT_TYPES or media_type.endswith("+json")


def is_plain_encoding(content_encoding: str | None) -> bool:
    """Tell whether a content encoding leaves the UTF-8 body as it is (absent does)."""
    return (content_encoding or "").lower() in _PLAIN_ENCODINGS


def own_headers_removed(
    headers: Mapping[str, object] | None, retry_queue_prefix: str
) -> dict[str, object]:
    """Return the headers as the producer sent them.

    Our ``x-amqp-events-*`` headers go, and so do the dead-letter records RabbitMQ
    added when the message waited in one of our retry buckets (queues whose names
    start with ``retry_queue_prefix``); dead-letter records from elsewhere stay.
    """
    if not headers:
        return {}
    kept: dict[str, object] = {}
    for key, value in headers.items():
        if key.startswith(HEADER_PREFIX):
            continue
        if key == "x-death" and isinstance(value, list):
            deaths = [d for d in value if not _is_retry_death(d, retry_queue_prefix)]
            if deaths:
                kept[key] = deaths
            continue
        kept[key] = value
    for prefix in _DEATH_PREFIXES:
        queue = kept.get(f"{prefix}queue")
        if isinstance(queue, str) and queue.startswith(retry_queue_prefix):
            for suffix in ("queue", "reason", "exchange"):
                kept.pop(f"{prefix}{suffix}", None)
    return kept


def _is_retry_death(death: object, retry_queue_prefix: str) -> bool:
    if not isinstance(death, Mapping):
        return False
    queue = death.get("queue")
    return isinstance(queue, str) and queue.startswith(retry_queue_prefix)


def header_count(headers: Mapping[str, object] | None, name: str) -> int:
    """Read a non-negative counter header; anything else counts as 0."""
    value = (headers or {}).get(name)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return 0
