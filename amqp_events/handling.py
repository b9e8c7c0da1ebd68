"""Handling one delivered message inside a worker: decode, validate, call, or park it.

This runs as the body of the handler's Celery task, in the pool process. Every
outcome ends with the message acknowledged by Celery (acks late) after any copy we make
was confirmed by the broker:

- handled: the handler returned;
- retried: the handler raised and a retry is left; a copy went to the retry bucket;
- archived: retries are exhausted, the handler raised ``PermanentFailure``, or the
  message cannot be handled at all (wrong content type, not JSON, fails its schema,
  another event's ``type``); a copy with failure headers went to the archive.

A copy that finds part of the topology deleted is sent again once it is declared
again. If the broker still does not take the copy, the task rejects the message
without requeue, and the dead-letter route of the queue it came from (its handler
queue, or the isolation lane) parks it in the archive instead: never lost, never
looping; only while that archive queue is missing and cannot be declared does the
message go back to its queue. A handler killed by its hard ``time_limit`` never
returns here; the worker's main process treats it as a failed attempt
(``timed_out``). What a message's own ``x-amqp-events-*`` headers say is believed
only as ``amqp_events.trust`` allows.
"""

from __future__ import annotations

import enum
import logging
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, cast

from celery import Task
from celery.exceptions import Reject

from amqp_events import trust, wire
from amqp_events.declare import declare, queue_depth
from amqp_events.errors import (
    BrokerUnavailableError,
    PayloadError,
    PermanentFailure,
    PublishError,
    PublishTimeoutError,
    TopologyError,
)
from amqp_events.events import Delivery, Headers
from amqp_events.policy import delay_ms
from amqp_events.publisher import Envelope
from amqp_events.topology import ServiceNames

if TYPE_CHECKING:
    from amqp_events.app import EventsApp, HandlerRegistration

__all__ = [
    "CONSUMED_FROM",
    "HandlerTask",
    "Outcome",
    "Reason",
    "ReceivedMessage",
    "answered",
    "archive_copy",
    "dead_letter_queue",
    "failed_attempt_copy",
    "process",
    "received",
    "restore_topology",
    "run_handler",
    "timed_out",
    "worker_deaths",
]

logger = logging.getLogger(__name__)

_MAX_ERROR_CHARS = 1000
_MAX_TRACEBACK_CHARS = 4000


class Reason(enum.StrEnum):
    """Why a message went to the archive (the ``x-amqp-events-reason`` header)."""

    HANDLER_FAILED = "handler-failed"
    PERMANENT_FAILURE = "permanent-failure"
    INVALID_PAYLOAD = "invalid-payload"
    UNDECODABLE = "undecodable"
    UNSUPPORTED_CONTENT = "unsupported-content"
    UNKNOWN_EVENT = "unknown-event"
    DELIVERY_LIMIT = "delivery-limit"


class Outcome(enum.StrEnum):
    """What became of one delivery."""

    HANDLED = "handled"
    RETRIED = "retried"
    ARCHIVED = "archived"


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """A message as the broker delivered it: raw body bytes and AMQP properties.

    ``queue`` is the queue it was read from: its handler queue, or the service's
    isolation lane.
    """

    body: bytes
    properties: Mapping[str, Any]
    exchange: str
    routing_key: str
    queue: str
    redelivered: bool = False

    @property
    def headers(self) -> Mapping[str, object]:
        """The application headers, ours included."""
        headers = self.properties.get("application_headers")
        return headers if isinstance(headers, Mapping) else {}

    def bookkeeping(self, names: ServiceNames) -> dict[str, object]:
        """Our headers on this message, if we wrote them (``amqp_events.trust``)."""
        return trust.bookkeeping(
            self.headers,
            names,
            exchange=self.exchange,
            routing_key=self.routing_key,
            queue=self.queue,
        )


if TYPE_CHECKING:
    _TaskBase = Task[Any, Any]  # generic in the type stubs only
else:
    _TaskBase = Task


class HandlerTask(_TaskBase):
    """Celery task base for event handlers: acks late, never uses Celery's own retry."""

    acks_late = True
    # An exception escaping the task body (a bug, never a handler failure: those are
    # caught) rejects without requeue, which dead-letters the message to the archive.
    acks_on_failure_or_timeout = False
    acks_on_failure = False
    acks_on_timeout = False
    # A killed pool process requeues the message; the consumer counts redeliveries.
    reject_on_worker_lost = True
    retry_on_worker_lost = False
    ignore_result = True
    typing = False
    max_retries = 0


