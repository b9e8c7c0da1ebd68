"""The Celery task options a handler takes, and why it refuses every other one.

A handler runs as a Celery task, but not every task option means something for it:
its messages are events, not Celery task messages, and the runtime owns its
acknowledgement, retries and routing. Celery sets any keyword as a task attribute,
so an option that would silently do nothing (or a misspelt one) is refused when the
handler is registered, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from amqp_events.errors import ConfigurationError

__all__ = ["ENFORCED_BY", "HONOURED", "REFUSED", "check_task_options", "unenforced_limits"]

HONOURED: Mapping[str, str] = {
    "time_limit": "the prefork pool kills a handler past it (gevent interrupts it); the event "
    "takes the retry ladder",
    "soft_time_limit": "raises SoftTimeLimitExceeded inside the handler (prefork), a failed "
    "attempt",
    "rate_limit": "Celery's token bucket holds events back before they reach the pool",
}
"""Options a handler honours, as Celery does for any task, with what they do."""

ENFORCED_BY: Mapping[str, frozenset[str]] = {
    # Prefork kills the pool process; gevent raises gevent.Timeout in the handler's
    # greenlet, which takes effect at its next cooperative switch (I/O, sleep).
    "time_limit": frozenset({"prefork", "gevent"}),
    "soft_time_limit": frozenset({"prefork"}),
}
"""The Celery pools that enforce each time limit; Celery ignores it on any other pool."""

_ACKS = "a handler always acknowledges late, once its retry or archive copy is confirmed"
_LOST = (
    "a lost worker always returns the message to its queue, where delivery_limit bounds "
    "how often it may come back"
)
_RETRY = "retries follow the handler's RetryPolicy: pass retry=RetryPolicy(...)"
_AUTORETRY = (
    "every exception a handler raises is retried by its RetryPolicy; raise "
    "PermanentFailure to archive an event at once"
)
_RESULT = "a handler has no caller that could read a result, so no result is stored"
_WIRE = "events are the JSON their producer sent, not Celery task messages"
_ROUTE = "a handler consumes its own queue, '<service>.<event>'"
_OWN = "the runtime defines a handler's task itself"

REFUSED: Mapping[str, str] = {
    "acks_late": _ACKS,
    "acks_on_failure_or_timeout": _ACKS,
    "acks_on_failure": _ACKS,
    "acks_on_timeout": _ACKS,
    "reject_on_worker_lost": _LOST,
    "retry_on_worker_lost": _LOST,
    "max_retries": _RETRY,
    "default_retry_delay": _RETRY,
    "autoretry_for": _AUTORETRY,
    "dont_autoretry_for": _AUTORETRY,
    "retry_kwargs": _AUTORETRY,
    "retry_backoff": _AUTORETRY,
    "retry_backoff_max": _AUTORETRY,
    "retry_jitter": _AUTORETRY,
    "throws": "a handler's exceptions never reach Celery: the runtime retries or archives "
    "them and logs each failure",
    "ignore_result": _RESULT,
    "store_errors_even_if_ignored": _RESULT,
    "store_eager_result": _RESULT,
    "track_started": _RESULT,
    "resultrepr_maxsize": _RESULT,
    "serializer": _WIRE,
    "compression": _WIRE,
    "expires": "an event's lifetime is its producer's AMQP expiration",
    "priority": "an event's priority is its producer's; a handler queue orders its events by "
    "it when the handler is declared with max_priority",
    "queue": _ROUTE,
    "exchange": _ROUTE,
    "routing_key": _ROUTE,
    "send_events": "task events follow the worker's -E option",
    "name": _OWN,
    "base": _OWN,
    "bind": _OWN,
    "shared": _OWN,
    "typing": _OWN,
    "Request": _OWN,
    "Strategy": _OWN,
    "pydantic": _OWN,
}
"""Task options a handler refuses, with the reason given in the error."""


def check_task_options(event: str, options: Mapping[str, object]) -> None:
    """Raise ``ConfigurationError`` for the first option a handler of ``event`` cannot take."""
    for name in options:
        if name in HONOURED:
            continue
        reason = REFUSED.get(name)
        if reason is None:
            raise ConfigurationError(
                f"The handler of event {event!r} was given {name!r}, which is not a Celery task "
                f"option a handler takes; it takes {', '.join(sorted(HONOURED))}."
            )
        raise ConfigurationError(
            f"The handler of event {event!r} cannot take the Celery task option {name!r}: {reason}."
        )


def unenforced_limits(options: Mapping[str, object], pool: str) -> list[str]:
    """The time limits among a handler's ``options`` that the Celery ``pool`` ignores."""
    return [
        name
        for name, pools in ENFORCED_BY.items()
        if options.get(name) is not None and pool not in pools
    ]
