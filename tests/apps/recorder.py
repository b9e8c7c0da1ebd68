"""A configurable service for worker tests, set up from environment variables.

Its handlers record every call as a JSON line in ``AE_OUT`` (``phase: call``), act on the
payload's ``action`` field, and record ``phase: done`` when they return: ``ok``, ``fail``
(raise), ``fail-while-flag`` (raise while the file ``AE_FLAG`` exists), ``permanent``
(raise PermanentFailure), ``kill`` (SIGKILL the process running the handler),
``kill-worker`` (SIGKILL the worker's main process, whatever the pool),
``kill-worker-then-fail:<n>`` (``kill-worker`` on the first ``n`` calls for the id, then
``fail``), ``sleep:<seconds>``, ``fire:<event>`` (publish ``{"id": "<id>-next"}`` as that
event). A payload's ``delay`` (seconds) makes every call wait that long before it acts,
``first_delay`` only the first call for its id.

Environment: AMQP_URL, AE_SERVICE, AE_EXCHANGE, AE_EVENTS (comma separated), AE_OUT,
AE_FLAG, AE_RETRY (comma separated seconds), AE_DELIVERY_LIMIT, AE_QUEUE_TYPE, AE_OWN_ARCHIVE
(comma separated events whose handlers get archive limits of their own), AE_TIME_LIMIT
(Celery's hard time limit of every handler, seconds), AE_TASK_OPTIONS (more Celery task
options of every handler, as a JSON object), AE_MAX_PRIORITY (every handler queue's
``max_priority``).
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Mapping
from typing import Any

from billiard.process import current_process

from amqp_events import (
    ArchivePolicy,
    Delivery,
    EventsApp,
    Headers,
    IncomingEvent,
    JsonValue,
    OutgoingEvent,
    PayloadError,
    PermanentFailure,
    RetryPolicy,
    events_app,
)

Handler = Callable[[dict[str, JsonValue], Delivery[Headers]], None]


def decode(data: JsonValue, delivery: Delivery[Headers]) -> dict[str, JsonValue]:
    """Accept objects with a string ``id``."""
    del delivery
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise PayloadError("recorder", f"an object with a string 'id' was expected, got {data!r}.")
    return data


def make_handler(event: str, env: Mapping[str, str], app: EventsApp) -> Handler:
    """Build the recording handler of one event."""
    service, out_path, flag = env["AE_SERVICE"], env["AE_OUT"], env.get("AE_FLAG", "")

    def record(payload: dict[str, JsonValue], delivery: Delivery[Headers], phase: str) -> None:
        line = {
            "t": time.time(),
            "phase": phase,
            "service": service,
            "event": event,
            "id": payload["id"],
            "attempt": delivery.attempt,
            "redelivered": delivery.redelivered,
            "pid": os.getpid(),
            "routing_key": delivery.routing_key,
            "exchange": delivery.exchange,
            "expiration": delivery.properties.get("expiration"),
            "delivery_mode": delivery.properties.get("delivery_mode"),
            "message_id": delivery.message_id,
            "headers": {k: str(v) for k, v in delivery.headers.items()},
        }
        # One write per line with O_APPEND keeps lines whole across processes.
        with open(out_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")

    def handle(payload: dict[str, JsonValue], delivery: Delivery[Headers]) -> None:
        record(payload, delivery, "call")
        delay = payload.get("delay")
        first_delay = payload.get("first_delay")
        if isinstance(first_delay, int | float) and _calls(out_path, payload["id"]) == 1:
            delay = first_delay
        if isinstance(delay, int | float):
            time.sleep(delay)
        action = str(payload.get("action", "ok"))
        if action.startswith("fire:"):
            # A service fires an event it also handles, from inside a handler.
            follow_up: OutgoingEvent[JsonValue] = OutgoingEvent(
                name=action.split(":", 1)[1], encode=lambda value: value
            )
            next_payload: JsonValue = {"id": f"{payload['id']}-next"}
            app.publish(follow_up, next_payload)
        if action == "fail-while-flag" and os.path.exists(flag):
            raise RuntimeError(f"flag {flag} is set")
        if action == "permanent":
            raise PermanentFailure("this event can never be handled")
        if action.startswith("kill-worker-then-fail:"):
            kills = int(action.split(":", 1)[1])
            action = "kill-worker" if _calls(out_path, payload["id"]) <= kills else "fail"
        if action == "fail":
            raise RuntimeError(f"handler asked to fail for {payload['id']}")
        if action == "kill-worker":
            if current_process().name != "MainProcess":  # a prefork pool process
                os.kill(os.getppid(), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if action.startswith("sleep:"):
            time.sleep(float(action.split(":", 1)[1]))
        record(payload, delivery, "done")

    return handle


def _calls(out_path: str, event_id: JsonValue) -> int:
    """How many calls for ``event_id`` the output file records, this one included."""
    with open(out_path, encoding="utf-8") as out:
        lines = (json.loads(line) for line in out if line.strip())
        return sum(1 for line in lines if line["id"] == event_id and line["phase"] == "call")


def build_app(env: Mapping[str, str]) -> EventsApp:
    """Create the service described by ``env`` with one recording handler per event."""
    retry = tuple(float(d) for d in env.get("AE_RETRY", "0.5,1").split(",") if d)
    app = events_app(
        env["AE_SERVICE"],
        broker_url=env["AMQP_URL"],
        exchange=env["AE_EXCHANGE"],
        retry=RetryPolicy(delays=retry),
        delivery_limit=int(env.get("AE_DELIVERY_LIMIT", "5")),
        queue_type="quorum" if env.get("AE_QUEUE_TYPE") == "quorum" else "classic",
    )
    own_archive = set(env.get("AE_OWN_ARCHIVE", "").split(","))
    options: dict[str, Any] = json.loads(env.get("AE_TASK_OPTIONS") or "{}")
    if env.get("AE_TIME_LIMIT"):
        options["time_limit"] = float(env["AE_TIME_LIMIT"])
    for event in filter(None, env.get("AE_EVENTS", "").split(",")):
        app.add_handler(
            IncomingEvent(
                name=event,
                decode=decode,
                max_priority=int(env["AE_MAX_PRIORITY"]) if env.get("AE_MAX_PRIORITY") else None,
            ),
            make_handler(event, env, app),
            archive=ArchivePolicy(max_length=100) if event in own_archive else None,
            **options,
        )
    return app