CONSUMED_FROM: Final = "amqp_events_queue"
"""The task request field that names the queue the consumer read the message from."""


def run_handler(task: HandlerTask, body: bytes) -> str:
    """Celery task body: handle the delivery described by the task request."""
    app = cast("EventsApp", task.app)
    registration = app.handlers[task.name]
    request = task.request
    queue = getattr(request, CONSUMED_FROM, None) or registration.route.queue
    message = received(
        app.names, body, request.properties or {}, request.delivery_info or {}, queue
    )
    return process(app, registration, message).value


def received(
    names: ServiceNames,
    body: bytes,
    properties: Mapping[str, Any],
    info: Mapping[str, Any],
    queue: str,
) -> ReceivedMessage:
    """Describe a delivery from its AMQP properties, delivery info and the queue it came from.

    A message counts as redelivered when the broker says so, when it comes through the
    isolation lane (its last worker was lost), and when a lost worker was counted on it.
    """
    message = ReceivedMessage(
        body=body,
        properties=properties,
        exchange=str(info.get("exchange") or ""),
        routing_key=str(info.get("routing_key") or ""),
        queue=queue,
    )
    redelivered = (
        bool(info.get("redelivered"))
        or queue == names.isolation_queue
        or worker_deaths(message, names) > 0
    )
    return replace(message, redelivered=redelivered) if redelivered else message


