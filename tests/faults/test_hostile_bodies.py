"""Property-based: whatever arrives on a handler queue, the worker lives and nothing is lost.

Random bytes, wrong content types and encodings, other events' type property, huge
bodies and JSON of every shape are published straight to a handler queue; each message
is either handled (a JSON object with a string ``id``) or archived with the reason an
independent oracle predicts.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amqp_events.archive import Archive
from tests.apps.recorder import build_app
from tests.conftest import Service
from tests.support.broker import Broker, wait_for
from tests.support.figures import record
from tests.support.workers import WorkerProcess

pytestmark = [pytest.mark.broker, pytest.mark.slow]

EVENT = "shop.review.posted"
JSON_TYPES = {"application/json", "text/json"}


@dataclass(frozen=True)
class Hostile:
    """One message to publish and the outcome it must have."""

    body: bytes
    content_type: str | None
    content_encoding: str | None
    message_type: str | None

    def expected(self) -> str:
        """Independent oracle: 'handled' or the archive reason."""
        if self.message_type not in (None, "", EVENT):
            return "unknown-event"
        if self.content_type:
            media = self.content_type.split(";")[0].strip().lower()
            if media not in JSON_TYPES and not media.endswith("+json"):
                return "unsupported-content"
        if (self.content_encoding or "").lower() not in ("", "utf-8", "utf8", "identity", "binary"):
            return "unsupported-content"
        try:
            text = self.body.decode("utf-8")
            value = json.loads(text, parse_constant=_no_constants)
        except ValueError:
            return "undecodable"
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            return "handled"
        return "invalid-payload"


def _no_constants(name: str) -> object:
    raise ValueError(name)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
objects_with_id = st.fixed_dictionaries(
    {"id": st.text(max_size=20)},
    optional={"note": json_values, "count": st.integers()},
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    objects_with_id.map(lambda v: json.dumps(v).encode()),
    objects_with_id.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-16")),
    st.sampled_from([b"NaN", b'{"id": NaN}', b'{"id": "x"', b"\xef\xbb\xbf{}", b"", b"null"]),
    st.just(b'{"id": "big", "blob": "' + b"x" * 3_000_000 + b'"}'),
    st.just(b"\x00" * 2_000_000),
)
hostile_messages = st.builds(
    Hostile,
    body=bodies,
    content_type=st.sampled_from(
        [
            None,
            "application/json",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "application/cloudevents+json",
            "text/plain",
            "application/octet-stream",
            "application/x-protobuf",
            "",
        ]
    ),
    content_encoding=st.sampled_from([None, "utf-8", "UTF-8", "gzip", "binary", ""]),
    message_type=st.sampled_from([None, EVENT, "shop.review.deleted", ""]),
)


def test_hostile_bodies_never_kill_the_worker_and_each_is_handled_or_archived_with_its_reason(
    broker: Broker,
    recorder_service: Callable[..., Service],
    start_worker: Callable[..., WorkerProcess],
) -> None:
    service = recorder_service("reviews", (EVENT,), retry="0.1")
    worker = start_worker(service)
    assert worker.process is not None
    pid = worker.process.pid
    queue = service.queue(EVENT)
    sent: dict[str, Hostile] = {}

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(hostile_messages, min_size=1, max_size=6))
    def publish_and_settle(batch: list[Hostile]) -> None:
        for message in batch:
            message_id = uuid.uuid4().hex
            sent[message_id] = message
            properties: dict[str, Any] = {"message_id": message_id}
            if message.content_type is not None:
                properties["content_type"] = message.content_type
            if message.content_encoding is not None:
                properties["content_encoding"] = message.content_encoding
            if message.message_type is not None:
                properties["type"] = message.message_type
            broker.publish("", queue, message.body, **properties)

        def settled() -> bool:
            handled = {r["message_id"] for r in service.records()}
            return len(handled) + broker.depth(service.archive) >= len(sent)

        wait_for(settled, timeout=60, what=f"{len(sent)} hostile messages to settle")

    publish_and_settle()

    handled = {str(r["message_id"]) for r in service.records()}
    archived = {m.message_id: m.reason for m in Archive.for_app(build_app(service.env)).list()}
    outcomes = {mid: ("handled" if mid in handled else archived.get(mid, "LOST")) for mid in sent}
    wrong = {
        mid: (sent[mid].expected(), got)
        for mid, got in outcomes.items()
        if got != sent[mid].expected()
    }
    assert not wrong, f"unexpected outcomes (expected, got): {list(wrong.values())[:5]}"
    assert worker.running, "the worker never died"
    assert worker.process.pid == pid
    assert broker.depth(queue) == 0
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    record("hostile bodies", f"{len(sent)} tried: {dict(sorted(counts.items()))}, 0 lost")
