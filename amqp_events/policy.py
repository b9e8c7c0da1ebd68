"""Retry and archive policies: plain values, checked on construction.

The bounds and the exponential ladder here are also what the generator checks and
builds from a document's ``x-amqp-events-retry`` and ``-archive`` extensions, so a
document that validates never makes a package that fails when it is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from amqp_events.errors import ConfigurationError

__all__ = [
    "DEFAULT_ARCHIVE",
    "DEFAULT_BACKOFF",
    "DEFAULT_RETRY",
    "MAX_DELAY",
    "MIN_DELAY",
    "ArchivePolicy",
    "Backoff",
    "QueueType",
    "RetryPolicy",
]

QueueType = Literal["classic", "quorum"]

_DAY_SECONDS = 24 * 60 * 60
MIN_DELAY: Final = 0.001
"""The shortest delay or ttl, in seconds: one millisecond."""
MAX_DELAY: Final = (2**32 - 1) / 1000
"""The longest delay or ttl, in seconds: RabbitMQ caps x-message-ttl at 2^32 - 1 ms."""


def _check_delay(delay: float, what: str) -> None:
    if not MIN_DELAY <= delay <= MAX_DELAY:
        raise ConfigurationError(
            f"{what} must be between {MIN_DELAY} and {MAX_DELAY:.0f} seconds, got {delay!r}."
        )


@dataclass(frozen=True, slots=True)
class Backoff:
    """An exponential ladder of retry delays: start, start*factor, ... capped at the maximum."""

    max_retries: int = 8
    interval_start: float = 1.0
    interval_factor: float = 2.0
    interval_max: float = 3600.0

    @property
    def delays(self) -> tuple[float, ...]:
        """The ladder's delays in seconds, one per retry."""
        return tuple(
            min(self.interval_start * self.interval_factor**n, self.interval_max)
            for n in range(self.max_retries)
        )


DEFAULT_BACKOFF: Final = Backoff()
"""The ladder a handler without its own policy retries on: 1, 2, 4 ... 128 seconds."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how late a failed handler is tried again.

    A failure of attempt ``n`` (counted from 1) waits ``delays[n - 1]`` seconds in a
    broker-side delay queue, then the handler runs again; once every delay is used the
    event goes to the archive. ``RetryPolicy.exponential()`` builds the usual ladder;
    ``RetryPolicy(delays=())`` archives on the first failure.
    """

    delays: tuple[float, ...] = field(default=DEFAULT_BACKOFF.delays)

    def __post_init__(self) -> None:
        delays = tuple(float(d) for d in self.delays)
        for position, delay in enumerate(delays, start=1):
            _check_delay(delay, f"Retry delay number {position}")
        object.__setattr__(self, "delays", delays)

    @classmethod
    def exponential(
        cls,
        max_retries: int = DEFAULT_BACKOFF.max_retries,
        *,
        interval_start: float = DEFAULT_BACKOFF.interval_start,
        interval_factor: float = DEFAULT_BACKOFF.interval_factor,
        interval_max: float = DEFAULT_BACKOFF.interval_max,
    ) -> RetryPolicy:
        """Build ``max_retries`` delays: start, start*factor, ... capped at interval_max."""
        if max_retries < 0:
            raise ConfigurationError(f"max_retries must be 0 or more, got {max_retries!r}.")
        if interval_factor < 1:
            raise ConfigurationError(
                "interval_factor must be 1 or more so delays never shrink, "
                f"got {interval_factor!r}."
            )
        return cls(
            delays=Backoff(max_retries, interval_start, interval_factor, interval_max).delays
        )

    @property
    def max_retries(self) -> int:
        """Number of retries after the first attempt."""
        return len(self.delays)

    @property
    def max_attempts(self) -> int:
        """Number of times the handler runs before the event is archived."""
        return len(self.delays) + 1

    def delay_for(self, failed_attempt: int) -> float | None:
        """Return the wait after failed attempt ``failed_attempt`` (from 1), or None to archive."""
        if failed_attempt < 1:
            raise ValueError(f"Attempts are counted from 1, got {failed_attempt!r}.")
        if failed_attempt > len(self.delays):
            return None
        return self.delays[failed_attempt - 1]

    def delays_ms(self) -> tuple[int, ...]:
        """The delays in whole milliseconds, the unit of RabbitMQ's x-message-ttl."""
        return tuple(delay_ms(d) for d in self.delays)


def delay_ms(seconds: float) -> int:
    """Convert a delay in seconds to the whole milliseconds a retry bucket waits."""
    return max(1, round(seconds * 1000))


@dataclass(frozen=True, slots=True)
class ArchivePolicy:
    """Bounds of the queue where events that exhausted their retries are parked.

    ``ttl`` (seconds) and ``max_length`` (messages) both must be positive: an archive
    that silently discards everything is never what an operator wants. When the archive
    is full RabbitMQ drops its oldest message, so alert on ``amqp-events archive stats
    --max N`` well below ``max_length``.
    """

    ttl: float = 7 * _DAY_SECONDS
    max_length: int = 10_000

    def __post_init__(self) -> None:
        _check_delay(self.ttl, "Archive ttl")
        if self.max_length < 1:
            raise ConfigurationError(
                f"Archive max_length must be at least 1 message, got {self.max_length!r}."
            )

    @property
    def ttl_ms(self) -> int:
        """The ttl in whole milliseconds, the unit of RabbitMQ's x-message-ttl."""
        return delay_ms(self.ttl)


DEFAULT_RETRY = RetryPolicy()
DEFAULT_ARCHIVE = ArchivePolicy()