def worker_deaths(message: ReceivedMessage, names: ServiceNames) -> int:
    """How often a worker died while running this message, as the runtime counted it.

    Every decision about the delivery limit reads the count here, and only here.
    """
    return wire.header_count(message.bookkeeping(names), wire.DELIVERIES)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _qualified_name(error: BaseException) -> str:
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _truncated(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _traceback(error: BaseException) -> str:
    formatted = traceback.TracebackException.from_exception(error)
    _without_positions(formatted, set())
    text = "".join(formatted.format())
    # Keep the end: the frames nearest the failure matter most.
    return (
        text if len(text) <= _MAX_TRACEBACK_CHARS else "..." + text[-(_MAX_TRACEBACK_CHARS - 3) :]
    )


def _without_positions(formatted: traceback.TracebackException, seen: set[int]) -> None:
    """Drop column positions, so frames are formatted without ``^^^^`` markers.

    Python finds the expression to underline by parsing each frame's source line with
    ast, which made a failed attempt cost the worker 220 us of handling instead of 80 us
    (a 4-frame handler failure), for decoration lines that take room from frames in the
    truncated header.
    """
    if id(formatted) in seen:
        return
    seen.add(id(formatted))
    for frame in formatted.stack:
        frame.colno = None
    nested = [formatted.__cause__, formatted.__context__, *(formatted.exceptions or ())]
    for other in nested:
        if other is not None:
            _without_positions(other, seen)


def failure_headers(
    message: ReceivedMessage,
    names: ServiceNames,
    registration: HandlerRegistration,
    *,
    attempts: int,
    error: BaseException | None,
    reason: str | None,
) -> dict[str, object]:
    """Build the headers of a retry or archive copy: the producer's plus our bookkeeping."""
    previous = message.bookkeeping(names)
    now = _now()
    headers = wire.own_headers_removed(message.headers, names.retry_prefix)
    headers.update(
        {
            wire.ATTEMPT: attempts,
            wire.ORIGINAL_EXCHANGE: previous.get(wire.ORIGINAL_EXCHANGE, message.exchange),
            wire.ORIGINAL_ROUTING_KEY: previous.get(wire.ORIGINAL_ROUTING_KEY, message.routing_key),
            wire.QUEUE: registration.route.queue,
            wire.EVENT: registration.route.event,
            wire.SERVICE: names.service,
            wire.FIRST_FAILURE: previous.get(wire.FIRST_FAILURE, now),
            wire.LAST_FAILURE: now,
        }
    )
    # Facts of the message's whole life: how often operators replayed it, how often a
    # lost worker returned it, and the producer's properties that our copies do not
    # carry. They outlive each failure's bookkeeping.
    for kept in (
        wire.REPLAYS,
        wire.DELIVERIES,
        wire.ORIGINAL_EXPIRATION,
        wire.ORIGINAL_DELIVERY_MODE,
    ):
        if kept in previous:
            headers[kept] = previous[kept]
    if reason is not None:
        headers[wire.REASON] = reason
    if error is not None:
        headers[wire.EXCEPTION] = _qualified_name(error)
        headers[wire.ERROR] = _truncated(str(error) or repr(error), _MAX_ERROR_CHARS)
        headers[wire.TRACEBACK] = _traceback(error)
    return headers


def copy_envelope(
    message: ReceivedMessage, headers: Mapping[str, object], *, exchange: str, routing_key: str
) -> Envelope:
    """Copy a message with new headers; body and every other property stay as they were.

    Except the properties that would let the copy vanish before the retry delay or the
    archive's limits say so (``wire.HELD_PROPERTIES``): a producer's expiration, or a
    transient delivery mode that a broker restart drops. The copy keeps the producer's
    values as headers; handlers still see them in ``Delivery.properties``.
    """
    properties = dict(message.properties)
    copied = dict(headers)
    for name, (header, replacement) in wire.HELD_PROPERTIES.items():
        value = properties.pop(name, None)
        if value is not None and value != replacement:
            copied[header] = value
        if replacement is not None:
            properties[name] = replacement
    properties["application_headers"] = copied
    return Envelope(
        exchange=exchange,
        routing_key=routing_key,
        body=message.body,
        properties=properties,
        mandatory=True,
    )


def archive_envelope(
    message: ReceivedMessage,
    headers: Mapping[str, object],
    names: ServiceNames,
    registration: HandlerRegistration,
) -> Envelope:
    """The copy that parks a message in its handler's archive, through the recover exchange."""
    return copy_envelope(
        message,
        headers,
        exchange=names.recover_exchange,
        routing_key=registration.route.archive_queue,
    )


class _Parked(Exception):  # noqa: N818 - internal control flow, never escapes this module
    def __init__(self, reason: Reason, error: BaseException) -> None:
        self.reason = reason
        self.error = error


def _check_readable(registration: HandlerRegistration, message: ReceivedMessage) -> None:
    props = message.properties
    message_type = props.get("type")
    if not registration.incoming.accepts_type(
        message_type if isinstance(message_type, str) else None
    ):
        raise _Parked(
            Reason.UNKNOWN_EVENT,
            PayloadError(
                registration.route.event,
                f"the message's type property names event {message_type!r}, which the handler on "
                f"queue {registration.route.queue!r} does not handle.",
            ),
        )
    content_type = props.get("content_type")
    if not wire.is_json_content_type(content_type if isinstance(content_type, str) else None):
        raise _Parked(
            Reason.UNSUPPORTED_CONTENT,
            PayloadError(
                registration.route.event,
                f"content type {content_type!r} was received; events are JSON (application/json).",
            ),
        )
    encoding = props.get("content_encoding") or ""
    if not isinstance(encoding, str) or not wire.is_plain_encoding(encoding):
        raise _Parked(
            Reason.UNSUPPORTED_CONTENT,
            PayloadError(
                registration.route.event,
                f"content encoding {encoding!r} was received; events are UTF-8 JSON.",
            ),
        )


def _decode(
    registration: HandlerRegistration, message: ReceivedMessage, delivery: Delivery[Headers]
) -> object:
    event = registration.route.event
    try:
        data = wire.decode_json(message.body)
    except (UnicodeDecodeError, ValueError) as error:
        preview = _truncated(repr(message.body[:60]), 80)
        raise _Parked(
            Reason.UNDECODABLE,
            PayloadError(
                event,
                f"the body is not UTF-8 JSON ({error}); it starts with {preview}.",
            ),
        ) from None
    try:
        return registration.incoming.decode(data, delivery)
    except PayloadError as error:
        raise _Parked(Reason.INVALID_PAYLOAD, error) from None
    except Exception as error:
        raise _Parked(
            Reason.INVALID_PAYLOAD,
            PayloadError(
                event,
                f"decoding raised {_qualified_name(error)}: {error}",
            ),
        ) from error


def delivery_for(
    app: EventsApp, registration: HandlerRegistration, message: ReceivedMessage
) -> Delivery[Headers]:
    """Describe a delivery for the handler: producer headers only, attempt counted from 1."""
    ours = message.bookkeeping(app.names)
    props = message.properties
    held = {name: ours[h] for name, (h, _) in wire.HELD_PROPERTIES.items() if h in ours}
    if held:  # a copy of ours: show the properties as the producer sent them
        props = {**props, **held}

    def text(name: str) -> str | None:
        value = props.get(name)
        return value if isinstance(value, str) else None

    return Delivery(
        event=registration.route.event,
        queue=registration.route.queue,
        routing_key=str(ours.get(wire.ORIGINAL_ROUTING_KEY, message.routing_key)),
        exchange=str(ours.get(wire.ORIGINAL_EXCHANGE, message.exchange)),
        headers=wire.own_headers_removed(message.headers, app.names.retry_prefix),
        message_id=text("message_id"),
        correlation_id=text("correlation_id"),
        reply_to=text("reply_to"),
        message_type=text("type"),
        attempt=wire.header_count(ours, wire.ATTEMPT) + 1,
        redelivered=message.redelivered,
        properties=props,
    )


def process(app: EventsApp, registration: HandlerRegistration, message: ReceivedMessage) -> Outcome:
    """Handle one message and return what became of it; see the module docstring."""
    delivery = delivery_for(app, registration, message)
    try:
        _check_readable(registration, message)
        payload = _decode(registration, message, delivery)
    except _Parked as parked:
        return _archive(
            app,
            registration,
            message,
            reason=parked.reason,
            error=parked.error,
            attempts=delivery.attempt,
        )
    try:
        registration.callback(payload, delivery)
    except PermanentFailure as error:
        return _archive(
            app,
            registration,
            message,
            reason=Reason.PERMANENT_FAILURE,
            error=error,
            attempts=delivery.attempt,
        )
    except Exception as error:  # noqa: BLE001 - every handler failure is retried, then archived
        return _retry_or_archive(app, registration, message, error, delivery.attempt)
    return Outcome.HANDLED


def timed_out(
    app: EventsApp, registration: HandlerRegistration, message: ReceivedMessage, error: Exception
) -> tuple[Outcome, Envelope]:
    """A handler killed by its hard time limit: a failed attempt, to retry or to archive.

    Runs in the worker's main process, where Celery reports the timeout, and returns the
    copy to publish: the consumer publishes it without waiting and settles the original
    when the broker confirms it.
    """
    attempt = wire.header_count(message.bookkeeping(app.names), wire.ATTEMPT) + 1
    return failed_attempt_copy(app, registration, message, error, attempt)


def failed_attempt_copy(
    app: EventsApp,
    registration: HandlerRegistration,
    message: ReceivedMessage,
    error: Exception,
    attempt: int,
) -> tuple[Outcome, Envelope]:
    """The copy a failed attempt leaves: to the retry bucket of its delay, or to the archive."""
    delay = registration.route.retry.delay_for(attempt)
    if delay is None:
        return Outcome.ARCHIVED, archive_copy(
            app, registration, message, reason=Reason.HANDLER_FAILED, error=error, attempts=attempt
        )
    bucket = app.names.retry_bucket(delay_ms(delay))
    headers = failure_headers(
        message, app.names, registration, attempts=attempt, error=error, reason=None
    )
    envelope = copy_envelope(
        message, headers, exchange=bucket, routing_key=registration.route.queue
    )
    logger.warning(
        "Handler of %s failed on attempt %d (%s: %s); retrying in %g s.",
        registration.route.queue,
        attempt,
        _qualified_name(error),
        _truncated(str(error), 200),
        delay,
    )
    return Outcome.RETRIED, envelope


def _retry_or_archive(
    app: EventsApp,
    registration: HandlerRegistration,
    message: ReceivedMessage,
    error: Exception,
    attempt: int,
) -> Outcome:
    outcome, envelope = failed_attempt_copy(app, registration, message, error, attempt)
    purpose = "retry" if outcome is Outcome.RETRIED else "archive"
    _publish_or_reject(app, envelope, registration, message, purpose)
    return outcome


def _archive(
    app: EventsApp,
    registration: HandlerRegistration,
    message: ReceivedMessage,
    *,
    reason: Reason,
    error: BaseException,
    attempts: int,
) -> Outcome:
    envelope = archive_copy(
        app, registration, message, reason=reason, error=error, attempts=attempts
    )
    _publish_or_reject(app, envelope, registration, message, "archive")
    return Outcome.ARCHIVED


def archive_copy(
    app: EventsApp,
    registration: HandlerRegistration,
    message: ReceivedMessage,
    *,
    reason: Reason,
    error: BaseException,
    attempts: int,
    deliveries: int | None = None,
) -> Envelope:
    """The archive copy of a message, with its failure headers; logged as archived.

    ``deliveries`` records a worker death counted just now, which the message's own
    bookkeeping does not hold yet.
    """
    headers = failure_headers(
        message, app.names, registration, attempts=attempts, error=error, reason=reason
    )
    if deliveries is not None:
        headers[wire.DELIVERIES] = deliveries
    envelope = archive_envelope(message, headers, app.names, registration)
    logger.error(
        "Archiving a message of %s (%s) after %d attempt(s): %s",
        registration.route.queue,
        reason.value,
        attempts,
        _truncated(str(error), 300),
    )
    return envelope


def dead_letter_queue(
    names: ServiceNames, registration: HandlerRegistration, message: ReceivedMessage
) -> str:
    """The archive that the queue ``message`` was read from dead-letters a rejected message to."""
    if message.queue == names.isolation_queue:
        return names.archive_queue()
    return registration.route.archive_queue


def _publish_or_reject(
    app: EventsApp,
    envelope: Envelope,
    registration: HandlerRegistration,
    message: ReceivedMessage,
    purpose: str,
) -> None:
    """Publish a retry or archive copy; raise ``Reject`` when the broker does not take it.

    A copy the broker refuses (no exchange, no queue, a closed channel, a nack) may
    have found part of the topology deleted under the running worker, such as the
    archive queue or a retry bucket: the topology is declared again and the copy sent
    once more. A copy that still fails is rejected to the dead-letter route of the queue
    the message came from, which parks it in the archive, but only while that archive
    queue exists; a rejected message would be dropped otherwise, so it goes back to its
    queue instead.
    """
    parking = dead_letter_queue(app.names, registration, message)
    try:
        app.publisher.publish(envelope)
        return
    except PublishError as error:
        failure = error
    archive_exists: bool | None = True
    if answered(failure):
        archive_exists = restore_topology(app, parking)
        if archive_exists is None:
            try:
                app.publisher.publish(envelope)
                return
            except PublishError as error:
                failure = error
    if archive_exists is False:
        logger.error(
            "Could not %s a message of %s (%s), and the archive queue %s is missing; "
            "returning the message to its queue.",
            purpose,
            message.queue,
            failure,
            parking,
        )
        raise Reject(str(failure), requeue=True) from failure
    logger.error(
        "Could not %s a message of %s (%s); rejecting it so the queue's dead-letter "
        "route parks it in %s.",
        purpose,
        message.queue,
        failure,
        parking,
    )
    raise Reject(str(failure), requeue=False) from failure


def answered(error: PublishError) -> bool:
    """Tell whether the broker answered a failed publish (so part of the topology may be gone).

    A lost connection or a missing confirm says nothing about the topology.
    """
    return not isinstance(error, BrokerUnavailableError | PublishTimeoutError)


def restore_topology(app: EventsApp, archive_queue: str) -> bool | None:
    """Declare the service's topology again.

    None when that worked; otherwise whether ``archive_queue`` exists, so that a message
    rejected to it is parked, not dropped.
    """
    service = app.names.service
    try:
        with app.connection_for_write() as kombu_connection:
            kombu_connection.connect()
            connection = kombu_connection.connection
            try:
                declare(app.topology(), connection)
            except TopologyError as error:
                logger.error(
                    "Could not declare the topology of service %r again: %s", service, error
                )
                return queue_depth(connection, archive_queue) is not None
    except Exception as error:  # noqa: BLE001 - the broker cannot tell, so keep the message
        logger.error("Could not declare the topology of service %r again: %s", service, error)
        return False
    logger.warning("Declared the topology of service %r again: part of it was missing.", service)
    return None
