"""Typed events on Celery and RabbitMQ: fire, handle, retry with backoff, archive, replay.

The public API is what ``__all__`` lists; everything else may change without notice.
"""

from amqp_events.app import (
    EventFunction,
    EventsApp,
    EventsSettings,
    HandlerRegistration,
    events_app,
)
from amqp_events.binding import PackageBinding
from amqp_events.errors import (
    AmqpEventsError,
    ArchiveError,
    BrokerUnavailableError,
    ConfigurationError,
    NotBoundError,
    PayloadError,
    PermanentFailure,
    PublishError,
    PublishNackedError,
    PublishTimeoutError,
    SpecError,
    TopologyError,
    UnroutableError,
)
from amqp_events.events import Delivery, ExchangeSpec, Headers, IncomingEvent, OutgoingEvent
from amqp_events.policy import ArchivePolicy, QueueType, RetryPolicy
from amqp_events.schema import SchemaValidator
from amqp_events.topology import Binding, Exchange, Queue, Topology
from amqp_events.wire import JsonValue

__all__ = [
    "AmqpEventsError",
    "ArchiveError",
    "ArchivePolicy",
    "Binding",
    "BrokerUnavailableError",
    "ConfigurationError",
    "Delivery",
    "EventFunction",
    "EventsApp",
    "EventsSettings",
    "Exchange",
    "ExchangeSpec",
    "HandlerRegistration",
    "Headers",
    "IncomingEvent",
    "JsonValue",
    "NotBoundError",
    "OutgoingEvent",
    "PackageBinding",
    "PayloadError",
    "PermanentFailure",
    "PublishError",
    "PublishNackedError",
    "PublishTimeoutError",
    "Queue",
    "QueueType",
    "RetryPolicy",
    "SchemaValidator",
    "SpecError",
    "Topology",
    "TopologyError",
    "UnroutableError",
    "events_app",
]
