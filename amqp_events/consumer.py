"""The worker side: consume handler queues and run each raw message as a Celery task.

A Celery consumer bootstep declares the service's topology when the worker connects,
then consumes every handler queue with its own callback, so the queue a message came
from says which handler it is for. Messages are plain JSON as any AMQP client sends
them, not Celery task messages: each is wrapped into a Celery task request, with the
raw body as the task's only argument, and handed to the worker's pool. Decoding and
validation happen in the pool, so the consumer loop stays cheap and never crashes on
a bad body.

Lost workers count only when a worker died while running the message:

- a prefork pool process dies while it runs a message: the worker's main process sees
  it and counts it at once (a copy with ``x-amqp-events-deliveries`` raised by one goes
  back to the handler queue, or to the archive past ``delivery_limit``);
- any other redelivery (the message was only prefetched, a warm shutdown returned it,
  the connection dropped, or the whole worker died and nobody can tell which of its
  messages ran) is not counted: the message moves to the service's isolation lane,
  which every worker consumes one message at a time. A message that comes back from
  the lane was held, and so was running, when its worker was lost: that counts.

Every copy that replaces a message is published by the relay (``amqp_events.relay``),
which never makes this loop wait; the original is settled when the copy is confirmed.
A copy goes through the recover exchange, so it carries the producer's headers and
only the bookkeeping that ``amqp_events.trust`` believes, never a header as received.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import kombu
from billiard.einfo import ExceptionWithTraceback  # type: ignore[attr-defined]  # not in the stubs
from billiard.exceptions import TimeLimitExceeded, WorkerLostError
from celery import bootsteps, signals
from celery.worker import state as worker_state
from celery.worker.request import Request, create_request_cls  # type: ignore[attr-defined]
from celery.worker.state import task_ready, task_reserved
from kombu.common import ignore_errors

from amqp_events import wire
from amqp_events.declare import declare
from amqp_events.errors import BrokerUnavailableError, PublishError
from amqp_events.handling import (
    CONSUMED_FROM,
    Reason,
    ReceivedMessage,
    answered,
    archive_copy,
    copy_envelope,
    dead_letter_queue,
    received,
    restore_topology,
    timed_out,
    worker_deaths,
)
from amqp_events.publisher import Envelope, masked_url
from amqp_events.relay import Relay, Settle
from amqp_events.task_options import unenforced_limits

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


def _received(app: EventsApp, message: kombu.Message, queue: str) -> ReceivedMessage:
    """Describe a message read from ``queue`` (a handler queue or the isolation lane)."""
    return received(app.names, _raw_body(message), message.properties, message.delivery_info, queue)


def _channel_open(message: kombu.Message) -> bool:
    """Tell whether a message can still be settled: its channel (and connection) is open."""
    channel = message.channel
    return bool(channel is not None and channel.is_open and channel.connection is not None)


class WorkerLostRepeatedly(Exception):  # noqa: N818 - names what happened, recorded in headers
    """A message was redelivered more often than the delivery limit allows."""


class _EventRequest(Request):
    """A handler's task request: lost pool processes and hard time limits, our way.

    A pool process that dies while it runs the message is counted against the delivery
    limit here, where the worker's main process sees it, instead of Celery's requeue,
    which looks to the broker like any other return. A hard time limit counts as a
    failed attempt: Celery would requeue the message, so a handler that always overruns
    would run again at once; instead the message takes the retry ladder like any
    failure, then the archive, and names the timeout. Celery reports a hard timeout
    twice (``on_failure`` and ``on_timeout``, in either order); the first report acts,
    the second finds the message replaced. Either copy is published by the relay and the
    message is settled when the broker confirms it.
    """

    events_app: EventsApp
    registration: HandlerRegistration
    step: EventConsumerStep
    # Set once a copy replaces the message: a later report of the same loss finds it.
    replaced = False

    @property
    def consumed_from(self) -> str:
        """The queue the message was read from: the handler queue or the isolation lane."""
        queue = self.request_dict.get(CONSUMED_FROM)
        return queue if isinstance(queue, str) else self.registration.route.queue

    def _received(self) -> ReceivedMessage:
        return _received(self.events_app, self.message, self.consumed_from)

    def on_timeout(self, soft: bool, timeout: float) -> None:
        """Retry or archive a message whose handler the hard time limit killed."""
        if soft or worker_state.should_terminate:
            super().on_timeout(soft, timeout)
            return
        self._retry_after_timeout(timeout)

    def on_failure(
        self, exc_info: Any, send_failed_event: bool = True, return_ok: bool = False
    ) -> None:
        """Count a lost pool process, route a hard timeout; anything else as Celery does."""
        error = exc_info.exception
        error = error.exc if isinstance(error, ExceptionWithTraceback) else error
        if not worker_state.should_terminate:
            if isinstance(error, TimeLimitExceeded):
                limit = error.args[0] if error.args else self.task.time_limit
                self._retry_after_timeout(limit if isinstance(limit, int | float) else 0)
                return
            # Celery's own cancel (a lost connection) or revoke killed it: not a death.
            cancelled = getattr(self, "_already_cancelled", False) or getattr(
                self, "_already_revoked", False
            )
            if (
                isinstance(error, WorkerLostError | SystemExit | KeyboardInterrupt)
                and not cancelled
            ):
                self._count_lost_process()
                return
        super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)

    def _retry_after_timeout(self, timeout: float) -> None:
        task_ready(self)
        if self.acknowledged or self.replaced:
            return
        self.replaced = True
        error = TimeLimitExceeded(
            f"The handler ran longer than its hard time limit of {timeout:g} s and its "
            "process was killed."
        )
        received_message = self._received()
        _, envelope = timed_out(self.events_app, self.registration, received_message, error)
        self.step.relay_for_request(self, received_message, envelope, "retry or archive")

    def _count_lost_process(self) -> None:
        task_ready(self)
        if self.acknowledged or self.replaced:
            return
        self.replaced = True
        received_message = self._received()
        envelope = self.step.death_copy(
            self.registration, received_message, destination=self.registration.route.queue
        )
        self.step.relay_for_request(
            self, received_message, envelope, "count the lost pool process of"
        )


class EventConsumerStep(bootsteps.ConsumerStep):
    """Consume the service's handler queues and dispatch messages into the worker pool."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, c: Any, **kwargs: Any) -> None:
        super().__init__(c, **kwargs)
        self.consumer = c
        self._request_classes: dict[str, type[Request]] = {}
        app = self.app
        self.relay = Relay(
            app._connect,  # the settings of every publish of the app
            timeout=app.settings.publish_timeout,
            url_for_errors=masked_url(app.broker_url),
        )
        # Settlements Celery scheduled on the event loop, until they ran: a loop that
        # stops on an exception drops the callbacks it had taken, and shutdown runs them.
        self._scheduled: dict[kombu.Message, tuple[Callable[..., Any], tuple[Any, ...]]] = {}
        # Messages held from the isolation lane, with their requests once dispatched.
        self._lane_held: dict[kombu.Message, Request | None] = {}
        # Lane messages that wait for the relay's copies to be settled before they start.
        self._lane_waiting: list[tuple[HandlerRegistration, kombu.Message]] = []
        self._stopping = False
        self._limits_checked = False

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
        if not self.consumers:
            return
        if not self._limits_checked:
            self._limits_checked = True
            self._warn_unenforced_limits(c.pool)
        self.consumers.append(self._lane_consumer(c.connection.channel()))
        self._stopping = False
        self._lane_waiting.clear()
        self.relay.close()  # a new consumer connection: the copies of the old one are moot
        self.relay.open()
        if c.hub is not None:
            # An event-loop pool (prefork) accepts work only once the loop runs; the
            # first loop iteration starts our consumers, as Celery does for its own.
            c.hub.call_soon(self._consume)
        else:
            self.relay.read_in_thread()
            self._consume()

    def _warn_unenforced_limits(self, pool: Any) -> None:
        """Say which handlers' time limits this worker's pool ignores (Celery says nothing)."""
        name = type(pool).__module__.rsplit(".", 1)[-1]
        name = "threads" if name == "thread" else name
        for registration in self.app.handlers.values():
            task = self.app.tasks[registration.task_name]
            options = {o: getattr(task, o, None) for o in ("time_limit", "soft_time_limit")}
            for option in unenforced_limits(options, name):
                logger.warning(
                    "The %s pool does not enforce %s=%s of the handler of %s: it runs as long "
                    "as it takes. Prefork enforces both time limits; gevent enforces time_limit.",
                    name,
                    option,
                    options[option],
                    registration.route.event,
                )

    def register_with_event_loop(self, c: Any, hub: Any) -> None:
        """Read the relay's confirms in the consumer's event loop."""
        if self.consumers:
            self.relay.register_with_event_loop(hub)

    def _consume(self) -> None:
        for consumer in self.consumers or []:
            consumer.consume()

    def stop(self, c: Any) -> None:
        """Stop consuming (basic.cancel) and keep the channels open, as Celery's own tasks do.

        Closing a channel here would hand every unacknowledged message back to the
        broker at once, the running handlers' too: another worker would start them while
        they still run, and their acknowledgements would fail on the closed channel. The
        pool finishes what runs, then ``shutdown`` closes the channels, which returns only
        the messages that never started.
        """
        self._stopping = True
        for consumer in self.consumers or []:
            ignore_errors(c.connection, consumer.cancel)

    def shutdown(self, c: Any) -> None:
        """Settle what is left once the pool has stopped, then close the channels.

        Settlements the event loop dropped are done now, and a lane message that never
        started goes back to the lane uncounted (a return would count it as a lost
        worker). The relay's copies get ``publish_timeout`` to be confirmed.
        """
        self._settle_scheduled()
        lane = self.app.names.isolation_queue
        for message, request in list(self._lane_held.items()):
            started = request is not None and (request.time_start or request.acknowledged)
            if not started and not message.acknowledged and _channel_open(message):
                received_message = _received(self.app, message, lane)
                archive = self.app.names.archive_queue()
                self._relay(message, self._lane_copy(received_message), archive)
        self._lane_held.clear()
        self._lane_waiting.clear()
        self.relay.flush(self.app.settings.publish_timeout)
        self.relay.close()
        channels: set[Any] = {consumer.channel for consumer in self.consumers or []}
        for channel in channels - {None}:
            ignore_errors(c.connection, channel.close)
        self.consumers = []

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

    def _lane_consumer(self, channel: Any) -> kombu.Consumer:
        """Consume the isolation lane one message at a time, on a channel of its own."""
        channel.auto_decode = False
        channel.basic_qos(0, 1, False)
        return kombu.Consumer(
            channel,
            queues=[kombu.Queue(self.app.names.isolation_queue, no_declare=True)],
            on_message=self._on_lane_message,
            auto_declare=False,
            no_ack=False,
        )

    def _on_message(self, registration: HandlerRegistration, message: kombu.Message) -> None:
        try:
            if not self._addressed_to(registration, message):
                message.ack()  # a copy the coarse topic binding let in; its queue has its own
                return
            if message.delivery_info.get("redelivered"):
                self._isolate(registration, message)
                return
            self._dispatch(registration, message, registration.route.queue)
        except self.consumer.connection_errors:
            raise
        except Exception:
            # A bug here must neither kill the worker nor lose the message: the queue's
            # dead-letter route parks it in the archive.
            logger.exception(
                "Could not dispatch a message of %s; rejecting it to the archive.",
                registration.route.queue,
            )
            self._park(message, registration.route.archive_queue)

    def _on_lane_message(self, message: kombu.Message) -> None:
        names = self.app.names
        lane = names.isolation_queue
        try:
            received_message = _received(self.app, message, lane)
            # Only a copy of ours names its handler queue; anything else in the lane
            # (published straight into it) belongs to no handler.
            queue = received_message.bookkeeping(names).get(wire.QUEUE)
            registration = self.app.handlers.get(queue) if isinstance(queue, str) else None
            if registration is None:
                logger.error(
                    "A message in %s names no handler queue of this service (%r); rejecting "
                    "it to the archive.",
                    lane,
                    queue,
                )
                self._park(message, names.archive_queue())
                return
            if message.delivery_info.get("redelivered"):
                # Held from the lane when its worker was lost: it was running then.
                envelope = self.death_copy(registration, received_message, destination=lane)
                self._relay(message, envelope, names.archive_queue())
                return
            self._lane_held = {m: r for m, r in self._lane_held.items() if not m.acknowledged}
            self._lane_held[message] = None
            if self.relay.pending:
                # A lane message may well kill the whole worker again. Started now, it
                # could do so before the originals of the copies in flight are
                # acknowledged, and each of those would come back to be copied again.
                self._lane_waiting.append((registration, message))
                if len(self._lane_waiting) == 1:
                    self.relay.when_idle(self._start_waiting_lane)
                return
            self._dispatch(registration, message, lane)
        except self.consumer.connection_errors:
            raise
        except Exception:  # noqa: BLE001 - logged with its traceback by _lane_failed
            self._lane_failed(message)

    def _lane_failed(self, message: kombu.Message) -> None:
        lane = self.app.names.isolation_queue
        logger.exception("Could not dispatch a message of %s; rejecting it to the archive.", lane)
        self._park(message, self.app.names.archive_queue())

    def _start_waiting_lane(self) -> None:
        """Start the lane messages that waited, once the relay has no copy in flight."""
        if self._stopping:
            return
        waiting, self._lane_waiting = self._lane_waiting, []
        for registration, message in waiting:
            if not _channel_open(message) or message.acknowledged:
                continue
            try:
                self._dispatch(registration, message, self.app.names.isolation_queue)
            except Exception:  # noqa: BLE001 - logged with its traceback by _lane_failed
                self._lane_failed(message)

    def _park(self, message: kombu.Message, archive_queue: str) -> None:
        """Reject a message to its queue's dead-letter route, or keep it if that leads nowhere.

        A dead-letter route whose archive queue was deleted drops the message; the
        topology is declared again first, and while that fails the message goes back.
        """
        missing = restore_topology(self.app, archive_queue) is False
        message.reject(requeue=missing)

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

    # -- copies that replace a message -----------------------------------------------------

    def _lane_copy(self, message: ReceivedMessage, queue: str | None = None) -> Envelope:
        """A copy for the isolation lane: the producer's headers and our trusted bookkeeping.

        ``queue`` names the handler queue the copy belongs to, for a message read from
        that queue; a message read from the lane names it already.
        """
        names = self.app.names
        headers = {
            **wire.own_headers_removed(message.headers, names.retry_prefix),
            **message.bookkeeping(names),
        }
        if queue is not None:
            headers[wire.QUEUE] = queue
        headers.setdefault(wire.ORIGINAL_EXCHANGE, message.exchange)
        headers.setdefault(wire.ORIGINAL_ROUTING_KEY, message.routing_key)
        return copy_envelope(
            message, headers, exchange=names.recover_exchange, routing_key=names.isolation_queue
        )

    def _isolate(self, registration: HandlerRegistration, message: kombu.Message) -> None:
        """Move a redelivered message, uncounted, to the isolation lane.

        When the lane cannot take it, the message is handled where it is, as it would be
        without the lane: rejecting a good message would park it, and returning it would
        bring it straight back.
        """
        queue = registration.route.queue
        envelope = self._lane_copy(_received(self.app, message, queue), queue)

        def handle_here(error: PublishError, requeue: bool) -> None:
            logger.warning(
                "Could not move %s to %s (%s); handling it in %s, uncounted.",
                envelope.describe(),
                self.app.names.isolation_queue,
                error,
                queue,
            )
            self._dispatch(registration, message, queue)

        self._replace(
            envelope,
            message,
            parking=registration.route.archive_queue,
            accept=message.ack,
            give_up=handle_here,
        )

    def death_copy(
        self, registration: HandlerRegistration, message: ReceivedMessage, destination: str
    ) -> Envelope:
        """Count a worker that died running ``message``: the copy to ``destination`` or archive.

        ``destination`` is the handler queue (a lost pool process, seen by the main
        process) or the isolation lane (a message held from it when its worker was lost).
        The copy carries the producer's headers and only the bookkeeping we trust, so a
        forged header never passes through the recover exchange.
        """
        app = self.app
        names = app.names
        ours = message.bookkeeping(names)
        deaths = worker_deaths(message, names) + 1
        if deaths > app.settings.delivery_limit:
            error = WorkerLostRepeatedly(
                f"Its worker died while running it {deaths} times (limit "
                f"{app.settings.delivery_limit})."
            )
            return archive_copy(
                app,
                registration,
                message,
                reason=Reason.DELIVERY_LIMIT,
                error=error,
                attempts=wire.header_count(ours, wire.ATTEMPT) + 1,
                deliveries=deaths,
            )
        headers = {**wire.own_headers_removed(message.headers, names.retry_prefix), **ours}
        headers[wire.DELIVERIES] = deaths
        headers[wire.QUEUE] = registration.route.queue
        headers.setdefault(wire.ORIGINAL_EXCHANGE, message.exchange)
        headers.setdefault(wire.ORIGINAL_ROUTING_KEY, message.routing_key)
        return copy_envelope(
            message, headers, exchange=names.recover_exchange, routing_key=destination
        )

    def _relay(self, message: kombu.Message, envelope: Envelope, parking: str) -> None:
        """Publish a copy that replaces ``message``; settle the message when it is answered."""

        def give_up(error: PublishError, requeue: bool) -> None:
            _log_unsettled(envelope, error, requeue, "move", parking)
            message.reject(requeue=requeue)

        self._replace(envelope, message, parking=parking, accept=message.ack, give_up=give_up)

    def relay_for_request(
        self,
        request: _EventRequest,
        received_message: ReceivedMessage,
        envelope: Envelope,
        purpose: str,
    ) -> None:
        """Publish a copy for a task request; settle the request when it is answered."""
        parking = dead_letter_queue(self.app.names, request.registration, received_message)

        def give_up(error: PublishError, requeue: bool) -> None:
            _log_unsettled(envelope, error, requeue, purpose, parking)
            request.reject(requeue=requeue)

        self._replace(
            envelope, request.message, parking=parking, accept=request.acknowledge, give_up=give_up
        )

    def _replace(
        self,
        envelope: Envelope,
        message: kombu.Message,
        *,
        parking: str,
        accept: Callable[[], object],
        give_up: Callable[[PublishError, bool], None],
    ) -> None:
        """Publish ``envelope`` by the relay and settle the message it replaces by the answer.

        Confirmed: the message is acknowledged. Refused (unroutable, nack, a closed
        channel): part of the topology may have been deleted under the worker, so it is
        declared again and the copy sent once more, as the pool does for its copies
        (``amqp_events.handling``). Lost with the relay's connection: sent once more. A
        copy that still fails is given up with whether the message must go back to its
        queue: when the broker could not be reached, or when ``parking``, the archive its
        queue dead-letters to, is missing; otherwise rejecting it parks it there.
        """
        tries = 0

        def settle(error: PublishError | None) -> None:
            nonlocal tries
            if not _channel_open(message):
                return  # its channel is gone, and the broker returned it
            if error is None:
                accept()
                return
            tries += 1
            archive_exists: bool | None = True
            if tries == 1 and isinstance(error, BrokerUnavailableError):
                self.relay.publish(envelope, settle)
                return
            if tries == 1 and answered(error):
                archive_exists = restore_topology(self.app, parking)
                if archive_exists is None:
                    self.relay.publish(envelope, settle)
                    return
            give_up(error, isinstance(error, BrokerUnavailableError) or archive_exists is False)

        relayed: Settle = settle
        self.relay.publish(envelope, relayed)

    # -- dispatching -----------------------------------------------------------------------

    def _request_class(self, registration: HandlerRegistration, task: Any) -> type[Request]:
        cls = self._request_classes.get(registration.task_name)
        if cls is None:
            c = self.consumer
            cls = create_request_cls(
                _EventRequest, task, c.pool, c.hostname, c.event_dispatcher, app=self.app
            )
            cls.events_app = self.app
            cls.registration = registration
            cls.step = self
            self._request_classes[registration.task_name] = cls
        return cls

    def _scheduling(self, settle: Callable[..., Any], message: kombu.Message) -> Callable[..., Any]:
        """Celery's deferred settlement of a message, remembered until shutdown."""
        c = self.consumer
        call_soon = getattr(c, "call_soon_ack", c.call_soon)

        def settle_once(*args: Any) -> None:
            self._scheduled.pop(message, None)
            if not message.acknowledged and _channel_open(message):
                settle(*args)

        def schedule(*args: Any) -> Any:
            if not _channel_open(message):
                return None  # the broker returned it when the channel closed
            if len(self._scheduled) > 1000:
                self._scheduled = {m: s for m, s in self._scheduled.items() if not m.acknowledged}
            self._scheduled[message] = (settle, args)
            return call_soon(settle_once, *args)

        return schedule

    def _settle_scheduled(self) -> None:
        """Send the settlements Celery scheduled on the event loop now, not on its next turn."""
        for message, (settle, args) in list(self._scheduled.items()):
            self._scheduled.pop(message, None)
            if not message.acknowledged and _channel_open(message):
                settle(*args)

    def _dispatch(
        self, registration: HandlerRegistration, message: kombu.Message, queue: str
    ) -> None:
        """Hand a message read from ``queue`` (its handler queue or the lane) to the pool."""
        c = self.consumer
        task = self.app.tasks[registration.task_name]
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
            CONSUMED_FROM: queue,
        }
        request = self._request_class(registration, task)(
            message,
            on_ack=self._scheduling(message.ack_log_error, message),
            on_reject=self._scheduling(message.reject_log_error, message),
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
        if message in self._lane_held:
            self._lane_held[message] = request
        solo = type(c.pool).__module__ == "celery.concurrency.solo"
        if solo or queue == self.app.names.isolation_queue:
            # This handler may kill the whole worker: a lane message likely, and on solo
            # any handler that crashes. Acknowledgements Celery scheduled for the next
            # turn of the loop go out first, or they would be lost with the worker and
            # their messages run again.
            self._settle_scheduled()
        if self.relay.pending and solo:
            # The solo pool runs the handler on this thread, and no confirm is read until
            # it returns: a handler that kills the process would leave both a copy and
            # its original. Waiting here costs what solo costs anyway.
            self.relay.flush(self.app.settings.publish_timeout)
        signals.task_received.send(sender=c, request=request)
        # The handler's rate_limit, as Celery's default strategy applies it: the bucket
        # hands the request to the pool once a token is free.
        bucket = None if c.disable_rate_limits else c.task_buckets[task.name]
        if bucket is not None:
            c._limit_task(request, bucket, 1)
            return
        task_reserved(request)
        c.on_task_request(request)


def _log_unsettled(
    envelope: Envelope, error: PublishError, requeue: bool, purpose: str, parking: str
) -> None:
    if requeue:
        logger.warning(
            "Could not %s %s (%s); returning the original to its queue.",
            purpose,
            envelope.describe(),
            error,
        )
    else:
        logger.error(
            "Could not %s %s (%s); rejecting the original so its queue's dead-letter route "
            "parks it in %s.",
            purpose,
            envelope.describe(),
            error,
            parking,
        )
