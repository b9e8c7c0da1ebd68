"""Typed events on Celery and RabbitMQ: fire, handle, retry with backoff, archive, replay.

The public API is what ``__all__`` lists; everything else may change without notice.

Each name is imported from its module on first use (PEP 562), so ``import amqp_events``
loads nothing else: a program that needs one Celery-free module (the generator reads
``policy``, ``addresses`` and ``wire``) never starts Celery.
"""

# Private names only: the package's namespace is its public API (see __all__).
import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
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
        RuntimeVersionError,
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
    "RuntimeVersionError",
    "SchemaValidator",
    "SpecError",
    "Topology",
    "TopologyError",
    "UnroutableError",
    "events_app",
]

_HOMES: dict[str, str] = {
    "EventFunction": "amqp_events.app",
    "EventsApp": "amqp_events.app",
    "EventsSettings": "amqp_events.app",
    "HandlerRegistration": "amqp_events.app",
    "events_app": "amqp_events.app",
    "PackageBinding": "amqp_events.binding",
    "AmqpEventsError": "amqp_events.errors",
    "ArchiveError": "amqp_events.errors",
    "BrokerUnavailableError": "amqp_events.errors",
    "ConfigurationError": "amqp_events.errors",
    "NotBoundError": "amqp_events.errors",
    "PayloadError": "amqp_events.errors",
    "PermanentFailure": "amqp_events.errors",
    "PublishError": "amqp_events.errors",
    "PublishNackedError": "amqp_events.errors",
    "PublishTimeoutError": "amqp_events.errors",
    "RuntimeVersionError": "amqp_events.errors",
    "SpecError": "amqp_events.errors",
    "TopologyError": "amqp_events.errors",
    "UnroutableError": "amqp_events.errors",
    "Delivery": "amqp_events.events",
    "ExchangeSpec": "amqp_events.events",
    "Headers": "amqp_events.events",
    "IncomingEvent": "amqp_events.events",
    "OutgoingEvent": "amqp_events.events",
    "ArchivePolicy": "amqp_events.policy",
    "QueueType": "amqp_events.policy",
    "RetryPolicy": "amqp_events.policy",
    "SchemaValidator": "amqp_events.schema",
    "Binding": "amqp_events.topology",
    "Exchange": "amqp_events.topology",
    "Queue": "amqp_events.topology",
    "Topology": "amqp_events.topology",
    "JsonValue": "amqp_events.wire",
}
"""The module that defines each public name."""


# Hidden from type checkers, which see the imports above: a visible module __getattr__
# would make every misspelt name type-check as Any.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """Import a public name from its module the first time it is used."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module 'amqp_events' has no attribute {name!r}")
        value = getattr(_importlib.import_module(home), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """The module's names, the ones not imported yet included."""
        return sorted({*globals(), *__all__})
