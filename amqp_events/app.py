"""``events_app()``: one configured Celery app per service, with typed events and handlers."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar, cast

import amqp
from celery import Celery

from amqp_events.errors import ConfigurationError, PayloadError
from amqp_events.events import Delivery, ExchangeSpec, Headers, IncomingEvent, OutgoingEvent
from amqp_events.handling import HandlerTask, run_handler
from amqp_events.policy import (
    DEFAULT_ARCHIVE,
    DEFAULT_RETRY,
    ArchivePolicy,
    QueueType,
    RetryPolicy,
)
from amqp_events.publisher import Batch, Envelope, Publisher, amqp_connection
from amqp_events.signature import kwargs_decoder, kwargs_encoder
from amqp_events.task_options import check_task_options
from amqp_events.topology import (
    DEFAULT_EXCHANGE,
    HandlerRoute,
    ServiceNames,
    Topology,
    check_name,
    publisher_topology,
    service_topology,
)
from amqp_events.wire import HEADER_PREFIX, JsonValue, encode_json, random_id

__all__ = ["EventFunction", "EventsApp", "EventsSettings", "HandlerRegistration", "events_app"]

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"


@dataclass(frozen=True, slots=True)
class EventsSettings:
    """The event-specific settings of one app; Celery settings live in ``app.conf``."""

    service: str
    exchange: str = DEFAULT_EXCHANGE
    """Default topic exchange that events are published to and bound from."""
    retry: RetryPolicy = DEFAULT_RETRY
    archive: ArchivePolicy = DEFAULT_ARCHIVE
    queue_type: QueueType = "classic"
    delivery_limit: int = 5
    """Deliveries of one message to a worker that dies before the message goes to the archive."""
    publish_timeout: float = 10.0
    """Seconds to wait for a connection or a confirm before a publish raises."""
    mandatory: bool = False
    """Raise ``UnroutableError`` for events that no queue is bound for."""
    max_in_flight: int = 1000
    """Unconfirmed messages a batch may have outstanding."""

    def __post_init__(self) -> None:
        if self.queue_type not in ("classic", "quorum"):
            raise ConfigurationError(
                f"queue_type must be 'classic' or 'quorum', got {self.queue_type!r}."
            )
        if self.delivery_limit < 1:
            raise ConfigurationError(
                f"delivery_limit must be at least 1, got {self.delivery_limit!r}."
            )
        if self.publish_timeout <= 0:
            raise ConfigurationError(
                "publish_timeout must be a positive number of seconds, "
                f"got {self.publish_timeout!r}."
            )
        check_name(self.exchange, "Exchange name")


@dataclass(frozen=True, slots=True)
class HandlerRegistration:
    """A handler as the worker sees it: what it consumes, what it calls, where failures go."""

    incoming: IncomingEvent[Any]
    callback: Callable[[Any, Delivery[Headers]], None]
    route: HandlerRoute

    @property
    def task_name(self) -> str:
        """The Celery task name, which is also the queue name."""
        return self.route.queue


class EventFunction(Generic[P]):
    """A function that validates its arguments (its body) and then publishes them as an event."""

    def __init__(
        self, app: EventsApp, event: OutgoingEvent[dict[str, JsonValue]], func: Callable[P, object]
    ) -> None:
        self.app = app
        self.event = event
        self.func = func
        self.name = event.name
        self._encode = kwargs_encoder(func, event.name)
        self.__doc__ = func.__doc__
        self.__name__ = getattr(func, "__name__", event.name)
        self.__wrapped__ = func

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> str:
        """Run the validation body, then publish; return the message id once confirmed."""
        self.func(*args, **kwargs)
        return self.app.publish(self.event, self._encode(args, kwargs))

    def __repr__(self) -> str:
        return f"<event {self.name!r} of service {self.app.settings.service!r}>"


class EventsApp(Celery):
    """A Celery app for one service: fire events, handle events, retry and archive failures."""

    def __init__(self, settings: EventsSettings, **celery_kwargs: Any) -> None:
        super().__init__(settings.service, **celery_kwargs)
        self.settings = settings
        self.names = ServiceNames(settings.service)
        self._handlers: dict[str, HandlerRegistration] = {}
        self._outgoing: dict[tuple[str, str], OutgoingEvent[Any]] = {}
        self._publisher: Publisher | None = None
        # Named, not imported: the step's module imports Celery's worker internals, which
        # only a worker loads.
        self.steps["consumer"].add("amqp_events.consumer:EventConsumerStep")

    # -- registration ------------------------------------------------------------------

    def event(
        self,
        name: str,
        *,
        exchange: str | None = None,
        mandatory: bool | None = None,
    ) -> Callable[[Callable[P, object]], EventFunction[P]]:
        """Turn a function into an event: its parameters are the payload's fields.

        Calling the result runs the function body (raise there to refuse bad values),
        then publishes ``{parameter: value, ...}`` as JSON and waits for the confirm.
        """
        check_name(name, "Event name")

        def decorate(func: Callable[P, object]) -> EventFunction[P]:
            outgoing: OutgoingEvent[dict[str, JsonValue]] = OutgoingEvent(
                name=name,
                encode=_identity,
                exchange=ExchangeSpec(exchange),
                mandatory=mandatory,
            )
            self.register_outgoing(outgoing)
            return EventFunction(self, outgoing, func)

        return decorate

    def register_outgoing(self, event: OutgoingEvent[Any]) -> None:
        """Record an event this service publishes (for topology and documentation).

        Several messages may share one event name (one channel) when their AMQP ``type``
        properties differ.
        """
        key = (event.name, event.message_type or event.name)
        known = self._outgoing.setdefault(key, event)
        if known is not event and known != event:
            raise ConfigurationError(
                f"Event {event.name!r} with message type {key[1]!r} is already defined in "
                f"service {self.settings.service!r} with other settings."
            )

    def handler(
        self,
        name: str,
        *,
        exchange: str | None = None,
        binding_keys: Iterable[str] = (),
        retry: RetryPolicy | None = None,
        archive: ArchivePolicy | None = None,
        max_priority: int | None = None,
        **task_options: Any,
    ) -> Callable[[Callable[..., object]], Callable[..., object]]:
        """Register a function as the handler of an event; it receives the payload's fields.

        The function runs as a Celery task in the worker. ``retry`` and ``archive``
        override the app's policies for this handler; ``max_priority`` makes its queue
        hand out events by their AMQP priority. Other keyword arguments are the Celery
        task options a handler honours: ``time_limit``, ``soft_time_limit`` and
        ``rate_limit``.
        """
        check_name(name, "Event name")

        def decorate(func: Callable[..., object]) -> Callable[..., object]:
            decode = kwargs_decoder(func, name)
            incoming: IncomingEvent[dict[str, JsonValue]] = IncomingEvent(
                name=name,
                decode=decode,
                binding_keys=tuple(binding_keys),
                exchange=ExchangeSpec(exchange),
                max_priority=max_priority,
            )

            def call(payload: dict[str, JsonValue], delivery: Delivery[Headers]) -> None:
                del delivery
                func(**payload)

            self.add_handler(incoming, call, retry=retry, archive=archive, **task_options)
            return func

        return decorate

    def add_handler(
        self,
        incoming: IncomingEvent[T],
        callback: Callable[[T, Delivery[Headers]], None],
        *,
        retry: RetryPolicy | None = None,
        archive: ArchivePolicy | None = None,
        **task_options: Any,
    ) -> HandlerRegistration:
        """Register ``callback`` for ``incoming`` as a Celery task on the service's own queue.

        ``task_options`` are the Celery task options a handler honours
        (``amqp_events.task_options``); any other raises ``ConfigurationError``.
        """
        check_task_options(incoming.name, task_options)
        queue = self.names.handler_queue(incoming.name)
        check_name(queue, "Queue name")
        if queue in self._handlers:
            raise ConfigurationError(
                f"Service {self.settings.service!r} already has a handler for event "
                f"{incoming.name!r}; one service handles an event once (its queue {queue!r} "
                "would otherwise split messages between two functions)."
            )
        for key in incoming.keys:
            check_name(key, "Binding key")
        self._check_priority(incoming)
        route = HandlerRoute.for_event(
            self.names,
            incoming.name,
            incoming.exchange.declared(self.settings.exchange),
            incoming.keys,
            retry=retry or self.settings.retry,
            archive=archive or self.settings.archive,
            default_archive=self.settings.archive,
            max_priority=incoming.max_priority,
        )
        registration = HandlerRegistration(incoming=incoming, callback=callback, route=route)
        self._handlers[queue] = registration
        # Celery's task decorator is untyped once options are passed through **kwargs.
        register_task = cast(Callable[..., Callable[[Callable[..., str]], object]], self.task)
        register_task(name=queue, base=HandlerTask, bind=True, shared=False, **task_options)(
            run_handler
        )
        return registration

    def _check_priority(self, incoming: IncomingEvent[Any]) -> None:
        """Refuse a ``max_priority`` RabbitMQ would refuse as the queue's ``x-max-priority``."""
        value = incoming.max_priority
        if value is None:
            return
        if type(value) is not int or not 1 <= value <= 255:
            raise ConfigurationError(
                f"max_priority of the handler of event {incoming.name!r} must be a whole number "
                f"from 1 to 255 (RabbitMQ recommends at most 10), got {value!r}."
            )
        if self.settings.queue_type == "quorum":
            raise ConfigurationError(
                f"The handler of event {incoming.name!r} asks for max_priority, but RabbitMQ "
                "refuses x-max-priority on quorum queues (queue_type='quorum'); RabbitMQ 4 "
                "quorum queues hand out priorities 5 and above first by themselves."
            )

    @property
    def handlers(self) -> Mapping[str, HandlerRegistration]:
        """Registered handlers by queue (and task) name."""
        return self._handlers

    @property
    def outgoing(self) -> Mapping[tuple[str, str], OutgoingEvent[Any]]:
        """Events this service publishes, by event name and AMQP message type."""
        return self._outgoing

    # -- topology ----------------------------------------------------------------------

    def topology(self) -> Topology:
        """Everything the service's workers declare: handler queues, retry ladder, archives."""
        return service_topology(
            self.names,
            [registration.route for registration in self._handlers.values()],
            queue_type=self.settings.queue_type,
            delivery_limit=self.settings.delivery_limit,
            archive=self.settings.archive,
        )

    def publisher_topology(self) -> Topology:
        """What a producer of this service declares: only the exchanges it publishes to."""
        return publisher_topology(
            e.exchange.declared(self.settings.exchange) for e in self._outgoing.values()
        )

    # -- publishing --------------------------------------------------------------------

    @property
    def publisher(self) -> Publisher:
        """The app's confirmed publisher; it connects on first use."""
        if self._publisher is None:
            self._publisher = Publisher(
                self._connect,
                url_for_errors=self.broker_url,
                publish_timeout=self.settings.publish_timeout,
                max_in_flight=self.settings.max_in_flight,
            )
        return self._publisher

    @property
    def broker_url(self) -> str:
        """The broker this app publishes to."""
        url = self.conf.broker_write_url or self.conf.broker_url or DEFAULT_BROKER_URL
        return str(url)

    def _connect(self) -> amqp.Connection:
        """Build (not open) a py-amqp connection from the app's broker settings.

        Celery's transport options apply, except ``confirm_publish``: the publisher
        runs confirm mode itself, pipelined.
        """
        options = {
            key: value
            for key, value in (self.conf.broker_transport_options or {}).items()
            if key != "confirm_publish"
        }
        options.setdefault("write_timeout", self.settings.publish_timeout)
        options.setdefault(
            "client_properties",
            {
                "connection_name": f"amqp-events {self.settings.service} publisher "
                f"{socket.gethostname()}:{os.getpid()}"
            },
        )
        return amqp_connection(
            self.broker_url,
            connect_timeout=min(self.settings.publish_timeout, 10.0),
            ssl=self.conf.broker_use_ssl,
            login_method=self.conf.broker_login_method,
            **options,
        )

    def publish(
        self,
        event: OutgoingEvent[T],
        payload: T,
        *,
        routing_key: str | None = None,
        headers: Mapping[str, object] | None = None,
        correlation_id: str | None = None,
        message_id: str | None = None,
        reply_to: str | None = None,
        priority: int | None = None,
    ) -> str:
        """Validate and publish one event; return its message id once the broker confirmed it.

        Inside ``with app.batch():`` the confirm is awaited at the end of the block.
        """
        value = event.encode(payload)
        event.validate(value)
        try:
            body = encode_json(value)
        except (TypeError, ValueError) as error:
            raise PayloadError(
                event.name,
                f"it cannot be written as JSON ({error}); "
                "send str, int, float, bool, None, lists and dicts of those.",
            ) from None
        application_headers: dict[str, object] = {}
        if headers:
            own = [key for key in headers if key.startswith(HEADER_PREFIX)]
            if own:
                raise PayloadError(
                    event.name,
                    f"header {own[0]!r} uses the prefix {HEADER_PREFIX!r}, which is reserved "
                    "for the runtime's own bookkeeping.",
                )
            event.validate_headers(headers)
            application_headers.update(headers)
        message_id = message_id or random_id()
        properties: dict[str, Any] = {
            "content_type": event.content_type,
            "content_encoding": "utf-8",
            "delivery_mode": event.delivery_mode,
            "message_id": message_id,
            "type": event.message_type or event.name,
            "app_id": self.settings.service,
        }
        if application_headers:
            properties["application_headers"] = application_headers
        if correlation_id is not None:
            properties["correlation_id"] = correlation_id
        if reply_to is not None:
            properties["reply_to"] = reply_to
        chosen_priority = event.priority if priority is None else priority
        if chosen_priority is not None:
            properties["priority"] = chosen_priority
        if event.expiration_ms is not None:
            properties["expiration"] = str(event.expiration_ms)
        exchange = event.exchange.declared(self.settings.exchange)
        mandatory = self.settings.mandatory if event.mandatory is None else event.mandatory
        self.publisher.publish(
            Envelope(
                exchange=exchange.name,
                routing_key=routing_key or event.name,
                body=body,
                properties=properties,
                mandatory=mandatory,
                declare=(exchange,),
            )
        )
        return message_id

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Pipeline every publish in the block and wait for all confirms at its end.

        Raises a ``PublishError`` when the block ends if any event was not confirmed.
        """
        with self.publisher.batch() as batch:
            yield batch


def _identity(value: T) -> T:
    return value


def events_app(
    service_name: str,
    *,
    broker_url: str | None = None,
    imports: Iterable[str] = (),
    exchange: str = DEFAULT_EXCHANGE,
    retry: RetryPolicy | None = None,
    archive: ArchivePolicy | None = None,
    queue_type: QueueType = "classic",
    delivery_limit: int = 5,
    publish_timeout: float = 10.0,
    mandatory: bool = False,
    **celery_settings: Any,
) -> EventsApp:
    """Create the Celery app of one service, with robust defaults for events.

    Nothing is read from the environment and nothing connects to the broker here.
    ``celery_settings`` are Celery settings (``worker_prefetch_multiplier=...``) and
    override the defaults below.
    """
    settings = EventsSettings(
        service=service_name,
        exchange=exchange,
        retry=retry or DEFAULT_RETRY,
        archive=archive or DEFAULT_ARCHIVE,
        queue_type=queue_type,
        delivery_limit=delivery_limit,
        publish_timeout=publish_timeout,
        mandatory=mandatory,
    )
    app = EventsApp(settings, set_as_current=False)
    conf: dict[str, Any] = {
        "broker_url": broker_url or DEFAULT_BROKER_URL,
        "imports": tuple(imports),
        "result_backend": None,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": True,
        "broker_transport_options": {"confirm_publish": True},
        "broker_connection_retry_on_startup": True,
        "worker_prefetch_multiplier": 4,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        # Plain Celery tasks of this service get a queue of their own instead of the
        # shared 'celery' queue, so two services never consume each other's tasks.
        "task_default_queue": f"{service_name}:tasks",
        "accept_content": ["json"],
    }
    conf.update(celery_settings)
    app.conf.update(conf)
    return app
