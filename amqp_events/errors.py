"""Every exception this project raises, in one tree.

::

    AmqpEventsError
    ├── ConfigurationError (ValueError)   a setting, name or registration is wrong
    │   └── NotBoundError                 a generated package was used before bind(app)
    ├── PayloadError (ValueError)         a payload does not match its event's schema
    ├── PublishError                      the broker did not confirm a publish
    │   ├── BrokerUnavailableError        no connection to the broker could be made
    │   ├── PublishTimeoutError           no confirm arrived within the time limit
    │   ├── PublishNackedError            the broker refused the message (basic.nack)
    │   └── UnroutableError               a mandatory message matched no queue
    ├── TopologyError                     the live broker disagrees with the declared topology
    ├── ArchiveError                      an archive operation could not be carried out
    ├── SpecError                         an AsyncAPI document cannot be compiled
    ├── RuntimeVersionError (ImportError) a generated package needs an API this runtime lacks
    └── PermanentFailure                  raised by a handler: archive now, do not retry

Messages are full sentences that say what was received and what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmqpEventsError",
    "ArchiveError",
    "BrokerUnavailableError",
    "ConfigurationError",
    "NotBoundError",
    "PayloadError",
    "PermanentFailure",
    "PublishError",
    "PublishNackedError",
    "PublishTimeoutError",
    "RuntimeVersionError",
    "SpecError",
    "TopologyError",
    "UnroutableError",
]


class AmqpEventsError(Exception):
    """Base class of every error raised by celery-amqp-events."""


class ConfigurationError(AmqpEventsError, ValueError):
    """A setting, an event name or a handler registration is invalid."""


class NotBoundError(ConfigurationError):
    """A generated event package was used before it was bound to an events app."""


class PayloadError(AmqpEventsError, ValueError):
    """A payload does not match the schema of its event.

    ``event`` names the event, ``pointer`` is the JSON pointer of the first offending
    value inside the payload (``""`` for the payload itself) and ``reason`` is the
    sentence that explains what was received and what was expected.
    """

    def __init__(self, event: str, reason: str, *, pointer: str = "") -> None:
        self.event = event
        self.reason = reason
        self.pointer = pointer
        where = f" at {pointer}" if pointer else ""
        super().__init__(f"Payload of event {event!r} is invalid{where}: {reason}")


class PublishError(AmqpEventsError):
    """The broker did not confirm a publish, so the message must be treated as not sent."""


class BrokerUnavailableError(PublishError):
    """No connection to the broker could be made within the configured time."""


class PublishTimeoutError(PublishError):
    """The broker did not confirm a publish within the configured time.

    This is what a publisher sees while RabbitMQ blocks publishers (a memory or disk
    alarm) or when the network stalls.
    """


class PublishNackedError(PublishError):
    """The broker answered a publish with basic.nack: it did not take the message."""


class UnroutableError(PublishError):
    """A message published with ``mandatory`` matched no queue and was returned."""


class TopologyError(AmqpEventsError):
    """An exchange or queue on the broker disagrees with the topology we declare."""


class ArchiveError(AmqpEventsError):
    """An archive operation (list, show, replay, purge) could not be carried out."""


class SpecError(AmqpEventsError):
    """An AsyncAPI document cannot be compiled; ``diagnostics`` lists every problem found."""

    def __init__(self, message: str, diagnostics: Sequence[object] = ()) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(message)


class RuntimeVersionError(AmqpEventsError, ImportError):
    """A generated package was generated for an API version the installed runtime lacks."""


class PermanentFailure(AmqpEventsError):  # noqa: N818 - the name states intent, not an error kind
    """Raise from a handler to archive the event at once instead of retrying it."""
