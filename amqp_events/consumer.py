"""The worker side: consume handler queues and run each raw message as a Celery task.

A Celery consumer bootstep declares the service's topology when the worker connects,
then consumes every handler queue with its own callback, so the queue a message came
from says which handler it is for. Messages are plain JSON as any AMQP client sends
them, not Celery task messages: each is wrapped into a Celery task request, with the
raw body as the task's only argument, and handed to the worker's pool. Decoding and
validation happen in the pool, so the consumer loop stays cheap and never crashes on
a bad body.

Classic queues cannot count deliveries, so a redelivered message (its worker died
while handling it) is republished with ``x-amqp-events-deliveries`` raised by one;
past ``delivery_limit`` it goes to the archive. Quorum queues do this themselves with
``x-delivery-limit``.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

import kombu
from billiard.einfo import ExceptionWithTraceback  # type: ignore[attr-defined]  # not in the stubs
from billiard.exceptions import TimeLimitExceeded
from celery import bootsteps, signals
from celery.exceptions import Reject
from celery.worker import state as worker_state
from celery.worker.request import Request, create_request_cls  # type: ignore[attr-defined]
from celery.worker.state import task_ready, task_reserved
from vine import promise

from amqp_events import wire
from amqp_events.declare import declare
from amqp_events.errors import PublishError
from amqp_events.handling import (
    Reason,
    ReceivedMessage,
    archive_envelope,
    copy_envelope,
    failure_headers,
    timed_out,
)

if TYPE_CHECKING:
    from amqp_events.app import EventsApp, HandlerRegistration

__all__ = ["EventConsumerStep"]

logger = logging.getLogger(__name__)

_EMBED: dict[str, Any] = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


def _raw_body(message: kombu.Message) -> bytes:
    # The stubs say str, but a channel with auto_decode off always hands over bytes.
    body: object = message.body
    if isinstance(body, bytes):
        return body
    return str(body or "").encode()


def _received(message: kombu.Message) -> ReceivedMessage:
    info = message.delivery_info
    return ReceivedMessage(
        body=_raw_body(message),
        properties=message.properties,
        exchange=str(info.get("exchange") or ""),
        routing_key=str(info.get("routing_key") or ""),
        redelivered=bool(info.get("redelivered")),
    )


class WorkerLostRepeatedly(Exception):  # noqa: N818 - names what happened, recorded in headers
    """A message was redelivered more often than the delivery limit allows."""


class _EventRequest(Request):
    """A handler's task request: a hard time limit counts as a failed attempt.

    Celery would requeue the message, so a handler that always overruns would run again
    at once, until the delivery limit parks it as a lost worker. Instead the message
    takes the retry ladder like any failure, then the archive, and names the timeout.
    Celery reports a hard timeout twice (``on_failure`` and ``on_timeout``, in either
    order); the first report acts, the second finds the message settled.
    """

    events_app: EventsApp
    registration: HandlerRegistration

    def on_timeout(self, soft: bool, timeout: float) -> None:
        """Retry or archive a message whose handler the hard time limit killed."""
        if soft or worker_state.should_terminate:
            super().on_timeout(soft, timeout)
            return
        self._retry_after_timeout(timeout)

    def on_failure(
        self, exc_info: Any, send_failed_event: bool = True, return_ok: bool = False
    ) -> None:
        """Route a hard timeout to the retry ladder; anything else as Celery does."""
        error = exc_info.exception
        error = error.exc if isinstance(error, ExceptionWithTraceback) else error
        if isinstance(error, TimeLimitExceeded) and not worker_state.should_terminate:
            limit = error.args[0] if error.args else self.task.time_limit
            self._retry_after_timeout(limit if isinstance(limit, int | float) else 0)
            return
        super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)

    def _retry_after_timeout(self, timeout: float) -> None:
        task_ready(self)
        if self.acknowledged:
            return
        error = TimeLimitExceeded(
            f"The handler ran longer than its hard time limit of {timeout:g} s and its "
            "process was killed."
        )
        try:
            timed_out(self.events_app, self.registration, _received(self.message), error)
        except Reject:
            self.reject(requeue=False)  # the dead-letter route parks it in the archive
            return
        self.acknowledge()


class EventConsumerStep(bootsteps.ConsumerStep):
    """Consume the service's handler queues and dispatch messages into the worker pool."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, c: Any, **kwargs: Any) -> None:
        super().__init__(c, **kwargs)
        self.consumer = c
        self._request_classes: dict[str, type[Request]] = {}

    @property
    def app(self) -> EventsApp:
        """The events app this worker runs."""
        app: EventsApp = self.consumer.app
        return app

    def start(self, c: Any) -> None:
        """Open a channel that keeps bodies as raw bytes and start consuming on it."""
        channel = c.connection.channel()
        # py-amqp would otherwise decode bodies that name a content encoding, and
        # silently keep bytes when that fails: handlers must see exactly what was sent.
        channel.auto_decode = False
        self.consumers = self.get_consumers(channel)
        if c.hub is not None:
            # An event-loop pool (prefork) accepts work only once the loop runs; the
            # first loop iteration starts our consumers, as Celery does for its own.
            c.hub.call_soon(self._consume)
        else:
            self._consume()

    def _consume(self) -> None:
        for consumer in self.consumers or []:
            consumer.consume()

    def get_consumers(self, channel: Any) -> list[kombu.Consumer]:
        """Declare the topology, then start one consumer per handler queue."""
        app = self.app
        if not app.handlers:
            return []
        declare(app.topology(), channel.connection)
        prefetch = self.consumer.initial_prefetch_count or 0
        if prefetch:
            # Classic queues share one limit across the channel; quorum queues only
            # support a limit per consumer.
            channel.basic_qos(0, prefetch, app.settings.queue_type == "classic")
        self._request_classes.clear()
        return [
            kombu.Consumer(
                channel,
                queues=[kombu.Queue(registration.route.queue, no_declare=True)],
                on_message=partial(self._on_message, registration),
                auto_declare=False,
                no_ack=False,
            )
            for registration in app.handlers.values()
        ]

    def _on_message(self, registration: HandlerRegistration, message: kombu.Message) -> None:
        try:
            if not self._addressed_to(registration, message):
                message.ack()  # a copy the coarse topic binding let in; its queue has its own
                return
            if (
                message.delivery_info.get("redelivered")
                and self.app.settings.queue_type == "classic"
                and self._count_redelivery(registration, message)
            ):
                return
            self._dispatch(registration, message)
        except Exception:
            # A bug here must neither kill the worker nor lose the message: the queue's
            # dead-letter route parks it in the archive.
            logger.exception(
                "Could not dispatch a message of %s; rejecting it to the archive.",
                registration.route.queue,
            )
            message.reject(requeue=False)

    @staticmethod
    def _addressed_to(registration: HandlerRegistration, message: kombu.Message) -> bool:
        """Tell whether a message published to the event's exchange carries its address.

        Copies that come back from the retry ladder or a replay were checked on their
        first delivery; a message sent straight to the queue was meant for it.
        """
        info = message.delivery_info
        exchange = info.get("exchange") or ""
        if exchange != registration.route.exchange.name:
            return True
        routing_key = str(info.get("routing_key") or "")
        if registration.incoming.matches_routing_key(routing_key):
            return True
        logger.debug(
            "Dropped a message with routing key %r from %s: the binding %r admits it, but the "
            "address %r does not.",
            routing_key,
            registration.route.queue,
            registration.route.binding_keys,
            registration.incoming.name,
        )
        return False

    def _count_redelivery(self, registration: HandlerRegistration, message: kombu.Message) -> bool:
        """Republish a redelivered message with its delivery count raised; True when done."""
        app = self.app
        received = _received(message)
        ours = received.bookkeeping(app.names, registration.route.queue)
        deliveries = wire.header_count(ours, wire.DELIVERIES) + 1
        if deliveries > app.settings.delivery_limit:
            error = WorkerLostRepeatedly(
                f"The message was delivered {deliveries} times and each time its worker died "
                "or lost its connection before acknowledging it "
                f"(limit {app.settings.delivery_limit})."
            )
            headers = failure_headers(
                received,
                app.names,
                registration,
                attempts=wire.header_count(ours, wire.ATTEMPT) + 1,
                error=error,
                reason=Reason.DELIVERY_LIMIT.value,
            )
            headers[wire.DELIVERIES] = deliveries
            envelope = archive_envelope(received, headers, app.names, registration)
        else:
            headers = {**wire.own_headers_removed(received.headers, app.names.retry_prefix), **ours}
            headers[wire.DELIVERIES] = deliveries
            headers.setdefault(wire.ORIGINAL_EXCHANGE, received.exchange)
            headers.setdefault(wire.ORIGINAL_ROUTING_KEY, received.routing_key)
            envelope = copy_envelope(
                received,
                headers,
                exchange=app.names.recover_exchange,
                routing_key=registration.route.queue,
            )
        try:
            app.publisher.publish(envelope)
        except PublishError as error:
            logger.warning(
                "Could not count a redelivery of a message of %s (%s); handling it as is.",
                registration.route.queue,
                error,
            )
            return False
        message.ack()
        return True

    def _request_class(self, registration: HandlerRegistration, task: Any) -> type[Request]:
        cls = self._request_classes.get(registration.task_name)
        if cls is None:
            c = self.consumer
            cls = create_request_cls(
                _EventRequest, task, c.pool, c.hostname, c.event_dispatcher, app=self.app
            )
            cls.events_app = self.app
            cls.registration = registration
            self._request_classes[registration.task_name] = cls
        return cls

    def _dispatch(self, registration: HandlerRegistration, message: kombu.Message) -> None:
        c = self.consumer
        task = self.app.tasks[registration.task_name]
        call_soon = getattr(c, "call_soon_ack", c.call_soon)
        task_id = wire.random_id()
        body = _raw_body(message)
        headers: dict[str, Any] = {
            "id": task_id,
            "task": registration.task_name,
            "root_id": task_id,
            "parent_id": None,
            "retries": 0,
            "argsrepr": f"(<{len(body)} bytes>,)",
            "kwargsrepr": "{}",
            "ignore_result": True,
        }
        request = self._request_class(registration, task)(
            message,
            on_ack=promise(call_soon, (message.ack_log_error,)),
            on_reject=promise(call_soon, (message.reject_log_error,)),
            app=self.app,
            hostname=c.hostname,
            eventer=c.event_dispatcher,
            task=task,
            connection_errors=c.connection_errors,
            body=((body,), {}, _EMBED),
            headers=headers,
            decoded=True,
            utc=True,
        )
        signals.task_received.send(sender=c, request=request)
        # The handler's rate_limit, as Celery's default strategy applies it: the bucket
        # hands the request to the pool once a token is free.
        bucket = None if c.disable_rate_limits else c.task_buckets[task.name]
        if bucket is not None:
            c._limit_task(request, bucket, 1)
            return
        task_reserved(request)
        c.on_task_request(request)
